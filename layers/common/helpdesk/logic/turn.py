"""One dialog turn: an inbound WhatsApp message in, the conversation moved on, replies out.

Reads the phone's partition, stores media the dialog can use, runs the pure dialog, commits every
write of the turn at once (with the replies as an outbox; a transaction when it touches several
items, a conditional put when only the conversation changes), then sends the replies and marks the
outbox sent. The turn is idempotent by WhatsApp message id: a redelivered message finds
its id in the conversation and at most re-sends an outbox that a crash left unsent.
"""

from __future__ import annotations

import random
import time
from datetime import datetime

from aws_lambda_powertools import Logger

from helpdesk.domain import dialog
from helpdesk.domain.conversation import (
    ConversationState,
    CreateTicket,
    DialogSettings,
    Reply,
    Step,
)
from helpdesk.domain.corrections import CHANGES
from helpdesk.domain.credentials import generate_password, hash_password
from helpdesk.domain.messages import InboundMessage
from helpdesk.logic import senders, turn_input
from helpdesk.logic.effects import apply_effects
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import conversations, phones, stats
from helpdesk.storage.dialog_context import TableDialogContext
from helpdesk.storage.phones import Conversation
from helpdesk.storage.transaction import ConcurrentUpdate, TurnWrite

logger = Logger(child=True)

CONFLICT_ATTEMPTS = 3
SECRET_FILLS = frozenset({"password"})


def handle_inbound(message: InboundMessage, services: Services) -> None:
    """Runs the turn; a transaction cancelled by a concurrent writer is run again from the read. A
    change whose sender the webhook could not name is attributed first (logic.senders)."""
    if senders.needs_sender(message):
        senders.attribute(message, services)
        return
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return run_turn(message, services)
        except ConcurrentUpdate:
            if attempt == CONFLICT_ATTEMPTS:
                raise  # SQS redelivers it after the visibility timeout
            logger.warning(
                "turn conflicted with another writer; running it again", extra={"attempt": attempt}
            )
            time.sleep(random.uniform(0.02, 0.1) * attempt)  # nosec B311 # jitter, not security


def run_turn(message: InboundMessage, services: Services) -> None:
    snapshot = phones.load_phone(message.phone)
    conversation = snapshot.conversation
    if conversation is not None:
        # A crash between commit and send left replies behind: they go out before anything new.
        deliver_outbox(conversation, message.instance, services)
        if conversations.applied(conversation, message.message_id):
            logger.info("duplicate message ignored", extra={"message_id": message.message_id})
            return

    now = services.clock()
    state, paused = current_state(conversation, now, services.config.conversation_ttl_minutes)
    known = turn_input.circumstances(message, snapshot, now, paused, services)
    turn = turn_input.prepare_input(message, state, known, services)
    limits = DialogSettings(
        portal_url=services.config.portal_url,
        max_media_bytes=services.config.media_max_bytes,
        privacy_contact=services.config.privacy_contact,
    )
    context = TableDialogContext(snapshot, now, limits, instance=message.instance)
    result = dialog.handle(state, turn, context)
    if message.kind in CHANGES and not result.effects and state in (None, result.state):
        logger.info("a change of a message nothing holds", extra={"kind": message.kind.value})
        return  # an edit, delete or reaction that touches nothing: nothing to write or say

    write = TurnWrite()
    conversation = conversations.conversation_of(snapshot)
    fills, secret_fills = apply_effects(result.effects, context, message, now, write, services, conversation)
    conversation = next_conversation(conversation, message, result.state, result.replies, fills, now)
    conversations.save_conversation(write, conversation, message.message_id)
    stats.add_counts(
        write,
        message.instance,
        now,
        message.phone,
        received=1,
        sent=len(result.replies),
        conversations=int(state is None or paused or state.step is Step.ENDED),
        tickets=sum(isinstance(effect, CreateTicket) for effect in result.effects),
    )
    write.commit()
    logger.info(
        "turn committed",
        extra={
            "phone": mask_phone(message.phone),
            "step": result.state.step.value,
            "replies": len(result.replies),
        },
    )
    # Replies go where the message came from, as the gateway named it (not the normalized identity).
    to = message.reply_to or message.phone
    send_replies(result.replies, {**fills, **secret_fills}, message.instance, to, services)
    if result.replies:
        conversations.mark_outbox_sent(conversation, message.message_id)


def current_state(
    conversation: Conversation | None, now: datetime, idle_minutes: int
) -> tuple[ConversationState | None, bool]:
    """The stored state (None once the item expired: TTL deletion lags behind) and whether a pause
    interrupted it (idle past the conversation time: the dialog offers a draft back or starts over)."""
    state = conversations.live_state(conversation, now)
    if conversation is None or state is None:
        return None, False
    return state, conversations.conversation_idle(conversation, now, idle_minutes)


def next_conversation(conversation: Conversation, message, state, replies, fills, now) -> Conversation:
    conversation.instance = message.instance
    conversation.state = state.to_dict()
    conversation.outbox_message_id = message.message_id
    conversation.outbox = conversations.outbox(replies)
    conversation.outbox_sent = not replies
    conversation.outbox_values = fills or None  # never the password: SECRET_FILLS stay in memory only
    if message.kind not in CHANGES or conversation.last_activity is None:
        # An edit, delete or reaction is not activity: a pause it falls in stays a pause.
        conversation.last_activity = now
        conversation.expires_at = conversations.conversation_expiry(now)
    return conversation


def render(reply: Reply, values: dict[str, str]) -> Reply:
    """The reply with the executor's values in place of the tokens it names (text and menu)."""

    def fill(text: str) -> str:
        for name in reply.fill:
            text = text.replace("{" + name + "}", values.get(name, ""))
        return text

    return Reply(fill(reply.text), menu=reply.menu.filled(fill) if reply.menu else None)


def send_replies(replies, values: dict[str, str], instance: str, phone: str, services: Services) -> None:
    """Each reply as text, or as its menu (the gateway renders it: buttons, a list or numbered lines)."""
    gateway = services.gateway
    for reply in replies:
        shown = render(reply, values)
        if shown.menu is None:
            gateway.send_text(instance, phone, shown.text)
        else:
            gateway.send_menu(instance, phone, shown.text, shown.menu)


def deliver_outbox(conversation: Conversation, instance: str, services: Services) -> None:
    """Sends the replies of a committed turn whose send did not complete."""
    if conversation.outbox_sent or not conversation.outbox:
        return
    replies = conversations.outbox_replies(conversation)
    values = dict(conversation.outbox_values or {})
    if any(SECRET_FILLS & set(reply.fill) for reply in replies):
        # The password was never stored: issue a new one rather than send a stale token.
        password = generate_password()
        phones.reissue_credentials(conversation.phone, hash_password(password))
        values["password"] = password
    logger.info("delivering a pending outbox", extra={"message_id": conversation.outbox_message_id})
    send_replies(replies, values, instance, conversation.phone, services)
    conversations.mark_outbox_sent(conversation, conversation.outbox_message_id)
