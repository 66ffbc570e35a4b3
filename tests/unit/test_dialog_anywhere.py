"""Flows 6 and 7, at every step: "sair", starting over, and anything unexpected."""

import pytest

from helpdesk.domain import dialog
from helpdesk.domain.conversation import MEDIA_STEPS, ConversationState, Step, TurnInput
from helpdesk.domain.dialog import drafts
from helpdesk.domain.messages import InboundKind
from helpdesk.domain.step_data import StepData
from tests.unit.dialog_world import ROUTES, SCENE_PHONES, reach, scene

EVERY_STEP = list(Step)
ASKING_STEPS = [step for step in Step if step is not Step.ENDED]
# Where a file is kept besides the text steps: menus, the registration, the subject and the type.
# A file while articles are offered goes on with the ticket being written (knowledge.on_file).
FILE_STEPS = MEDIA_STEPS | drafts.FILE_STEPS | {Step.KB_OFFER, Step.KB_SOLVED}
TEXT_STEPS = [step for step in ASKING_STEPS if step not in FILE_STEPS]
# After a ticket is closed a file or a sticker is not an answer: the interrupted state takes it
# (tests/unit/test_dialog_closing.py).
AFTER_CLOSING = {Step.CONFIRM_FIX, Step.ASK_RATING, Step.ASK_RATING_COMMENT}


def test_every_step_has_a_question_and_an_answer_and_a_route():
    assert set(dialog.STEPS) == set(Step)
    assert all(dialog.STEPS[step].on_text for step in ASKING_STEPS)
    assert {step for step, spec in dialog.STEPS.items() if spec.on_media} == FILE_STEPS
    assert set(ROUTES) == set(Step)


@pytest.mark.parametrize("step", EVERY_STEP)
@pytest.mark.parametrize("word", ["sair", "SAIR", " Sair ", "SAÍR", "saír."])
def test_sair_ends_everywhere(step, word):
    t = reach(scene(), step)
    t.requester_says(word).bot_answers("Conversa encerrada").now_at(Step.ENDED).did_nothing()
    assert t.state.cnpj is None and t.state.data == StepData()


@pytest.mark.parametrize("almost", ["sair agora", "quero sair", "sai"])
def test_only_the_word_sair_ends(almost):
    t = reach(scene(), Step.ASK_SUBJECT).requester_says(almost)
    assert t.step is not Step.ENDED


def test_sair_as_a_very_first_message_says_goodbye():
    world = scene()
    world.transcript().requester_says("sair").bot_answers("Conversa encerrada").now_at(Step.ENDED)


def test_after_the_end_an_unknown_requester_starts_over_with_the_cnpj():
    t = reach(scene(), Step.ASK_EMAIL).requester_says("sair")
    t.requester_says("oi").bot_answers("Olá", "CNPJ").now_at(Step.ASK_CNPJ)


def test_after_the_end_a_known_requester_starts_over_with_the_company():
    world = scene()
    reach(world, Step.ENDED).requester_says("oi").bot_answers("Olá de novo, Maria").now_at(Step.ACCESS_MENU)
    two = world.transcript(SCENE_PHONES["two_companies"]).requester_says("sair").requester_says("oi")
    two.now_at(Step.CHOOSE_COMPANY)


def test_an_expired_conversation_starts_over():
    t = reach(scene(), Step.ASK_DESCRIPTION)
    t.state = None  # the executor passes None once the conversation expired
    t.requester_says("1").bot_answers("Olá de novo").now_at(Step.ACCESS_MENU)


@pytest.mark.parametrize("step", [step for step in ASKING_STEPS if step not in AFTER_CLOSING])
def test_stickers_and_locations_get_a_hint_and_the_same_question(step):
    t = reach(scene(), step)
    before, question = t.state, t.question()
    t.requester_sends_sticker().bot_sends(1).bot_answers("Não consigo ler esse tipo de mensagem", question)
    assert t.state == before
    t.requester_sends_location().bot_answers(question).did_nothing()
    assert t.state == before


@pytest.mark.parametrize("step", [step for step in TEXT_STEPS if step not in AFTER_CLOSING])
def test_files_where_only_text_is_asked_get_a_hint_and_the_same_question(step):
    t = reach(scene(), step)
    before, question = t.state, t.question()
    t.requester_sends_image().bot_answers("resposta em texto", question).did_nothing()
    assert t.state == before


@pytest.mark.parametrize("step", sorted(drafts.FILE_STEPS))
def test_a_file_at_a_menu_or_during_the_registration_is_kept_never_dropped(step):
    """Issue 28: a screenshot at the tickets menu (or anywhere a question is not about text) is
    kept: in a ticket's draft, in a message to the ticket shown, or waiting for the registration."""
    t = reach(scene(), step).requester_sends_image("print.png")
    t.bot_does_not_say("resposta em texto")
    assert [a.filename for a in t.state.data.attachments] == ["print.png"]


@pytest.mark.parametrize("step", ASKING_STEPS)
@pytest.mark.parametrize("empty", ["", "   ", None])
def test_empty_text_gets_a_hint_and_the_same_question(step, empty):
    t = reach(scene(), step)
    before = t.state
    t.send(TurnInput(kind=InboundKind.TEXT, text=empty)).bot_answers("vazia").did_nothing()
    assert t.state == before


@pytest.mark.parametrize(
    "state",
    [
        ConversationState(Step.TICKETS_MENU),  # no company
        ConversationState(Step.TICKET_MENU, cnpj="11222333000181"),  # no ticket number
        ConversationState.from_dict(  # as stored, with a number that is not one
            {"step": "action_media", "cnpj": "11222333000181", "data": {"ticket_number": "x"}}
        ),
        ConversationState(Step.ASK_EMAIL, cnpj="11222333000181"),  # but the requester is known
    ],
)
def test_a_state_the_context_does_not_support_starts_over(state):
    t = scene().transcript(SCENE_PHONES["one_company"])
    t.state = state
    t.requester_says("1").now_at(Step.ACCESS_MENU).bot_answers("Olá de novo")


def test_a_draft_of_an_unknown_requester_past_registration_starts_over():
    t = scene().transcript()
    t.state = ConversationState(Step.TICKETS_MENU, cnpj="11222333000181", data=StepData(page=0))
    t.requester_says("0").now_at(Step.ASK_CNPJ)
