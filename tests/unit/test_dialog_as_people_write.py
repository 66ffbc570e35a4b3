"""Conversations as people really write them (issue 12), in the ticket and the action flows:
nothing typed is lost, files where text is asked, the navigation words, drafts that survive a pause,
and replies that reach their ticket."""

import pytest

from helpdesk.domain.conversation import ConversationState, CreateTicket, PostAction, Step
from helpdesk.domain.messages import MediaKind
from helpdesk.domain.step_data import StepData
from tests.unit.dialog_world import ROUTES, SCENE_PHONES, reach, scene

ASKING_STEPS = [step for step in Step if step is not Step.ENDED]


def at_description():
    return reach(scene(), Step.ASK_DESCRIPTION)


def at_action_text():
    return reach(scene(), Step.ASK_ACTION_TEXT)


# --- 1. nothing typed is lost ----------------------------------------------------------------


def test_a_description_in_three_messages_is_stored_whole():
    t = at_description()
    t.requester_says("Bom dia").now_at(Step.TICKET_MEDIA)
    t.requester_says("o sistema não abre desde ontem").bot_sends(1).bot_answers("Anotado", "*Fim*")
    t.bot_does_not_say("Quer anexar")  # one short line, not the question again
    t.requester_says("aparece tela branca").now_at(Step.TICKET_MEDIA)
    t.requester_says("Fim")
    [create] = t.effects
    assert create.description == "Bom dia\no sistema não abre desde ontem\naparece tela branca"


@pytest.mark.parametrize(
    "said",
    [
        "pronto",
        "É só isso, obrigada!",
        "pode abrir",
        "não",
        "Não tenho arquivos",
        "pronto, é isso",
        "Concluir",
        "sem anexos",
    ],
)
def test_the_files_step_ends_with_fim_in_other_words(said):
    t = at_description().requester_says("O sistema não abre").requester_says(said)
    [create] = t.effects
    assert create.description == "O sistema não abre"
    t.now_at(Step.TICKETS_MENU)


def test_at_the_files_step_a_yes_is_asked_for_the_files_and_thanks_are_not_the_description():
    t = at_description().requester_says("O sistema não abre").requester_says("sim")
    t.bot_answers("Pode enviar", "*Fim*").now_at(Step.TICKET_MEDIA)
    t.requester_says("obrigada!").bot_answers("De nada").now_at(Step.TICKET_MEDIA)
    t.requester_sends_image("erro.png").requester_says("fim")
    [create] = t.effects
    assert create.description == "O sistema não abre" and len(create.attachments) == 1


def test_an_action_in_several_messages_is_posted_whole():
    t = at_action_text()
    t.requester_says("Ainda não funcionou").requester_says("tentei de novo agora").bot_answers("Anotado")
    t.requester_sends_image("erro.png").requester_says("segue o erro").requester_says("fim")
    [post] = t.effects
    assert post.text == "Ainda não funcionou\ntentei de novo agora\nsegue o erro"
    assert [a.filename for a in post.attachments] == ["erro.png"]


@pytest.mark.parametrize(("route", "limit"), [(Step.ASK_DESCRIPTION, 4000), (Step.ASK_ACTION_TEXT, 4000)])
def test_text_that_would_pass_the_limit_is_refused_whole(route, limit):
    t = reach(scene(), route).requester_says("x" * (limit - 5))
    before = t.state
    t.requester_says("123456").bot_sends(1).bot_answers(f"limite de {limit} caracteres", "*Fim*")
    assert t.state == before
    t.requester_says("1234").bot_answers("Anotado")  # "\n1234" fits exactly
    assert len(t.state.data.description if route is Step.ASK_DESCRIPTION else t.state.data.text) == limit


def test_a_caption_in_the_files_step_is_added_to_the_text():
    t = at_description().requester_says("Não imprime")
    t.requester_sends_captioned_image("olha a luz vermelha", "luz.jpg").bot_answers("Recebi *luz.jpg*")
    t.requester_says("fim")
    [create] = t.effects
    assert create.description == "Não imprime\nolha a luz vermelha"
    assert [a.filename for a in create.attachments] == ["luz.jpg"]


# --- 2. files where the text is asked --------------------------------------------------------


def test_a_captioned_screenshot_is_the_description_and_its_file():
    t = at_description()
    t.requester_sends_captioned_image("Erro ao emitir nota", "print.png")
    t.bot_answers("Recebi *print.png*", "Quer anexar").now_at(Step.TICKET_MEDIA)
    t.requester_says("desde as 9h").requester_says("fim")
    [create] = t.effects
    assert create.description == "Erro ao emitir nota\ndesde as 9h"
    assert [(a.filename, a.kind) for a in create.attachments] == [("print.png", MediaKind.IMAGE)]


def test_a_voice_note_stands_for_the_description():
    t = at_description().requester_sends_voice_note("ptt-1.ogg").now_at(Step.TICKET_MEDIA)
    t.requester_sends_document("nota.pdf").requester_says("Fim")
    [create] = t.effects
    assert create.description == "(mensagem de voz)"
    assert [a.filename for a in create.attachments] == ["ptt-1.ogg", "nota.pdf"]


@pytest.mark.parametrize(
    ("send", "shown"),
    [
        (lambda t: t.requester_sends_image(), "(imagem)"),
        (lambda t: t.requester_sends_video(), "(vídeo)"),
        (lambda t: t.requester_sends_document(), "(documento)"),
        (lambda t: t.requester_sends_voice_note(), "(mensagem de voz)"),
    ],
)
def test_a_file_without_caption_stands_for_the_action_text(send, shown):
    t = send(at_action_text()).now_at(Step.ACTION_MEDIA)
    t.requester_says("fim")
    [post] = t.effects
    assert post.text == shown and len(post.attachments) == 1


def test_a_refused_file_where_text_is_asked_is_explained_and_nothing_moves():
    t = at_description()
    before = t.state
    t.requester_sends_too_large_file().bot_answers("grande demais", "Descreva").now_at(Step.ASK_DESCRIPTION)
    t.requester_sends_unsupported_file().bot_answers("tipo de arquivo", "Descreva")
    assert t.state == before


def test_a_caption_over_the_limit_is_refused_with_its_file_and_the_requester_is_told():
    t = at_action_text().requester_sends_captioned_image("z" * 4001)
    t.bot_answers("Não recebi esse arquivo", "limite de 4000").now_at(Step.ASK_ACTION_TEXT)
    assert not t.state.data.attachments
    t.requester_says("y" * 3990)
    before = t.state
    t.requester_sends_captioned_image("legenda longa").bot_sends(1).bot_answers("Não recebi esse arquivo")
    assert t.state == before


def test_a_file_before_the_subject_is_kept_and_the_subject_asked():
    """Issue 28 (was: refused with "resposta em texto", the file dropped)."""
    t = reach(scene(), Step.ASK_SUBJECT).requester_sends_image("print.png")
    t.bot_answers("Recebi o arquivo", "assunto").now_at(Step.ASK_SUBJECT)
    t.requester_says("Impressora parada").requester_says("1").requester_says("Não liga").requester_says("fim")
    [create] = t.effects
    assert [a.filename for a in create.attachments] == ["print.png"]


# --- 3. navigation words ---------------------------------------------------------------------


@pytest.mark.parametrize("step", ASKING_STEPS)
@pytest.mark.parametrize("word", ["ajuda", "AJUDA", " Ajúda. "])
def test_ajuda_lists_the_words_and_repeats_the_question_everywhere(step, word):
    t = reach(scene(), step)
    before, question = t.state, t.question()
    t.requester_says(word).bot_sends(1)
    if step in (Step.ASK_CNPJ, Step.ASK_NAME, Step.ASK_EMAIL):  # before the registration: what it asks
        t.bot_answers("*CNPJ*", "*voltar*", "*ajuda*", "*sair*", question).bot_does_not_say("*meus dados*")
    else:
        t.bot_answers("*menu*", "*voltar*", "*ajuda*", "*sair*", "*meus dados*", question)
    assert t.state == before
    t.did_nothing()


@pytest.mark.parametrize("step", ASKING_STEPS)
def test_menu_and_voltar_leave_a_valid_conversation_everywhere(step):
    for word in ("menu", "voltar", "MENU", "Voltar!"):
        t = reach(scene(), step).requester_says(word).did_nothing()
        assert t.step is not Step.ENDED


@pytest.mark.parametrize(
    "step",
    [s for s, (who, _) in ROUTES.items() if who != "new" and s not in (Step.ENDED, Step.CHOOSE_COMPANY)],
)
def test_menu_goes_to_the_tickets_menu_of_the_company(step):
    t = reach(scene(), step).requester_says("menu")
    t.now_at(Step.TICKETS_MENU).bot_answers("Atendimentos - Acme Ltda")


def test_menu_in_a_draft_discards_it_and_says_so():
    t = reach(scene(), Step.TICKET_MEDIA).requester_sends_image()
    t.requester_says("Menu").bot_answers("foi descartado", "*0* - Criar novo").now_at(Step.TICKETS_MENU)
    t.did_nothing()
    t.requester_says("0").now_at(Step.ASK_SUBJECT)
    assert t.state.data == StepData()
    reach(scene(), Step.ASK_ACTION_TEXT).requester_says("menu").bot_does_not_say("descartado")


def test_menu_before_registration_starts_over():
    t = reach(scene(), Step.ASK_EMAIL).requester_says("menu").now_at(Step.ASK_CNPJ)
    t.did_nothing()


def test_voltar_walks_the_ticket_flow_back_keeping_the_draft():
    t = reach(scene(), Step.TICKET_MEDIA).requester_sends_document("a.pdf")
    t.requester_says("voltar").bot_answers("pergunta anterior", "Descreva").now_at(Step.ASK_DESCRIPTION)
    t.requester_says("voltar").bot_answers("*tipo*").now_at(Step.ASK_TYPE)
    t.requester_says("voltar").bot_answers("assunto").now_at(Step.ASK_SUBJECT)
    t.requester_says("Impressora sem papel")  # a new subject replaces the old one
    t.requester_says("2").requester_says("Na verdade, sem papel")
    t.now_at(Step.TICKET_MEDIA).requester_says("fim")
    [create] = t.effects
    assert (create.title, create.request_type_name) == ("Impressora sem papel", "Rede")
    assert create.description == "Na verdade, sem papel"
    assert [a.filename for a in create.attachments] == ["a.pdf"]  # the files stayed


def test_voltar_from_the_subject_leaves_the_flow_and_says_what_is_lost():
    t = reach(scene(), Step.ASK_TYPE).requester_says("voltar").requester_says("voltar")
    t.now_at(Step.TICKETS_MENU).bot_answers("foi descartado")


def test_voltar_walks_the_action_flow_back():
    t = reach(scene(), Step.ACTION_MEDIA)
    t.requester_says("voltar").bot_answers("Digite a mensagem").now_at(Step.ASK_ACTION_TEXT)
    assert t.state.data.text == "Alguma novidade?"
    t.requester_says("voltar").bot_answers("foi descartada", "1 - Enviar").now_at(Step.TICKET_MENU)
    t.requester_says("voltar").now_at(Step.TICKETS_MENU)
    t.requester_says("voltar").now_at(Step.ACCESS_MENU)
    t.requester_says("voltar").bot_answers("Não há pergunta anterior").now_at(Step.ACCESS_MENU)


def test_voltar_in_registration():
    t = reach(scene(), Step.ASK_EMAIL).requester_says("voltar").now_at(Step.ASK_NAME)
    t.requester_says("voltar").now_at(Step.ASK_CNPJ).requester_says("voltar").bot_answers("Não há")


def test_voltar_with_several_companies_goes_back_to_the_choice():
    t = scene().transcript(SCENE_PHONES["two_companies"]).requester_says("oi").requester_says("2")
    t.now_at(Step.ACCESS_MENU).requester_says("voltar").now_at(Step.CHOOSE_COMPANY)


@pytest.mark.parametrize("word", ["menu", "voltar", "ajuda"])
def test_the_words_win_over_a_subject_and_a_description(word):
    """Documented precedence: a whole-message navigation word is never taken as an answer."""
    t = reach(scene(), Step.ASK_SUBJECT).requester_says(word)
    assert t.step is not Step.ASK_TYPE
    t = reach(scene(), Step.TICKET_MEDIA).requester_says(word)
    assert t.state.data.description is None or "ajuda" not in t.state.data.description
    reach(scene(), Step.ASK_SUBJECT).requester_says(f"{word} do sistema").now_at(Step.ASK_TYPE)


@pytest.mark.parametrize("word", ["menu", "voltar", "ajuda"])
def test_a_word_as_the_first_message_starts_the_conversation(word):
    t = scene().transcript(SCENE_PHONES["one_company"]).requester_says(word)
    t.now_at(Step.ACCESS_MENU).bot_answers("Olá de novo")


# --- 4. drafts survive a pause ---------------------------------------------------------------


def test_a_paused_ticket_draft_is_offered_back_with_its_texts_and_files():
    t = at_description().requester_says("Não liga").requester_sends_image("a.jpg").requester_sends_video()
    t.pause().requester_says("oi").bot_sends(1)
    t.bot_answers("Olá de novo", "1 - Continuar o atendimento *Impressora parada*", "2 - Começar de novo")
    t.bot_does_not_say("inválida")
    t.now_at(Step.RESUME_DRAFT).did_nothing()
    t.requester_says("1").bot_answers("de onde você parou", "2 arquivos", "Quer anexar")
    t.now_at(Step.TICKET_MEDIA).requester_says("e faz barulho").requester_says("fim")
    [create] = t.effects
    assert (create.title, create.request_type_name) == ("Impressora parada", "Hardware")
    assert create.description == "Não liga\ne faz barulho"
    assert len(create.attachments) == 2


def test_a_paused_action_draft_is_offered_back():
    t = reach(scene(), Step.ACTION_MEDIA).pause().requester_says("bom dia")
    t.bot_answers("Continuar o atendimento *1042*").requester_says("1").now_at(Step.ACTION_MEDIA)
    t.requester_says("Fim").did(PostAction(ticket_number=1042, text="Alguma novidade?"))


def test_starting_again_discards_the_draft():
    t = reach(scene(), Step.TICKET_MEDIA).pause().requester_says("oi").requester_says("2")
    t.bot_answers("foi descartado", "Olá de novo").now_at(Step.ACCESS_MENU).did_nothing()


def test_the_offer_asks_again_on_anything_else_and_survives_another_pause():
    t = reach(scene(), Step.RESUME_DRAFT).requester_says("talvez").bot_answers("Não entendi")
    t.now_at(Step.RESUME_DRAFT)
    t.pause().requester_says("oi").now_at(Step.RESUME_DRAFT).requester_says("1").now_at(Step.ASK_DESCRIPTION)


def test_words_at_the_offer():
    reach(scene(), Step.RESUME_DRAFT).requester_says("menu").bot_answers("descartado").now_at(
        Step.TICKETS_MENU
    )
    reach(scene(), Step.RESUME_DRAFT).requester_says("sair").now_at(Step.ENDED)
    reach(scene(), Step.RESUME_DRAFT).requester_says("ajuda").now_at(Step.RESUME_DRAFT)


def test_a_pause_without_a_draft_starts_over():
    for step in (Step.TICKETS_MENU, Step.ASK_SUBJECT, Step.TICKET_MENU, Step.ASK_ACTION_TEXT):
        t = reach(scene(), step).pause().requester_says("oi")
        t.bot_answers("Olá de novo").now_at(Step.ACCESS_MENU)


def test_nothing_is_downloaded_for_a_file_after_a_pause():
    t = reach(scene(), Step.TICKET_MEDIA).pause()
    assert not t._downloads_media()
    t.requester_sends_image().now_at(Step.RESUME_DRAFT)


def test_a_draft_that_cannot_be_restored_starts_over():
    t = reach(scene(), Step.RESUME_DRAFT)
    t.state = ConversationState.from_dict({**t.state.to_dict(), "data": {"draft": {"step": "no such step"}}})
    t.requester_says("1").bot_answers("Olá de novo").now_at(Step.ACCESS_MENU)


# --- 5. replies reach their ticket -----------------------------------------------------------


def test_a_quoted_reply_is_a_new_action_on_that_ticket():
    t = reach(scene(), Step.ENDED).quoting(1042).requester_says("ainda não funcionou")
    t.bot_answers("Sua resposta vai para o atendimento *1042*", "anexar").now_at(Step.ACTION_MEDIA)
    t.requester_sends_image("tela.png").requester_says("Fim")
    [post] = t.effects
    assert (post.ticket_number, post.text, len(post.attachments)) == (1042, "ainda não funcionou", 1)


def test_a_quoted_voice_note_is_kept_on_that_ticket():
    t = scene().transcript(SCENE_PHONES["one_company"]).quoting(1042)
    assert t._downloads_media()
    t.requester_sends_voice_note().bot_answers("atendimento *1042*").now_at(Step.ACTION_MEDIA)
    t.requester_says("fim")
    assert t.effects[0].text == "(mensagem de voz)"


def test_a_quoted_reply_in_the_middle_of_a_draft_goes_to_the_ticket_and_says_what_is_lost():
    t = reach(scene(), Step.TICKET_MEDIA).quoting(1042).requester_says("ok, obrigado")
    t.bot_answers("foi descartado", "atendimento *1042*").now_at(Step.ACTION_MEDIA)
    assert t.state.data.text == "ok, obrigado"


def test_a_quoted_reply_while_writing_to_that_ticket_is_added_to_the_text():
    t = reach(scene(), Step.ACTION_MEDIA).quoting(1042).requester_says("e mais isso")
    t.bot_answers("Anotado")
    assert t.state.data.text == "Alguma novidade?\ne mais isso"


def test_a_quoted_reply_to_someone_elses_ticket_is_an_ordinary_message():
    t = reach(scene(), Step.ENDED).quoting(1050).requester_says("quero ver")  # João's ticket
    t.now_at(Step.ACCESS_MENU).bot_does_not_say("1050", "Acesso ao ERP")


def test_navigation_words_win_over_a_quote():
    reach(scene(), Step.ENDED).quoting(1042).requester_says("sair").now_at(Step.ENDED)
    reach(scene(), Step.ENDED).quoting(1042).requester_says("menu").now_at(Step.ACCESS_MENU)


def test_a_plain_message_after_a_notification_opens_that_ticket():
    t = reach(scene(), Step.ENDED).notified(1042).requester_says("oi")
    t.bot_answers("*Atendimento 1042*", "Vamos trocar o cartucho", "1 - Enviar uma nova mensagem")
    t.now_at(Step.TICKET_MENU)
    t.requester_says("1").requester_says("Obrigada!").requester_says("fim")
    t.did(PostAction(ticket_number=1042, text="Obrigada!"))


@pytest.mark.parametrize("before", [Step.ENDED, Step.TICKETS_MENU, Step.ACCESS_MENU])
def test_the_first_message_after_a_notification_answers_it_as_a_quoted_reply_would(before):
    """An agent asked something; people answer without quoting (it was shown, or "Não entendi")."""
    t = reach(scene(), before).notified(1042).requester_says("já troquei o cartucho e nada")
    t.bot_answers("atendimento *1042*").now_at(Step.ACTION_MEDIA).requester_says("fim")
    t.did(PostAction(ticket_number=1042, text="já troquei o cartucho e nada"))


def test_a_print_after_a_notification_goes_to_its_ticket_and_an_option_still_picks():
    t = reach(scene(), Step.TICKETS_MENU).notified(1042).requester_sends_image("print.png")
    t.now_at(Step.ACTION_MEDIA).requester_says("fim")
    assert [a.filename for a in t.effects[0].attachments] == ["print.png"]
    reach(scene(), Step.TICKETS_MENU).notified(1042).requester_says("0").now_at(Step.ASK_SUBJECT)


def test_a_notification_does_not_interrupt_a_conversation_going_on():
    t = reach(scene(), Step.ASK_SUBJECT).notified(1042).requester_says("Outro problema")
    t.now_at(Step.ASK_TYPE)


def test_a_paused_draft_is_offered_before_the_notified_ticket():
    t = reach(scene(), Step.TICKET_MEDIA).pause().notified(1042).requester_says("oi")
    t.now_at(Step.RESUME_DRAFT)


def test_a_paused_conversation_without_draft_opens_the_notified_ticket():
    t = reach(scene(), Step.TICKETS_MENU).pause().notified(1042).requester_says("oi")
    t.now_at(Step.TICKET_MENU)


def test_the_whole_ticket_flow_creates_one_ticket():
    t = at_description().requester_says("ok").requester_says("fim")
    assert isinstance(t.effects[0], CreateTicket)


def test_the_fix_question_asked_long_after_the_last_message_still_waits_for_its_answer():
    t = reach(scene(), Step.CONFIRM_FIX).pause().requester_says("1").now_at(Step.ASK_RATING)
    t = reach(scene(), Step.TICKET_MEDIA)
    t.ticket_closed(1042).pause().requester_says("oi")  # not an answer: the draft under it is offered
    t.now_at(Step.RESUME_DRAFT).requester_says("1").now_at(Step.TICKET_MEDIA)
