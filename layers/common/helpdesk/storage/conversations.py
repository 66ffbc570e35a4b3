"""The phone's conversation item (PHONE#<phone>, CONVERSATION): the dialog's state, the last
turn's outbox, the writes it remembers.

Every write of a conversation goes through `save_conversation` (a turn, the notifier's closing
question), in a `TurnWrite`: saved with its version and with the write's id among the recent ones,
so a concurrent writer cancels it and a redelivery finds it `applied`. Its state is read through
`live_state` only.

Every turn writes this item, and DynamoDB bills a write per started kilobyte (twice in a
transaction): its JSON is stored compact (`CompactJSONAttribute`), and what it keeps leaves out
what is empty or at its default (an image's audio fields, zero counts, no fill values, a saved
action's "ACTION#" and its empty deleted ids). `python -m bench.counts` shows the writes per step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import UpdateError

from helpdesk.domain.conversation import ConversationState, Reply
from helpdesk.domain.menus import Menu
from helpdesk.storage.aliases import ADDRESS_SK, address_key
from helpdesk.storage.models import Conversation, IdentityAlias, Item, SentReply
from helpdesk.storage.phones import PhoneSnapshot, phone_pk
from helpdesk.storage.transaction import TurnWrite, condition_failed

__all__ = ["Conversation"]  # the record type callers receive


def conversation_key(phone: str) -> tuple[str, str]:
    """The (pk, sk) of the phone's conversation item."""
    return phone_pk(phone), "CONVERSATION"


def conversation_and_address(phone: str) -> tuple[Conversation | None, str | None]:
    """The conversation and the address of a requester who changed number or BSUID (storage.aliases),
    in one request (what the notifier reads before sending)."""
    found = {item.sk: item for item in Item.batch_get([conversation_key(phone), address_key(phone)])}
    conversation, address = found.get("CONVERSATION"), found.get(ADDRESS_SK)
    return (
        conversation if isinstance(conversation, Conversation) else None,
        address.phone if isinstance(address, IdentityAlias) else None,
    )


def get_conversation(phone: str) -> Conversation | None:
    try:
        return Conversation.get(*conversation_key(phone))
    except Conversation.DoesNotExist:
        return None


def conversation_of(snapshot: PhoneSnapshot) -> Conversation:
    """The phone's conversation, or a new one (written by the turn that created it)."""
    pk, sk = conversation_key(snapshot.phone)
    return snapshot.conversation or Conversation(pk=pk, sk=sk, phone=snapshot.phone)


def unprompted(conversation: Conversation | None, phone: str, instance: str) -> Conversation:
    """The conversation as read, or one that has had no message (for a state the notifier sets):
    its last activity is the epoch, so neither the Cloud API's 24-hour window nor the link of a
    reply to the last notification reads it as an inbound."""
    if conversation is None:
        never = datetime(1970, 1, 1, tzinfo=UTC)
        conversation = Conversation(pk=phone_pk(phone), sk="CONVERSATION", phone=phone, last_activity=never)
    conversation.instance = conversation.instance or instance
    return conversation


def outbox(replies: Sequence[Reply]) -> list[SentReply]:
    return [
        SentReply(text=reply.text, fill=list(reply.fill), menu=reply.menu.to_dict() if reply.menu else None)
        for reply in replies
    ]


def outbox_replies(conversation: Conversation) -> list[Reply]:
    """The replies of the conversation's outbox, as the turn committed them."""
    return [
        Reply(sent.text, tuple(sent.fill or ()), Menu.from_dict(sent.menu) if sent.menu else None)
        for sent in conversation.outbox or []
    ]


def live_state(conversation: Conversation | None, now: datetime) -> ConversationState | None:
    """The state of a conversation still going on: None once the item expired (TTL deletion lags
    behind). The one reader of a stored state (a turn, the notifier)."""
    if conversation is None or conversation.expires_at <= now:
        return None
    return ConversationState.from_dict(conversation.state)


# The writes a conversation remembers (a turn's message id, the notifier's question of a closing).
RECENT_WRITES = 20


def applied(conversation: Conversation | None, write_id: str) -> bool:
    """Whether the write `write_id` is already on the conversation: a redelivery writes nothing."""
    return conversation is not None and write_id in (conversation.recent_message_ids or [])


def save_conversation(write: TurnWrite, conversation: Conversation, write_id: str) -> None:
    """The one writer of a conversation (a turn, the notifier's question), in `write`: saved with
    its version, so a concurrent writer cancels it (`ConcurrentUpdate` at commit: read again and
    run again), and with `write_id` among its recent writes, so a redelivery finds it `applied`."""
    recent = (conversation.recent_message_ids or [])[-(RECENT_WRITES - 1) :]
    conversation.recent_message_ids = [*recent, write_id]
    write.save(conversation)


# How long a conversation item outlives its last message: a draft survives a pause this long, and
# the Cloud API's 24-hour customer-service window is read from it. Whether the conversation is
# still going on is a separate, logical check (CONVERSATION_TTL_MINUTES after last_activity).
CONVERSATION_KEPT = timedelta(hours=24)


def conversation_expiry(now: datetime) -> datetime:
    return now + CONVERSATION_KEPT


def conversation_idle(conversation: Conversation, now: datetime, idle_minutes: int) -> bool:
    """No message for longer than the conversation time: what it was doing is interrupted."""
    return conversation.last_activity + timedelta(minutes=idle_minutes) <= now


def mark_outbox_sent(conversation: Conversation, message_id: str) -> None:
    try:
        conversation.update(
            actions=[Conversation.outbox_sent.set(True)],
            condition=Conversation.outbox_message_id == message_id,
        )
    except UpdateError as error:
        # The next message's turn already replaced this outbox: nothing left to mark.
        if not condition_failed(error):
            raise
