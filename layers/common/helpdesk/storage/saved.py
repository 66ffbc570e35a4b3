"""Which ticket and action a phone's recent messages became, and the marks those actions take later.

An edit or a delete for everyone names the message it changes by its WhatsApp id. The turn that
saves a ticket or an action records, on the conversation item (which every turn reads and writes
anyway), the ids of the messages it was written with: an edit or a delete finds its action there
with no read. WhatsApp allows edits for 15 minutes and deletes for everyone for about two days;
the conversation item itself lives 24 hours after the last message.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from helpdesk.domain.conversation import ActionRef
from helpdesk.storage.models import Action, Conversation
from helpdesk.storage.tickets import ticket_pk
from helpdesk.storage.transaction import TurnWrite

KEPT = 10  # saved tickets/actions remembered per phone
KEPT_FOR = timedelta(days=3)


def find(conversation: Conversation | None, message_id: str) -> ActionRef | None:
    """The action `message_id` became; None when unknown, or already deleted (a delete or an edit
    arriving after the delete changes nothing)."""
    for record in reversed(_records(conversation)):
        if message_id in record.get("ids", []):
            if message_id in record.get("deleted", []):
                return None
            return ActionRef(int(record["ticket"]), str(record["action"]), str(record["key"]))
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
    recent = [r for r in _records(conversation) if _at(r) + KEPT_FOR > now]
    entry = {"ids": ids, "ticket": ticket_number, "action": action.action_id, "key": action.sk}
    conversation.saved = [*recent[-(KEPT - 1) :], {**entry, "at": now.isoformat()}]


def forget_deleted(conversation: Conversation, message_id: str) -> None:
    """Notes that `message_id` was deleted for everyone: nothing it changes later counts."""
    conversation.saved = [
        {**r, "deleted": [*r.get("deleted", []), message_id]} if message_id in r.get("ids", []) else r
        for r in _records(conversation)
    ]


def mark_deleted(write: TurnWrite, ref: ActionRef, now: datetime) -> None:
    """The action's message was deleted by the requester: marked once (the first time stays)."""
    action = Action(pk=ticket_pk(ref.ticket_number), sk=ref.key)
    write.update(action, [Action.deleted_at.set(Action.deleted_at | now)], condition=Action.pk.exists())


def react(write: TurnWrite, ref: ActionRef, emoji: str, reaction_id: str, now: datetime) -> None:
    """The requester's reaction to the action's notification (the last one counts; "" removes)."""
    action = Action(pk=ticket_pk(ref.ticket_number), sk=ref.key)
    updates = [Action.reaction.set(emoji), Action.reaction_id.set(reaction_id), Action.reacted_at.set(now)]
    write.update(action, updates, condition=Action.pk.exists())


def _records(conversation: Conversation | None) -> list[dict[str, Any]]:
    raw = conversation.saved if conversation is not None else None
    return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


def _at(record: dict[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(str(record.get("at")))
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
