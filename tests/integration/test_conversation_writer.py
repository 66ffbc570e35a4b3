"""The conversation's one writer (storage.conversations.save_conversation) against moto: the notifier's
closing question and a requester's turn on the same conversation never clobber each other, and a
redelivered closing writes its question once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.domain.conversation import ConversationState, Step
from helpdesk.logic import fix_question, turn
from helpdesk.logic.services import Services
from helpdesk.storage import conversations, phones
from local.testing.gateways import RecordingGateway
from local.testing.whatsapp import text
from tests.integration.erp_fixtures import CNPJ, INSTANCE, seed_ticket, set_conversation

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture
def seeded(aws):
    seeded = seed_ticket(now=NOW - timedelta(days=1))
    set_conversation(seeded.phone, "tickets_menu", {"page": 0}, now=NOW)
    return seeded


def stored(phone: str) -> tuple[ConversationState, list[str], int]:
    conversation = conversations.get_conversation(phone)
    assert conversation is not None
    state = ConversationState.from_dict(conversation.state)
    return state, list(conversation.recent_message_ids or []), conversation.version


def ask(seeded, conversation=None, action_id: str = "A1") -> None:
    """The notifier asks the closing's question on the conversation as it read it."""
    read = conversation or conversations.get_conversation(seeded.phone)
    fix_question.ask(read, seeded.phone, INSTANCE, (seeded.ticket_number, CNPJ), action_id, NOW)


def says(seeded, body: str, message_id: str, gateway: RecordingGateway | None = None) -> RecordingGateway:
    gateway = gateway or RecordingGateway()
    turn.handle_inbound(text(seeded.phone, body, message_id), Services(gateway=gateway, clock=lambda: NOW))
    return gateway


def test_a_redelivered_closing_writes_its_question_once(seeded):
    ask(seeded)
    state, recent, version = stored(seeded.phone)
    assert state.step is Step.CONFIRM_FIX and state.data.ticket_number == seeded.ticket_number
    assert state.data.resume is not None and state.data.resume.step is Step.TICKETS_MENU
    assert recent == ["fix:A1"]

    ask(seeded)  # the stream hands the same record again
    assert stored(seeded.phone) == (state, recent, version)


def test_a_redelivered_closing_does_not_ask_over_the_answer(seeded):
    ask(seeded)
    says(seeded, "sim", "WA-SIM")
    answered = stored(seeded.phone)
    assert answered[0].step is Step.ASK_RATING

    ask(seeded)  # a late redelivery of the closing: the answer stays
    assert stored(seeded.phone) == answered


def test_a_turn_between_the_notifiers_read_and_write_is_kept_under_the_question(seeded):
    read_by_notifier = conversations.get_conversation(seeded.phone)
    says(seeded, "0", "WA-NEW")  # the requester starts a new ticket meanwhile
    assert stored(seeded.phone)[0].step is Step.ASK_SUBJECT

    ask(seeded, read_by_notifier)
    state, recent, _ = stored(seeded.phone)
    assert state.step is Step.CONFIRM_FIX
    assert state.data.resume is not None and state.data.resume.step is Step.ASK_SUBJECT  # not clobbered
    assert recent == ["WA-NEW", "fix:A1"]


def test_a_question_between_a_turns_read_and_commit_is_answered_by_the_turn_run_again(seeded, monkeypatch):
    """The turn's commit finds the question written: it runs again from the read, and "sim"
    answers the question instead of overwriting it with the state it read first."""
    real_load = phones.load_phone
    loads: list[str] = []

    def load_then_notifier_writes(phone: str):
        snapshot = real_load(phone)
        loads.append(phone)
        if len(loads) == 1:
            ask(seeded)  # lands after the turn's read
        return snapshot

    monkeypatch.setattr(phones, "load_phone", load_then_notifier_writes)
    gateway = says(seeded, "sim", "WA-SIM")

    assert len(loads) == 2  # the first run was cancelled by the notifier's write
    state, recent, _ = stored(seeded.phone)
    assert state.step is Step.ASK_RATING and state.data.ticket_number == seeded.ticket_number
    assert recent == ["fix:A1", "WA-SIM"]
    [reply] = gateway.texts_to(seeded.phone)
    assert "nota" in reply.lower()


def test_a_closing_run_again_after_its_question_was_stored_asks_again_and_writes_nothing(seeded):
    """A record retried after a failure past the write (the send failed, say): the notification
    is sent again with its question (the first may never have arrived); the state is not rewritten."""
    from helpdesk.logic import notifications
    from helpdesk.logic.ticket_actions import post_action

    action = post_action(
        Services(clock=lambda: NOW),
        seeded.ticket_number,
        author_kind="agent",
        author_name="Carlos Lima",
        text="Troquei o cabo.",
        source="erp",
        status="Encerrado",
        closes=True,
    )
    image = {**action.attribute_values, "attachments": []}
    gateway = RecordingGateway()
    notifications.notify_requester(image, Services(gateway=gateway, clock=lambda: NOW))
    asked = stored(seeded.phone)
    notifications.notify_requester(image, Services(gateway=gateway, clock=lambda: NOW))

    first, second = gateway.texts_to(seeded.phone)
    assert "O problema foi resolvido?" in first and "O problema foi resolvido?" in second
    assert stored(seeded.phone) == asked and asked[0].step is Step.CONFIRM_FIX
