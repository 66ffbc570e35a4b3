"""Edits, deletes for everyone, reactions and voice-note transcripts (issue 22), through the dialog:
none of them is ever answered; a draft takes the change, a saved ticket gets it as a new message or
a mark, a reaction to a notification is recorded on the action it told about."""

from helpdesk.domain.conversation import (
    CreateTicket,
    MarkDeleted,
    PostAction,
    ReactToAction,
    Step,
)
from tests.unit.dialog_world import SCENE_PHONES, reach, scene


def at_description():
    return reach(scene(), Step.ASK_DESCRIPTION)


def created(t) -> CreateTicket:
    [create] = t.effects
    assert isinstance(create, CreateTicket)
    return create


# --- edits of a message still in a draft -------------------------------------------------------


def test_an_edit_of_the_description_replaces_it_in_the_draft_and_is_not_answered():
    t = at_description().requester_says("O sistema nao emite nota")
    typo = t.last_id
    t.requester_edits(typo, "O sistema não emite a nota fiscal").bot_sends(0).now_at(Step.TICKET_MEDIA)
    t.requester_says("Fim")
    assert created(t).description == "O sistema não emite a nota fiscal"


def test_an_edit_of_one_line_of_a_description_in_several_messages_changes_that_line():
    t = at_description().requester_says("Bom dia")
    t.requester_says("o sistema nao abre")
    second = t.last_id
    t.requester_says("desde ontem")
    t.requester_edits(second, "o sistema não abre").bot_sends(0)
    t.requester_says("fim")
    assert created(t).description == "Bom dia\no sistema não abre\ndesde ontem"


def test_an_edit_of_the_subject_replaces_the_title():
    t = reach(scene(), Step.ASK_TYPE)  # the subject was the route's 4th message
    subject = "m4"
    t.requester_edits(subject, "Impressora não liga").bot_sends(0).now_at(Step.ASK_TYPE)
    t.requester_says("1").requester_says("Nada acontece").requester_says("fim")
    assert created(t).title == "Impressora não liga"


def test_an_edit_of_a_caption_changes_the_text_the_file_gave():
    t = at_description().requester_says("Não imprime")
    t.requester_sends_captioned_image("luz vermelah", "luz.jpg")
    t.requester_edits(t.last_id, "luz vermelha").bot_sends(0)
    t.requester_says("fim")
    create = created(t)
    assert create.description == "Não imprime\nluz vermelha"
    assert [a.filename for a in create.attachments] == ["luz.jpg"]


def test_an_edit_reaches_a_draft_offered_back_after_a_pause():
    t = at_description().requester_says("texto com erro")
    typo = t.last_id
    t.pause().requester_says("oi").now_at(Step.RESUME_DRAFT)
    t.requester_edits(typo, "texto certo").bot_sends(0).now_at(Step.RESUME_DRAFT)
    t.requester_says("1").requester_says("fim")
    assert created(t).description == "texto certo"


def test_an_action_draft_takes_an_edit_too():
    t = reach(scene(), Step.ASK_ACTION_TEXT).requester_says("Ainda nao funcionou")
    t.requester_edits(t.last_id, "Ainda não funcionou").requester_says("fim")
    [post] = t.effects
    assert isinstance(post, PostAction) and post.text == "Ainda não funcionou"


# --- deletes of a message still in a draft -----------------------------------------------------


def test_a_delete_takes_a_file_out_of_the_draft_silently():
    t = at_description().requester_says("Segue o erro")
    t.requester_sends_image("errado.jpg")
    wrong = t.last_id
    t.requester_sends_image("certo.jpg")
    t.requester_deletes(wrong).bot_sends(0)
    t.requester_says("fim")
    assert [a.filename for a in created(t).attachments] == ["certo.jpg"]


def test_a_delete_takes_a_line_out_and_a_later_edit_of_it_changes_nothing():
    t = at_description().requester_says("Bom dia")
    t.requester_says("senha: 1234 (sem querer)")
    oops = t.last_id
    t.requester_deletes(oops).bot_sends(0)
    t.requester_edits(oops, "senha: 1234 de novo").bot_sends(0)  # arrived after the delete
    t.requester_deletes(oops).bot_sends(0)  # and again: nothing more to take out
    t.requester_says("fim")
    assert created(t).description == "Bom dia"


# --- a message already on a ticket -------------------------------------------------------------


def saved_ticket():
    """A ticket opened from a description message; returns (transcript, that message's id)."""
    t = at_description().requester_says("A impressora nao liga")
    description = t.last_id
    t.requester_says("fim")
    number = created(t) and max(t.world.tickets)
    return t, description, number


def test_an_edit_of_a_message_on_a_ticket_is_added_to_it_as_a_new_message():
    t, description, number = saved_ticket()
    t.requester_edits(description, "A impressora não liga").bot_sends(0).now_at(Step.TICKETS_MENU)
    [post] = t.effects
    assert isinstance(post, PostAction)
    assert (post.ticket_number, post.text) == (number, "(editado) A impressora não liga")
    assert t.world.tickets[number].actions[-1].text == "(editado) A impressora não liga"


def test_a_delete_of_a_message_on_a_ticket_marks_it_once_and_tells_the_requester_nothing():
    t, description, number = saved_ticket()
    t.requester_deletes(description).bot_sends(0).now_at(Step.TICKETS_MENU)
    [mark] = t.effects
    assert isinstance(mark, MarkDeleted) and mark.action.ticket_number == number
    assert t.world.tickets[number].actions[0].text == "A impressora nao liga"  # kept for agents
    t.requester_deletes(description).did_nothing()
    t.requester_edits(description, "outro texto").did_nothing()


def test_a_change_of_a_message_nothing_holds_does_nothing_and_keeps_the_step():
    t = reach(scene(), Step.TICKETS_MENU)
    before = t.state
    t.requester_edits("an-old-message", "texto").bot_sends(0).did_nothing()
    t.requester_deletes("an-old-message").bot_sends(0).did_nothing()
    assert t.state == before


def test_a_change_with_no_conversation_starts_none():
    t = scene().transcript(SCENE_PHONES["one_company"])
    t.requester_edits("an-old-message", "texto").bot_sends(0)
    assert t.state is None


# --- reactions -------------------------------------------------------------------------------


def test_a_reaction_to_a_notification_is_recorded_on_its_action_and_not_answered():
    world = scene()
    t = reach(world, Step.TICKETS_MENU)
    told = world.notify(1042, "Trocamos o cartucho.")
    t.requester_reacts(told, "👍").bot_sends(0).now_at(Step.TICKETS_MENU)
    ref = world.notifications[told][1]
    t.did(ReactToAction(ref, "👍"))
    assert world.reactions[ref.action_id] == "👍"
    t.requester_reacts(told, "").did(ReactToAction(ref, ""))  # taken back


def test_any_other_reaction_is_ignored():
    world = scene()
    t = reach(world, Step.ASK_DESCRIPTION).requester_says("texto")
    t.requester_reacts(t.last_id, "❤️").bot_sends(0).did_nothing().now_at(Step.TICKET_MEDIA)
    other = world.notify(1050, "Acesso liberado.")  # another requester's ticket
    t.requester_reacts(other, "👍").did_nothing()


# --- voice notes the gateway transcribed -------------------------------------------------------


def test_a_transcribed_voice_note_answers_a_question_that_asks_for_text():
    t = reach(scene(), Step.ASK_SUBJECT)
    t.requester_sends_voice_note_saying("Impressora parada").now_at(Step.ASK_TYPE)
    assert t.state.data.title == "Impressora parada"


def test_a_transcribed_voice_note_is_the_description_and_stays_attached():
    t = at_description().requester_sends_voice_note_saying("A impressora não liga desde ontem")
    t.now_at(Step.TICKET_MEDIA).requester_says("fim")
    create = created(t)
    assert create.description == "A impressora não liga desde ontem"
    assert [a.kind.value for a in create.attachments] == ["audio"]
