"""Flow 1: someone writes for the first time, gives the CNPJ, a name and an e-mail."""

import pytest

from helpdesk.domain.conversation import RegisterRequester, Step
from helpdesk.domain.step_data import StepData
from tests.unit.dialog_world import ACME_CNPJ, ALPHA_CNPJ, World


@pytest.fixture
def world():
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    world.add_company(ALPHA_CNPJ, "Alfa Numérica S.A.")
    return world


def test_registration_from_hello_to_the_tickets_menu(world):
    t = world.transcript()
    t.requester_says("oi").bot_answers("Olá", "CNPJ").now_at(Step.ASK_CNPJ).did_nothing()
    t.requester_says("11.222.333/0001-81").bot_answers("Acme Ltda", "nome").now_at(Step.ASK_NAME)
    t.requester_says("Maria Souza").bot_answers("e-mail").now_at(Step.ASK_EMAIL)
    t.requester_says("maria@acme.com.br")
    t.did(RegisterRequester(name="Maria Souza", email="maria@acme.com.br", cnpj=ACME_CNPJ))
    t.bot_sends(2).bot_answers(
        "Cadastro concluído",
        "https://portal.example.com.br",
        f"Usuário: *{t.phone}* (ou o seu e-mail)",
        "Senha: *senha-1*",
        "*0* - Criar novo atendimento",
    )
    t.now_at(Step.TICKETS_MENU)
    assert t.state.cnpj == ACME_CNPJ
    assert world.requesters[t.phone].cnpjs == [ACME_CNPJ]


@pytest.mark.parametrize("before", [None, "sair"])
def test_a_screenshot_before_anything_else_is_kept_for_the_ticket_the_registration_ends_in(world, before):
    t = world.transcript()
    if before:  # a conversation that ended: the next message is a first message again
        t.requester_says("oi").requester_says(before).now_at(Step.ENDED)
    assert t._downloads_media()
    t.requester_sends_image("erro.png").bot_answers("Olá", "Guardei o arquivo", "CNPJ").now_at(Step.ASK_CNPJ)
    t.bot_does_not_say("o que você contou")  # a file alone tells nothing yet
    assert [a.filename for a in t.state.data.attachments] == ["erro.png"]
    t.requester_says(ACME_CNPJ).requester_says("Maria").requester_says("maria@acme.com.br")
    t.now_at(Step.ASK_SUBJECT)
    assert [a.filename for a in t.state.data.attachments] == ["erro.png"]


def test_a_file_refused_before_the_company_is_known_is_explained_and_nothing_is_kept(world):
    t = world.transcript().requester_says("oi").requester_sends_too_large_file()
    t.bot_answers("limite", "CNPJ").bot_does_not_say("Guardei", "Anotei").now_at(Step.ASK_CNPJ)
    assert t.state.data.attachments == ()


def test_credentials_go_out_as_tokens_the_executor_fills(world):
    t = world.transcript()
    t.requester_says("oi").requester_says(ACME_CNPJ).requester_says("Maria").requester_says("m@acme.com")
    credentials = t.result.replies[0]
    assert credentials.fill == ("username", "password")
    assert "{username}" in credentials.text and "{password}" in credentials.text
    assert "senha-1" not in str(t.state.to_dict())


def test_a_first_message_that_is_a_valid_cnpj_answers_the_question(world):
    t = world.transcript()
    t.requester_says("11222333000181").bot_answers("Olá", "Acme Ltda", "nome").now_at(Step.ASK_NAME)


def test_alphanumeric_cnpj_is_accepted_in_lower_case_and_punctuated(world):
    t = world.transcript()
    t.requester_says("oi").requester_says("12.abc.345/01de-35")
    t.bot_answers("Alfa Numérica S.A.").now_at(Step.ASK_NAME)
    assert t.state.cnpj == ALPHA_CNPJ


@pytest.mark.parametrize("wrong", ["11.222.333/0001-80", "123", "00.000.000/0000-00", "12.ABC.345/01DE-36"])
def test_an_invalid_cnpj_is_asked_again(world, wrong):
    t = world.transcript()
    t.requester_says("oi").requester_says(wrong)
    t.bot_answers("Não consegui validar esse CNPJ", "informe o *CNPJ* da sua empresa")
    t.now_at(Step.ASK_CNPJ).did_nothing()
    t.requester_says("11.222.333/0001-81").now_at(Step.ASK_NAME)


@pytest.mark.parametrize("said", ["preciso abrir um chamado", "meu cnpj", "Renata Alves"])
def test_a_message_without_a_cnpj_is_asked_for_it_without_being_called_a_wrong_one(world, said):
    t = world.transcript().requester_says("oi").requester_says(said)
    t.bot_answers("primeiro preciso do *CNPJ*").bot_does_not_say("Não consegui validar").now_at(Step.ASK_CNPJ)
    t.requester_says("nao sei").bot_answers("Ainda não entendi", "*ajuda*").bot_does_not_say(
        "*meus dados*", "*menu*"
    )


def test_a_valid_cnpj_that_is_no_client_ends_the_conversation(world):
    t = world.transcript()
    t.requester_says("oi").requester_says("AB.12C.D34/EF56-02")
    t.bot_answers("exclusivo para empresas clientes", "Conversa encerrada")
    t.now_at(Step.ENDED).did_nothing()
    t.requester_says("oi").bot_answers("CNPJ").now_at(Step.ASK_CNPJ)


def test_a_first_message_with_an_unknown_valid_cnpj_ends_too(world):
    t = world.transcript()
    t.requester_says("AB12CD34EF5602").bot_answers("Olá", "exclusivo para empresas clientes")
    t.now_at(Step.ENDED)


@pytest.mark.parametrize("wrong", ["maria", "maria@acme", "maria @acme.com", "maria@@acme.com"])
def test_a_bad_email_is_asked_again(world, wrong):
    t = world.transcript()
    t.requester_says(ACME_CNPJ).requester_says("Maria").requester_says(wrong)
    t.bot_answers("e-mail não parece válido", "qual é o seu *e-mail*").now_at(Step.ASK_EMAIL).did_nothing()
    t.requester_says("maria@acme.com").now_at(Step.TICKETS_MENU)


def test_a_name_must_be_one_short_line_with_letters(world):
    t = world.transcript()
    t.requester_says(ACME_CNPJ)
    t.requester_says("12345").bot_answers("digite seu nome").now_at(Step.ASK_NAME)
    t.requester_says("x" * 101).bot_answers("digite seu nome").now_at(Step.ASK_NAME)
    t.requester_says("  Maria   Souza ").now_at(Step.ASK_EMAIL)
    assert t.state.data == StepData(name="Maria Souza")


def test_media_and_stickers_while_registering_get_a_hint(world):
    t = world.transcript()
    t.requester_says("oi")
    # issue 28: a file is kept for the ticket the registration ends in (was: "resposta em texto")
    t.requester_sends_image().bot_answers("Guardei o arquivo", "CNPJ").now_at(Step.ASK_CNPJ)
    t.requester_says(ACME_CNPJ)
    t.requester_sends_sticker().bot_answers("figurinha", "nome").now_at(Step.ASK_NAME)
    t.requester_says("Maria")
    t.requester_sends_location().bot_answers("localização", "e-mail").now_at(Step.ASK_EMAIL)
    t.requester_says("   ").bot_answers("vazia", "e-mail").now_at(Step.ASK_EMAIL)
