"""Which ticket and action a phone's recent messages became, and the marks those actions take later.

An edit or a delete for everyone names the message it changes by its WhatsApp id. The turn that
saves a ticket or an action records, on the conversation item (which every turn reads and writes
anyway), the ids of the messages it was written with: an edit or a delete finds its action there
with no read. WhatsApp allows edits for 15 minutes and deletes for everyone for about two days;
the conversation item itself lives 24 hours after the last message.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpdesk.domain.conversation import ActionRef
from helpdesk.storage.models import Action, Conversation, ticket_pk
from helpdesk.storage.transaction import TurnWrite

KEPT = 10  # saved tickets/actions remembered per phone
KEPT_FOR = timedelta(days=3)


def find(conversation: Conversation | None, message_id: str) -> ActionRef | None:
    """The action `message_id` became; None when unknown, or already deleted (a delete or an edit
    arriving after the delete changes nothing)."""
    for ticket, key, ids, deleted in reversed(_records(conversation)):
        if message_id in ids:
            if message_id in deleted:
                return None
            return ActionRef(ticket, key.rsplit("#", 1)[-1], key)
    return None


def remember(
    conversation: Conversation,
    message_ids: tuple[str, ...],
    ticket_number: int,
    action: Action,
    now: datetime,
) -> None:
    """Notes that `message_ids` became `action` on the ticket (kept on the conversation as it is
    written by this turn)."""
    ids = [message_id for message_id in message_ids if message_id]
    if not ids:
        return
    recent = [r for r in _records(conversation) if _at(r[1]) + KEPT_FOR > now]
    _store(conversation, [*recent[-(KEPT - 1) :], (ticket_number, action.sk, ids, [])])


def forget_deleted(conversation: Conversation, message_id: str) -> None:
    """Notes that `message_id` was deleted for everyone: nothing it changes later counts."""
    records = _records(conversation)
    _store(
        conversation,
        [(t, k, ids, [*gone, message_id] if message_id in ids else gone) for t, k, ids, gone in records],
    )


def mark_deleted(write: TurnWrite, ref: ActionRef, now: datetime) -> None:
    """The action's message was deleted by the requester: marked once (the first time stays)."""
    action = Action(pk=ticket_pk(ref.ticket_number), sk=ref.key)
    write.update(action, [Action.deleted_at.set(Action.deleted_at | now)], condition=Action.pk.exists())


def react(write: TurnWrite, ref: ActionRef, emoji: str, reaction_id: str, now: datetime) -> None:
    """The requester's reaction to the action's notification (the last one counts; "" removes)."""
    action = Action(pk=ticket_pk(ref.ticket_number), sk=ref.key)
    updates = [Action.reaction.set(emoji), Action.reaction_id.set(reaction_id), Action.reacted_at.set(now)]
    write.update(action, updates, condition=Action.pk.exists())


# Each record is packed, [ticket number, action key, [message ids], [deleted ids]], on the
# conversation item every turn writes: the action key (ACTION#<iso time>#<action id>) holds the
# action's id and when it was saved. Stored without the key's "ACTION#" and without an empty
# list of deleted ids (records stored with them still read).
Record = tuple[int, str, list[str], list[str]]
_PREFIX = "ACTION#"


def _records(conversation: Conversation | None) -> list[Record]:
    raw = conversation.saved if conversation is not None else None
    records: list[Record] = []
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, list) and len(entry) in (3, 4) and isinstance(entry[1], str):
            key = entry[1] if entry[1].startswith(_PREFIX) else _PREFIX + entry[1]
            gone = entry[3] if len(entry) == 4 else []
            records.append((int(entry[0]), key, list(entry[2] or []), list(gone or [])))
    return records


def _store(conversation: Conversation, records: list[Record]) -> None:
    conversation.saved = [
        [ticket, key.removeprefix(_PREFIX), ids, *([gone] if gone else [])]
        for ticket, key, ids, gone in records
    ]


def _at(key: str) -> datetime:
    """When the action was saved, from its key."""
    try:
        return datetime.fromisoformat(key.split("#")[1])
    except (ValueError, IndexError):
        return datetime.fromtimestamp(0, UTC)
