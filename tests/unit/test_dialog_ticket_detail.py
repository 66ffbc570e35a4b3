"""Flow 4: one ticket, its last action, and a new action from the requester."""

from datetime import UTC, datetime

import pytest

from helpdesk.domain.conversation import PostAction, Step
from helpdesk.domain.step_data import StepData
from tests.unit.dialog_world import ACME_CNPJ, World


@pytest.fixture
def world():
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    return world


@pytest.fixture
def phone(world):
    phone = world.add_requester(companies=[ACME_CNPJ], name="Maria Souza")
    world.add_ticket(phone, ACME_CNPJ, "VPN caiu", number=1042, status="Em andamento", request_type="Rede")
    return phone


def at_ticket(world, phone, number=1042):
    t = world.transcript(phone)
    return t.requester_says("oi").requester_says("2").requester_says(str(number)).now_at(Step.TICKET_MENU)


def test_detail_shows_status_type_and_the_last_action_in_sao_paulo_time(world, phone):
    world.add_action(1042, "Primeira", at=datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    late = datetime(2026, 3, 10, 1, 5, tzinfo=UTC)
    world.add_action(1042, "Reiniciei o firewall.", author_name="Ana", at=late, attachment_count=2)
    t = at_ticket(world, phone)
    t.bot_answers(
        "*Atendimento 1042* - VPN caiu",
        "Situação: *Em andamento*",
        "Tipo: Rede",
        "Ana (equipe de suporte), em 09/03/2026 às 22:05",  # 01:05 UTC is 22:05 the day before
        "Reiniciei o firewall.",
        "📎 2 anexos",
        "1 - Enviar uma nova mensagem",
        "2 - Voltar",
        "3 - Encerrar",
    )
    t.bot_does_not_say("Primeira")
    assert t.state.data == StepData(ticket_number=1042)


def test_detail_without_actions_nor_type(world, phone):
    world.add_ticket(phone, ACME_CNPJ, "Sem nada", number=1043)
    at_ticket(world, phone, 1043).bot_answers("Ainda não há andamentos", "Tipo: Outro")


def test_a_long_last_action_is_cut_visibly(world, phone):
    world.add_action(1042, "y" * 3000)
    t = at_ticket(world, phone)
    t.bot_answers("y" * 1000 + "…").bot_does_not_say("y" * 1001)


def test_posting_an_action_with_files(world, phone):
    t = at_ticket(world, phone)
    t.requester_says("1").bot_answers("Digite a mensagem para o atendimento *1042*")
    t.now_at(Step.ASK_ACTION_TEXT)
    t.requester_says("Voltou a cair agora.").bot_answers("anexar", "*Fim*").now_at(Step.ACTION_MEDIA)
    t.requester_sends_image("erro.png").bot_answers("Recebi *erro.png*")
    t.requester_says(" fim ")
    t.bot_answers("Mensagem registrada no atendimento *1042*", "1 - Enviar uma nova mensagem")
    t.now_at(Step.TICKET_MENU)
    [effect] = t.effects
    assert isinstance(effect, PostAction)
    assert (effect.ticket_number, effect.text, len(effect.attachments)) == (1042, "Voltou a cair agora.", 1)
    assert t.state.data == StepData(ticket_number=1042)
    # Back to the list and in again: the new action is the last one now.
    t.requester_says("2").now_at(Step.TICKETS_MENU)
    t.requester_says("1042").bot_answers("Voltou a cair agora.", "📎 1 anexo")


def test_an_action_without_files(world, phone):
    t = at_ticket(world, phone).requester_says("1").requester_says("Alguma novidade?").requester_says("Fim")
    t.did(PostAction(ticket_number=1042, text="Alguma novidade?"))


def test_action_text_must_fit_and_be_readable(world, phone):
    t = at_ticket(world, phone).requester_says("1")
    t.requester_says("z" * 4001).bot_answers("limite é 4000", "Digite a mensagem")
    t.now_at(Step.ASK_ACTION_TEXT)
    t.requester_sends_sticker().bot_answers("figurinha", "Digite a mensagem").now_at(Step.ASK_ACTION_TEXT)
    t.requester_says("").bot_answers("vazia").now_at(Step.ASK_ACTION_TEXT)


def test_action_files_refused_are_explained(world, phone):
    t = at_ticket(world, phone).requester_says("1").requester_says("Segue o print")
    t.requester_sends_too_large_file().bot_answers("16 MB").now_at(Step.ACTION_MEDIA)
    t.requester_sends_unsupported_file().bot_answers("tipo de arquivo").now_at(Step.ACTION_MEDIA)
    t.requester_says("Fim").did(PostAction(ticket_number=1042, text="Segue o print"))


def test_back_to_the_list(world, phone):
    at_ticket(world, phone).requester_says("2").bot_answers("*0* - Criar novo atendimento", "*1042*")


def test_end_from_the_ticket(world, phone):
    at_ticket(world, phone).requester_says("3").bot_answers("Conversa encerrada").now_at(Step.ENDED)


@pytest.mark.parametrize("wrong", ["0", "4", "sim", "1042"])
def test_out_of_range_options_repeat_the_action_menu(world, phone, wrong):
    t = at_ticket(world, phone).requester_says(wrong)
    t.bot_answers("Não entendi", "1 - Enviar uma nova mensagem").now_at(Step.TICKET_MENU)
    assert t.state.data.ticket_number == 1042


def test_a_question_about_how_the_ticket_stands_shows_it_again(world, phone):
    t = at_ticket(world, phone)
    world.add_action(1042, "Trocamos o roteador.", author_name="Ana")
    t.requester_says("qual o status?").bot_answers("Trocamos o roteador.", "1 - Enviar uma nova mensagem")
    t.bot_does_not_say("Não entendi").now_at(Step.TICKET_MENU).did_nothing()


def test_a_sentence_typed_at_the_ticket_is_a_new_message_on_it(world, phone):
    t = at_ticket(world, phone).requester_says("Já reiniciei o roteador e nada")
    t.bot_answers("anexar", "*Fim*").now_at(Step.ACTION_MEDIA)
    t.requester_says("fim").did(PostAction(ticket_number=1042, text="Já reiniciei o roteador e nada"))


def test_a_question_with_more_to_say_is_a_message_and_message_verbs_pick_the_option(world, phone):
    t = at_ticket(world, phone).requester_says("Bom dia, alguma previsão? Seguimos sem conseguir importar")
    t.now_at(Step.ACTION_MEDIA).requester_says("é isso")
    t.did(PostAction(ticket_number=1042, text="Bom dia, alguma previsão? Seguimos sem conseguir importar"))
    t.requester_says("mandar mensagem").now_at(Step.ASK_ACTION_TEXT)


def test_cancelling_a_message_names_the_message_and_goes_back_to_its_ticket(world, phone):
    t = at_ticket(world, phone).requester_says("1").requester_says("Segue o print").now_at(Step.ACTION_MEDIA)
    t.requester_says("cancelar").bot_answers(
        "descartar a mensagem que você está escrevendo para o atendimento *1042*"
    )
    t.requester_says("não").bot_answers("a mensagem continua").now_at(Step.ACTION_MEDIA)
    t.requester_says("cancelar").requester_says("sim").bot_answers(
        "A mensagem que você estava escrevendo foi descartada"
    )
    t.now_at(Step.TICKET_MENU).did_nothing()
