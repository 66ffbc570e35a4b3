"""Flow 5: a known requester comes back: company choice, access recovery, linking a CNPJ."""

import pytest

from helpdesk.domain.conversation import LinkCompany, ResetCredentials, Step
from tests.unit.dialog_world import ACME_CNPJ, ALPHA_CNPJ, World

BETA_CNPJ = "Z9Y8X7W6V5U429"  # alphanumeric, valid


@pytest.fixture
def world():
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    world.add_company(ALPHA_CNPJ, "Beta Alfa S.A.")
    world.add_company(BETA_CNPJ, "Zeta Comércio")
    return world


def test_one_company_is_chosen_without_asking(world):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ], name="Maria Souza"))
    t.requester_says("bom dia")
    t.bot_answers("Olá de novo, Maria", "Empresa: *Acme Ltda*", "1 - Recuperar acesso")
    t.now_at(Step.ACCESS_MENU).did_nothing()
    assert t.state.cnpj == ACME_CNPJ
    t.requester_says("2").bot_answers("Atendimentos - Acme Ltda").now_at(Step.TICKETS_MENU)


def test_several_companies_are_offered_with_the_link_option(world):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ, ALPHA_CNPJ]))
    t.requester_says("oi").bot_answers(
        "Para qual empresa",
        "1 - Acme Ltda (11.222.333/0001-81)",
        "2 - Beta Alfa S.A. (12.ABC.345/01DE-35)",
        "3 - Vincular outro CNPJ",
    )
    t.now_at(Step.CHOOSE_COMPANY)
    t.requester_says("4").bot_answers("Não entendi", "3 - Vincular outro CNPJ").now_at(Step.CHOOSE_COMPANY)
    t.requester_sends_sticker().bot_answers("figurinha", "Para qual empresa").now_at(Step.CHOOSE_COMPANY)
    t.requester_says("2").bot_answers("Empresa: *Beta Alfa S.A.*").now_at(Step.ACCESS_MENU)
    assert t.state.cnpj == ALPHA_CNPJ


def test_tickets_are_those_of_the_chosen_company(world):
    phone = world.add_requester(companies=[ACME_CNPJ, ALPHA_CNPJ])
    world.add_ticket(phone, ACME_CNPJ, "Da Acme", number=1001)
    world.add_ticket(phone, ALPHA_CNPJ, "Da Beta", number=1002)
    t = world.transcript(phone).requester_says("oi").requester_says("2").requester_says("2")
    t.bot_answers("Da Beta").bot_does_not_say("Da Acme")


def test_access_recovery_sends_new_credentials_then_the_menu(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    t = world.transcript(phone).requester_says("oi").requester_says("1")
    t.did(ResetCredentials()).bot_sends(2)
    t.bot_answers(
        "nova senha",
        "https://portal.example.com.br",
        f"Usuário: *{phone}* (ou o seu e-mail)",
        "Senha: *senha-2*",
    )
    t.bot_answers("*0* - Criar novo atendimento").now_at(Step.TICKETS_MENU)
    assert t.result.replies[0].fill == ("username", "password")
    assert world.requesters[phone].password == "senha-2"


@pytest.mark.parametrize("wrong", ["0", "4", "talvez"])
def test_access_menu_hints_on_out_of_range_options(world, wrong):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ])).requester_says("oi")
    t.requester_says(wrong).bot_answers("Não entendi", "1 - Recuperar acesso").now_at(Step.ACCESS_MENU)


def test_link_another_cnpj_from_the_access_menu(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    t = world.transcript(phone).requester_says("oi").requester_says("3")
    t.bot_answers("CNPJ* da empresa que deseja vincular").now_at(Step.LINK_CNPJ)
    t.requester_says("z9.y8x.7w6/v5u4-29").did(LinkCompany(BETA_CNPJ))
    t.bot_answers("*Zeta Comércio* vinculada", "Atendimentos - Zeta Comércio").now_at(Step.TICKETS_MENU)
    assert t.state.cnpj == BETA_CNPJ
    assert world.requesters[phone].cnpjs == [ACME_CNPJ, BETA_CNPJ]
    # Next time, two companies: the choice is asked.
    t.requester_says("sair").requester_says("oi").now_at(Step.CHOOSE_COMPANY).bot_answers("Zeta Comércio")


def test_link_from_the_company_choice(world):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ, ALPHA_CNPJ])).requester_says("oi")
    t.requester_says("3").now_at(Step.LINK_CNPJ).requester_says(BETA_CNPJ).did(LinkCompany(BETA_CNPJ))


def test_linking_an_already_linked_company_just_selects_it(world):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ])).requester_says("oi").requester_says("3")
    t.requester_says("11.222.333/0001-81").did_nothing()
    t.bot_answers("já está vinculada").now_at(Step.TICKETS_MENU)
    assert t.state.cnpj == ACME_CNPJ


def test_linking_an_invalid_or_unknown_cnpj_asks_again(world):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ])).requester_says("oi").requester_says("3")
    t.requester_says("11.222.333/0001-82").bot_answers("Não consegui validar").now_at(Step.LINK_CNPJ)
    t.requester_says("AB.12C.D34/EF56-02").bot_answers("exclusivo para empresas clientes", "*sair*")
    t.now_at(Step.LINK_CNPJ).did_nothing()
    t.requester_sends_image().bot_answers("Guardei o arquivo").now_at(Step.LINK_CNPJ)  # kept for its ticket
    t.requester_says("sair").now_at(Step.ENDED)


def test_a_known_requester_without_companies_is_asked_to_link_one(world):
    t = world.transcript(world.add_requester(companies=[])).requester_says("oi")
    t.bot_answers("Olá de novo", "vincular").now_at(Step.LINK_CNPJ)
    t.requester_says(ACME_CNPJ).did(LinkCompany(ACME_CNPJ)).now_at(Step.TICKETS_MENU)


def test_a_cnpj_as_first_message_of_a_known_requester_is_just_a_greeting(world):
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ])).requester_says(ALPHA_CNPJ)
    t.now_at(Step.ACCESS_MENU).did_nothing()


def test_a_ticket_number_at_the_access_menu_opens_that_ticket(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    world.add_ticket(phone, ACME_CNPJ, "VPN caiu", number=4, status="Aberto")
    t = world.transcript(phone).requester_says("oi").now_at(Step.ACCESS_MENU)
    t.requester_says("4").bot_answers("*Atendimento 4*", "VPN caiu").now_at(Step.TICKET_MENU)
    t.requester_says("2").requester_says("obrigada, bom dia pra vc").bot_answers("De nada")
