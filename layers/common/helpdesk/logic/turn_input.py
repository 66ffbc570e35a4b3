"""The inbound message as the dialog reads it: what the executor knows besides the message, and
the message's file stored (or refused) where the dialog can keep it."""

from __future__ import annotations

import mimetypes
from datetime import datetime

from msgspec.structs import replace

from helpdesk.aws import s3
from helpdesk.domain import dialog
from helpdesk.domain.conversation import ActionRef, ConversationState, TurnInput
from helpdesk.domain.messages import Attachment, InboundKind, InboundMessage
from helpdesk.logic import replies
from helpdesk.logic.services import Services
from helpdesk.storage import saved
from helpdesk.storage import sent as sent_log
from helpdesk.storage.phones import PhoneSnapshot


def circumstances(
    message: InboundMessage, snapshot: PhoneSnapshot, now: datetime, paused: bool, services: Services
) -> TurnInput:
    """What the executor knows and the dialog cannot (see TurnInput)."""
    idle = services.config.conversation_ttl_minutes
    return TurnInput(
        kind=message.kind,
        paused=paused,
        replying_to=replies.quoted_ticket(message, snapshot),
        notified=replies.notified_ticket(snapshot, now, idle),
        message_id=message.message_id,
        target_id=message.target_id,
        saved=_saved(message, snapshot),
        reacted=_reacted(message),
    )


def _saved(message: InboundMessage, snapshot: PhoneSnapshot) -> ActionRef | None:
    """The action an edited or deleted message became (from the conversation: no read)."""
    if message.kind not in (InboundKind.EDIT, InboundKind.REVOKE) or not message.target_id:
        return None
    return saved.find(snapshot.conversation, message.target_id)


def _reacted(message: InboundMessage) -> ActionRef | None:
    """The action whose notification the requester reacted to: the sent-message log says (the one
    read of a reaction's turn), and only for a message sent to this very phone."""
    if message.kind is not InboundKind.REACTION or not message.target_id:
        return None
    record = sent_log.find_sent(message.target_id)
    if record is None or record.phone != message.phone or record.ticket_number is None:
        return None
    if not record.action_id or not record.action_key:
        return None
    return ActionRef(record.ticket_number, record.action_id, record.action_key)


def prepare_input(
    message: InboundMessage, state: ConversationState | None, circumstances: TurnInput, services: Services
) -> TurnInput:
    """The message as the dialog reads it (`circumstances`: what the executor knows besides it). A
    transcript the gateway sent with a voice note is its text, where a text is asked."""
    base = replace(circumstances, kind=message.kind, push_name=message.push_name)
    if message.kind is not InboundKind.MEDIA or message.media is None:
        return replace(base, text=message.text)
    ref = message.media
    bare = replace(base, caption=ref.caption or ref.transcript)
    if not dialog.keeps_files(state, bare):
        if ref.transcript:  # the voice note answers the question as if typed
            return replace(base, kind=InboundKind.TEXT, text=ref.transcript)
        return bare  # not asked for: the dialog hints, and nothing is downloaded
    limit = services.config.media_max_bytes
    refused = s3.refusal(ref.kind, ref.mimetype, ref.size, limit)
    if refused is None:
        stored = ref.source.get("s3_key")
        body = s3.get(stored) if stored else services.gateway.download_media(message.instance, ref)
        refused = s3.refusal(ref.kind, ref.mimetype, len(body), limit)
    if refused is not None:
        return replace(bare, media_refused=refused)
    mimetype = ref.mimetype.split(";")[0].strip().lower()
    fallback = f"{ref.kind.value}-{message.message_id[:12]}{mimetypes.guess_extension(mimetype) or ''}"
    filename = s3.safe_filename(ref.filename, fallback)
    key = f"{s3.STAGED_PREFIX}{message.instance}/{message.phone}/{message.message_id}/{filename}"
    s3.put(key, body, mimetype)
    attachment = Attachment.received(ref, key, mimetype, filename, len(body))
    return replace(bare, attachment=attachment)
