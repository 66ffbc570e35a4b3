"""What the conversation item (written by every turn, billed per started kilobyte) stores: compact
JSON, no empty or zero fields, and values stored in the earlier, longer shapes still read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from helpdesk.storage import saved
from helpdesk.storage.attributes import CompactJSONAttribute, TurnCounts
from helpdesk.storage.models import Action, Conversation

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_json_is_stored_without_spaces_and_with_letters_as_utf8():
    value = {"options": [["1", "Voltar à lista"]], "ask": "Digite o número:"}
    stored = CompactJSONAttribute().serialize(value)
    assert stored == '{"options":[["1","Voltar à lista"]],"ask":"Digite o número:"}'
    assert CompactJSONAttribute().deserialize(json.dumps(value)) == value  # stored before: spaced, escaped
    assert CompactJSONAttribute().serialize(None) is None


def test_a_lone_surrogate_stays_escaped_so_the_item_is_valid_utf8():
    stored = CompactJSONAttribute().serialize({"text": "oi \ud83d"})
    assert stored is not None
    stored.encode()
    assert CompactJSONAttribute().deserialize(stored) == {"text": "oi \ud83d"}


def test_turn_counts_leave_zero_conversations_and_tickets_out():
    assert TurnCounts(sent=2).serialize(TurnCounts(sent=2)) == {"sent": {"N": "2"}}


def _action(message_id: str, at: datetime) -> Action:
    return Action(pk="TICKET#7", sk=f"ACTION#{at.isoformat()}#wa-{message_id}")


def test_saved_actions_are_stored_packed_and_found():
    conversation = Conversation(pk="PHONE#5511", sk="CONVERSATION", phone="5511")
    saved.remember(conversation, ("m1", "m2"), 7, _action("m2", NOW), NOW)
    assert conversation.saved == [[7, f"{NOW.isoformat()}#wa-m2", ["m1", "m2"]]]
    ref = saved.find(conversation, "m1")
    assert ref is not None and ref.key == f"ACTION#{NOW.isoformat()}#wa-m2" and ref.ticket_number == 7
    saved.forget_deleted(conversation, "m1")
    assert conversation.saved == [[7, f"{NOW.isoformat()}#wa-m2", ["m1", "m2"], ["m1"]]]
    assert saved.find(conversation, "m1") is None and saved.find(conversation, "m2") is not None


def test_saved_actions_stored_in_the_earlier_shape_still_read():
    key = f"ACTION#{NOW.isoformat()}#wa-m2"
    conversation = Conversation(pk="PHONE#5511", sk="CONVERSATION", phone="5511")
    conversation.saved = [[7, key, ["m1", "m2"], []], [8, "ACTION#x#wa-m3", ["m3"], ["m3"]]]
    ref = saved.find(conversation, "m2")
    assert ref is not None and ref.key == key and ref.action_id == "wa-m2"
    assert saved.find(conversation, "m3") is None
    saved.remember(conversation, ("m4",), 7, _action("m4", NOW), NOW)
    assert saved.find(conversation, "m2") == ref
