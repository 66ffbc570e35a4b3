"""Flows 2 and 3: the tickets menu (pages, opening a ticket by its number) and a new ticket."""

import pytest

from helpdesk.domain.conversation import CreateTicket, DialogSettings, Step
from helpdesk.domain.messages import MediaKind
from helpdesk.domain.step_data import StepData
from tests.unit.dialog_world import ACME_CNPJ, DEFAULT_SETTINGS, World

OTHER_CNPJ = "12ABC34501DE35"


@pytest.fixture
def world():
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    world.add_company(OTHER_CNPJ, "Outra S.A.")
    return world


def at_tickets_menu(world, phone):
    """A registered requester of one company who chose "see my tickets"."""
    t = world.transcript(phone)
    return t.requester_says("oi").requester_says("2").now_at(Step.TICKETS_MENU)


def test_menu_lists_the_tickets_newest_first(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    world.add_ticket(phone, ACME_CNPJ, "Impressora sem tinta", number=1041, status="Fechado")
    world.add_ticket(phone, ACME_CNPJ, "VPN caiu", number=1042, status="Em andamento")
    t = at_tickets_menu(world, phone)
    t.bot_answers("Acme Ltda", "*0* - Criar novo atendimento", "*1042* - VPN caiu (_Em andamento_)", "*1041*")
    assert t.text.index("1042") < t.text.index("1041")
    t.bot_does_not_say("mais")


def test_menu_without_tickets_still_offers_a_new_one(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.bot_answers("*0* - Criar novo atendimento", "ainda não tem atendimentos")


def test_25_tickets_come_in_pages_and_nothing_is_cut_silently(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    for i in range(25):
        world.add_ticket(phone, ACME_CNPJ, f"Chamado {i + 1}", number=2001 + i)
    t = at_tickets_menu(world, phone)
    t.bot_answers("*2025* - Chamado 25", "*2017* - Chamado 17", "Mostrando 1 a 9 de 25", "*mais*")
    t.bot_does_not_say("*2016*")
    t.requester_says("MAIS").bot_answers("*2016* - Chamado 16", "*2008*", "Mostrando 10 a 18 de 25")
    t.bot_does_not_say("*2017*", "*2007*")
    t.requester_says("mais").bot_answers("*2007*", "*2001* - Chamado 1", "Mostrando 19 a 25 de 25")
    t.bot_does_not_say("*mais*", "*2008*")
    t.requester_says("mais").bot_answers("Esses são todos", "*2025*", "Mostrando 1 a 9 de 25")
    assert t.state.data == StepData(page=0)


def test_a_ticket_on_another_page_opens_by_its_number(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    for i in range(25):
        world.add_ticket(phone, ACME_CNPJ, f"Chamado {i + 1}", number=2001 + i)
    at_tickets_menu(world, phone).requester_says("2003").bot_answers("Atendimento 2003", "Chamado 3")


def test_the_page_size_comes_from_the_settings(world):
    world.settings = DialogSettings(portal_url=DEFAULT_SETTINGS.portal_url, page_size=2)
    phone = world.add_requester(companies=[ACME_CNPJ])
    for i in range(3):
        world.add_ticket(phone, ACME_CNPJ, f"Chamado {i + 1}", number=3001 + i)
    t = at_tickets_menu(world, phone).bot_answers("Mostrando 1 a 2 de 3").bot_does_not_say("*3001*")
    t.requester_says("mais").bot_answers("*3001*", "Mostrando 3 a 3 de 3")


def test_a_ticket_is_opened_by_its_number_not_its_position(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    world.add_ticket(phone, ACME_CNPJ, "VPN caiu", number=1042)
    t = at_tickets_menu(world, phone)
    t.requester_says("1").bot_answers("Não encontrei o atendimento *1*", "*0* - Criar")
    t.now_at(Step.TICKETS_MENU)
    t.requester_says("#1042").bot_answers("Atendimento 1042", "VPN caiu").now_at(Step.TICKET_MENU)


def test_another_requesters_ticket_is_not_found(world):
    mine = world.add_requester(companies=[ACME_CNPJ])
    theirs = world.add_requester(companies=[ACME_CNPJ], name="João")
    world.add_ticket(theirs, ACME_CNPJ, "Salários de todo mundo", number=1500)
    t = at_tickets_menu(world, mine)
    t.requester_says("1500").bot_answers("Não encontrei o atendimento *1500*").bot_does_not_say("Salários")
    t.now_at(Step.TICKETS_MENU)


def test_a_ticket_of_another_company_of_the_same_requester_is_not_listed(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    world.add_ticket(phone, OTHER_CNPJ, "De outra empresa", number=1600)
    t = at_tickets_menu(world, phone).bot_does_not_say("De outra empresa")
    t.requester_says("1600").bot_answers("Não encontrei")


@pytest.mark.parametrize("wrong", ["abc", "-1", "1 2", "0,5"])
def test_menu_hints_on_words_it_does_not_know(world, wrong):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says(wrong).bot_answers("Não entendi", "*0* - Criar novo").now_at(Step.TICKETS_MENU)


def test_menu_hints_on_media_and_stickers(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_sends_sticker().bot_answers("figurinha", "*0* - Criar").now_at(Step.TICKETS_MENU)
    # issue 28: a file starts a ticket with it (was: "resposta em texto", the file dropped)
    t.requester_sends_document().bot_answers("Recebi o arquivo", "assunto").now_at(Step.ASK_SUBJECT)


# --- a new ticket ----------------------------------------------------------------------------


@pytest.fixture
def typed_world(world):
    world.add_request_type("t-net", "Rede")
    world.add_request_type("t-hw", "Hardware")
    return world


def test_new_ticket_with_a_type_and_files(typed_world):
    world = typed_world
    phone = world.add_requester(companies=[ACME_CNPJ])
    world.next_ticket_number = 1043
    t = at_tickets_menu(world, phone)
    t.requester_says("0").bot_answers("qual é o assunto", "até 120 caracteres").now_at(Step.ASK_SUBJECT)
    t.requester_says("Impressora não imprime").bot_answers("*tipo*", "1 - Hardware", "2 - Rede", "3 - Outro")
    t.now_at(Step.ASK_TYPE)
    t.requester_says("1").bot_answers("Descreva").now_at(Step.ASK_DESCRIPTION)
    t.requester_says("Desde ontem a HP do 2º andar\nnão puxa papel.").bot_answers("anexar", "*Fim*")
    t.now_at(Step.TICKET_MEDIA)
    t.requester_sends_image("papel.jpg").bot_answers("Recebi *papel.jpg*", "1 arquivo")
    t.now_at(Step.TICKET_MEDIA)
    t.requester_sends_video().bot_answers("2 arquivos")
    t.requester_sends_audio().bot_answers("3 arquivos")
    t.requester_sends_document("manual.pdf").bot_answers("Recebi *manual.pdf*", "4 arquivos")
    t.requester_says("FÍM")
    t.bot_sends(2)
    t.bot_answers("✅ Atendimento *1043* criado: _Impressora não imprime_", "*0* - Criar novo atendimento")
    t.bot_answers("*1043* - Impressora não imprime (_Aberto_)")  # listed before it is even stored
    t.bot_does_not_say("ainda não tem atendimentos")
    t.now_at(Step.TICKETS_MENU)
    [effect] = t.effects
    assert isinstance(effect, CreateTicket)
    assert (effect.cnpj, effect.title, effect.request_type_id, effect.request_type_name) == (
        ACME_CNPJ,
        "Impressora não imprime",
        "t-hw",
        "Hardware",
    )
    assert effect.description == "Desde ontem a HP do 2º andar\nnão puxa papel."
    assert [a.kind for a in effect.attachments] == [
        MediaKind.IMAGE,
        MediaKind.VIDEO,
        MediaKind.AUDIO,
        MediaKind.DOCUMENT,
    ]
    assert t.result.replies[0].fill == ("ticket_number",)
    assert "{ticket_number}" in t.result.replies[0].text
    t.requester_says("1043").bot_answers("Atendimento 1043", "Hardware", "Desde ontem", "📎 4 anexos")


def test_outro_means_no_type(typed_world):
    t = at_tickets_menu(typed_world, typed_world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("Dúvida sobre a fatura").requester_says("3")
    t.now_at(Step.ASK_DESCRIPTION)
    t.requester_says("Veio duplicada").requester_says("fim")
    [effect] = t.effects
    assert (effect.request_type_id, effect.request_type_name, effect.attachments) == (None, None, ())


def test_outro_can_be_typed_as_a_word(typed_world):
    t = at_tickets_menu(typed_world, typed_world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("Dúvida").requester_says("OUTRO").now_at(Step.ASK_DESCRIPTION)
    assert t.state.data.type_id is None


def test_the_type_question_is_skipped_when_there_are_no_types(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("Dúvida sobre a fatura")
    t.bot_answers("Descreva").bot_does_not_say("tipo").now_at(Step.ASK_DESCRIPTION)
    t.requester_says("Veio duplicada").requester_says("Fim")
    [effect] = t.effects
    assert effect.request_type_id is None


@pytest.mark.parametrize("wrong", ["0", "4", "Impressora", "1.5"])
def test_an_out_of_range_type_is_asked_again(typed_world, wrong):
    t = at_tickets_menu(typed_world, typed_world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("Assunto")
    t.requester_says(wrong).bot_answers("Não entendi", "3 - Outro").now_at(Step.ASK_TYPE)


def test_subject_must_be_one_short_non_empty_line(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0")
    t.requester_says(" ").bot_answers("vazia", "assunto").now_at(Step.ASK_SUBJECT)
    t.requester_sends_sticker().bot_answers("figurinha", "assunto").now_at(Step.ASK_SUBJECT)
    t.requester_says("x" * 120).now_at(Step.ASK_DESCRIPTION)


def test_a_long_or_multiline_subject_is_cut_at_a_word_never_refused(world):
    """Issue 28 (was: "o limite é 120. Tente resumir." and the text was gone)."""
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ])).requester_says("0")
    long = "O sistema trava " * 10 + "quando emito a nota"
    t.requester_says(long).bot_answers("começo do texto", "Vou abrir este atendimento", "*Fim*")
    t.now_at(Step.TICKET_MEDIA).requester_says("fim")
    [create] = t.effects
    assert len(create.title) <= 120 and create.title.endswith("…") and create.description == long
    t.requester_says("0").requester_says("Linha um\nLinha dois").requester_says("Fim")
    assert t.effects[0].title == "Linha um" and t.effects[0].description == "Linha um\nLinha dois"


def test_description_must_fit_the_limit(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("Assunto")
    t.requester_says("x" * 4001).bot_answers("limite é 4000", "Descreva").now_at(Step.ASK_DESCRIPTION)
    t.requester_sends_location().bot_answers("localização", "Descreva").now_at(Step.ASK_DESCRIPTION)
    t.requester_says("x" * 4000).now_at(Step.TICKET_MEDIA)


def at_ticket_media(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("Assunto").requester_says("Detalhes")
    return t.now_at(Step.TICKET_MEDIA)


def test_refused_files_are_explained_and_the_question_repeated(world):
    t = at_ticket_media(world)
    t.requester_sends_too_large_file().bot_answers("grande demais", "*16 MB*", "*Fim*")
    t.now_at(Step.TICKET_MEDIA)
    t.requester_sends_unsupported_file().bot_answers("tipo de arquivo", "*Fim*").now_at(Step.TICKET_MEDIA)
    assert t.state.data.attachments == ()


def test_the_size_limit_shown_comes_from_the_settings(world):
    world.settings = DialogSettings(portal_url="https://p", max_media_bytes=5 * 1024 * 1024)
    at_ticket_media(world).requester_sends_too_large_file().bot_answers("*5 MB*")


def test_a_sticker_where_files_are_asked_gets_a_hint(world):
    t = at_ticket_media(world)
    t.requester_sends_sticker().bot_answers("figurinha", "*Fim*").now_at(Step.TICKET_MEDIA)
    t.did_nothing()


def test_files_are_capped_per_ticket(world):
    t = at_ticket_media(world)
    for _ in range(20):
        t.requester_sends_image()
    t.requester_sends_image().bot_answers("o máximo", "*Fim*")
    t.requester_says("fim")
    assert len(t.effects[0].attachments) == 20


def test_a_title_cannot_smuggle_a_token_into_the_confirmation(world):
    t = at_tickets_menu(world, world.add_requester(companies=[ACME_CNPJ]))
    t.requester_says("0").requester_says("meu {ticket_number}").requester_says("x").requester_says("fim")
    assert t.result.replies[0].text.count("{ticket_number}") == 1
    assert t.effects[0].title == "meu {ticket_number}"


def test_asking_how_things_stand_at_the_list_shows_the_one_ticket_or_points_at_the_list(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    world.add_ticket(phone, ACME_CNPJ, "VPN caiu", number=1042, status="Em andamento")
    t = at_tickets_menu(world, phone).requester_says("alguma novidade?")
    t.bot_answers("*Atendimento 1042*", "Em andamento").now_at(Step.TICKET_MENU)
    world.add_ticket(phone, ACME_CNPJ, "Impressora sem tinta", number=1043, status="Aberto")
    t.requester_says("2").requester_says("qual o status?")
    t.bot_answers("situação de cada atendimento está na lista", "*1043*").now_at(Step.TICKETS_MENU)
    t.bot_does_not_say("Não entendi")
