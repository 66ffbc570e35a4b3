"""People answer in words and emojis (issue 22): every menu takes the number or the option's words,
yes/no questions take the usual words and emojis, thanks and greetings get a friendly word, and a
second misunderstanding shows the options with their words instead of the same refusal."""

from datetime import timedelta

import pytest

from helpdesk.domain.conversation import CreateTicket, RateTicket, ReopenTicket, Step
from tests.unit.dialog_world import ACME_CNPJ, SCENE_PHONES, World, reach, scene


def at_type_menu(*type_names: str):
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    for index, name in enumerate(type_names):
        world.add_request_type(f"t{index}", name)
    t = world.transcript(world.add_requester(companies=[ACME_CNPJ]))
    return t.requester_says("oi").requester_says("2").requester_says("0").requester_says("Nota não sai")


def chosen_type(t) -> str | None:
    t.now_at(Step.ASK_DESCRIPTION).requester_says("texto").requester_says("fim")
    [create] = t.effects
    assert isinstance(create, CreateTicket)
    return create.request_type_name


# --- 1. menus: the number, the option's words, a prefix; several matches ask which ---------------


@pytest.mark.parametrize(
    ("typed", "picked"),
    [
        ("dúvida", "Dúvida"),
        ("DUVIDA!", "Dúvida"),
        (" erro ", "Erro no sistema"),
        ("sistema", "Erro no sistema"),
    ],
)
def test_the_type_menu_takes_the_options_words(typed, picked):
    t = at_type_menu("Dúvida", "Erro no sistema")
    t.requester_says(typed).bot_does_not_say("Não entendi")
    assert chosen_type(t) == picked


def test_words_of_several_options_ask_which_listing_only_those():
    t = at_type_menu("Erro na nota", "Erro no sistema", "Dúvida")
    t.requester_says("erro").now_at(Step.ASK_TYPE)
    t.bot_answers("mais de uma opção", "*2* - Erro na nota", "*3* - Erro no sistema")  # types by name
    t.bot_does_not_say("Dúvida", "Outro", "Não entendi")
    t.requester_says("3")
    assert chosen_type(t) == "Erro no sistema"


def test_outro_by_its_word():
    assert chosen_type(at_type_menu("Dúvida").requester_says("outro")) is None


def test_the_tickets_list_takes_a_word_of_a_title_a_number_and_0():
    t = reach(scene(), Step.TICKETS_MENU)
    t.requester_says("impressora").now_at(Step.TICKET_MENU).bot_answers("*Atendimento 1042*")
    t.requester_says("menu").now_at(Step.TICKETS_MENU)  # navigation words still win
    t.requester_says("vpn").now_at(Step.TICKET_MENU).bot_answers("*Atendimento 1041*")
    t.requester_says("voltar").requester_says("0").now_at(Step.ASK_SUBJECT)


def test_a_word_of_two_tickets_asks_which():
    world = scene()
    world.add_ticket(SCENE_PHONES["one_company"], ACME_CNPJ, "Impressora do RH", number=1060)
    t = reach(world, Step.TICKETS_MENU).requester_says("impressora").now_at(Step.TICKETS_MENU)
    t.bot_answers("*1060* - Impressora do RH", "*1042* - Impressora sem tinta").bot_does_not_say("VPN")


@pytest.mark.parametrize(
    ("typed", "step"), [("ver atendimentos", Step.TICKETS_MENU), ("vincular", Step.LINK_CNPJ)]
)
def test_the_access_menu_takes_words(typed, step):
    reach(scene(), Step.ACCESS_MENU).requester_says(typed).now_at(step)


def test_the_ticket_menu_takes_words():
    reach(scene(), Step.TICKET_MENU).requester_says("enviar mensagem").now_at(Step.ASK_ACTION_TEXT)
    reach(scene(), Step.TICKET_MENU).requester_says("encerrar").now_at(Step.ENDED)


# --- 2. yes / no -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "yes", ["sim", "s", "isso", "ok", "resolveu", "resolvido", "pode", "👍", "✅", "Sim!"]
)
def test_solved_yes_in_words_and_emojis(yes):
    t = reach(scene(), Step.CONFIRM_FIX).requester_says(yes)
    t.now_at(Step.ASK_RATING).bot_answers("Que bom")


@pytest.mark.parametrize("no", ["não", "nao", "n", "ainda não", "continua", "👎", "❌"])
def test_solved_no_in_words_and_emojis(no):
    reach(scene(), Step.CONFIRM_FIX).requester_says(no).did(ReopenTicket(1042))


def test_the_draft_offered_back_takes_yes_and_no_and_its_words():
    reach(scene(), Step.RESUME_DRAFT).requester_says("sim").now_at(Step.ASK_DESCRIPTION)
    reach(scene(), Step.RESUME_DRAFT).requester_says("continuar").now_at(Step.ASK_DESCRIPTION)
    t = reach(scene(), Step.RESUME_DRAFT).requester_says("não").bot_answers("descartado")
    t.now_at(Step.ACCESS_MENU)


def test_a_rating_after_a_thumbs_up():
    t = reach(scene(), Step.CONFIRM_FIX).requester_says("👍").requester_says("5").requester_says("pular")
    t.did(RateTicket(1042, 5, None))


# --- 3. thanks, greetings and ok -------------------------------------------------------------


def test_thanks_right_after_a_ticket_is_opened_is_answered_kindly():
    t = reach(scene(), Step.TICKET_MEDIA).requester_says("fim").now_at(Step.TICKETS_MENU)
    t.requester_says("obrigado!").bot_answers("De nada", "*Atendimentos - Acme Ltda*")
    t.bot_does_not_say("Não entendi", "inválida").now_at(Step.TICKETS_MENU)


@pytest.mark.parametrize(
    ("step", "said", "answer"),
    [
        (Step.ACCESS_MENU, "ok", "Combinado"),
        (Step.TICKET_MENU, "valeu!", "De nada"),
        (Step.ASK_TYPE, "bom dia", "Olá"),
        (Step.ASK_CNPJ, "oi, tudo bem?", "Olá"),
        (Step.ASK_NAME, "bom dia", "Olá"),
        (Step.CHOOSE_COMPANY, "obrigada", "De nada"),
    ],
)
def test_small_talk_where_an_answer_is_expected_gets_a_friendly_word_and_the_question(step, said, answer):
    t = reach(scene(), step)
    t.world.now += timedelta(minutes=1)  # not the welcome's next bubble (tests/unit/test_dialog_issue_28.py)
    t.requester_says(said).now_at(step)
    t.bot_answers(answer).bot_does_not_say("Não entendi", "inválid", "Não consegui")


@pytest.mark.parametrize("step", [Step.ASK_SUBJECT, Step.ASK_DESCRIPTION, Step.ASK_ACTION_TEXT])
def test_where_text_is_written_thanks_are_text(step):
    t = reach(scene(), step).requester_says("Obrigado")
    assert t.step is not step and "De nada" not in t.text


# --- 4. two misunderstandings: the options with their words ------------------------------------


def test_a_second_miss_shows_the_options_with_their_words_and_the_help_words():
    t = at_type_menu("Dúvida", "Erro no sistema")
    first = t.requester_says("batata").bot_answers("Não entendi").text
    t.requester_says("cenoura").bot_answers("Ainda não entendi", "*1* - Dúvida\n")
    t.bot_answers("*2* - Erro no sistema (ou *erro*)", "*menu*", "*voltar*", "*sair*")
    assert "*3* - Outro\n" in t.text and "(ou *outro*)" not in t.text  # no option is its own hint
    assert t.text != first
    t.requester_says("erro")
    assert chosen_type(t) == "Erro no sistema"


def test_an_understood_answer_resets_the_count():
    t = reach(scene(), Step.TICKET_MENU).requester_says("batata").requester_says("ok")
    t.bot_answers("Combinado").requester_says("batata").bot_answers("Não entendi")
    t.bot_does_not_say("Ainda não entendi")


def test_a_second_wrong_cnpj_lists_the_help_words():
    t = reach(scene(), Step.ASK_CNPJ).requester_says("123").bot_answers("Não consegui validar")
    t.requester_says("456").bot_answers("Ainda não entendi", "*ajuda*", "CNPJ").now_at(Step.ASK_CNPJ)


# --- 9. what the bot cannot read keeps its clear answer ------------------------------------------


def test_a_sticker_at_a_menu_still_gets_the_clear_answer():
    reach(scene(), Step.TICKETS_MENU).requester_sends_sticker().bot_answers("Não consigo ler esse tipo")


@pytest.mark.parametrize(
    "said", ["tchau", "Obrigado, até mais! 👋", "valeu, falou", "pode encerrar a conversa"]
)
@pytest.mark.parametrize("step", [Step.TICKETS_MENU, Step.TICKET_MENU, Step.ASK_SUBJECT])
def test_a_goodbye_ends_the_conversation_as_sair_does(step, said):
    reach(scene(), step).requester_says(said).bot_answers("Conversa encerrada").now_at(Step.ENDED)


def test_encerrar_alone_in_a_draft_is_not_a_goodbye():
    reach(scene(), Step.ASK_SUBJECT).requester_says("Encerrar").now_at(Step.ASK_TYPE)
