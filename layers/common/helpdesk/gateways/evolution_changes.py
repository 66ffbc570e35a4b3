"""Evolution API v2: what a requester does to an earlier message (edit, delete for everyone, react).

WhatsApp sends these as messages about a message (Baileys' proto), and Evolution forwards them in
several shapes, by build and event:

- `messages.upsert` with `message.protocolMessage` {key: the changed message's key, type
  "MESSAGE_EDIT" (14) with `editedMessage`, or "REVOKE" (0, omitted as the default)}, or the same
  inside `message.editedMessage.message`; `message.reactionMessage` {key, text: the emoji, "" when
  it is taken back}.
- `messages.edited` (2.2+): `data` is the protocolMessage itself. Its key is written from the
  sender's side (WhatsApp's): `fromMe` true and `remoteJid` the number that received it, so it
  names the requester only when it says `fromMe: false` (evolution-api #1367, #1647).
- `messages.update` carrying an edit (Baileys' own update: {key, update: {message: {editedMessage:
  {message: <new content>}}}}).
- `messages.delete`: `data` is the deleted message's key (the requester's JID, `fromMe` false).

Every change gets an id of its own that the same change repeated (by another event or a retry)
shares, so the FIFO deduplication and the turn's recent ids apply it once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from helpdesk.domain.messages import InboundKind, InboundMessage
from helpdesk.gateways.base import WebhookMalformed
from helpdesk.gateways.evolution_keys import Sender, one_to_one
from helpdesk.gateways.payload import integer, iso_time, obj, text

GATEWAY = "evolution"

_EDIT_TYPES = frozenset({"MESSAGE_EDIT", 14})
_REVOKE_TYPES = frozenset({"REVOKE", 0})
_CAPTIONED = ("imageMessage", "videoMessage", "documentMessage")


def content_text(content: Any) -> str | None:
    """The text of a message content: a text, or a file's caption."""
    if not isinstance(content, dict):
        return None
    if isinstance(content.get("conversation"), str):
        return content["conversation"]
    extended = content.get("extendedTextMessage")
    if isinstance(extended, dict) and isinstance(extended.get("text"), str):
        return extended["text"]
    for field in _CAPTIONED:
        body = content.get(field)
        if isinstance(body, dict) and isinstance(body.get("caption"), str):
            return body["caption"]
    inner = content.get("documentWithCaptionMessage")
    return content_text(inner.get("message")) if isinstance(inner, dict) else None


def change_id(kind: InboundKind, target: str, new_text: str | None = None) -> str:
    """One id per change, whichever event brought it: a second delete of a message, or the same
    edit twice, is a duplicate."""
    if kind is InboundKind.EDIT:
        digest = hashlib.sha256((new_text or "").encode()).hexdigest()[:16]
        return f"{target}:edit:{digest}"
    return f"{target}:{kind.value}"


def protocol_of(message: dict[str, Any]) -> dict[str, Any] | None:
    proto = message.get("protocolMessage")
    if isinstance(proto, dict):
        return proto
    edited = message.get("editedMessage")
    inner = edited.get("message") if isinstance(edited, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("protocolMessage"), dict):
        return inner["protocolMessage"]
    return None


def parse_protocol(proto: dict[str, Any]) -> tuple[InboundKind, str, str | None] | None:
    """(EDIT or REVOKE, the changed message's id, the new text) of a protocolMessage; None for the
    other protocol messages (history sync, ephemeral settings...)."""
    key = proto.get("key")
    target = text(key.get("id")) if isinstance(key, dict) else None
    if target is None:
        return None
    kind = proto.get("type")
    if kind in _EDIT_TYPES or (kind is None and isinstance(proto.get("editedMessage"), dict)):
        new_text = content_text(proto.get("editedMessage"))
        return (InboundKind.EDIT, target, new_text) if new_text is not None else None
    if kind in _REVOKE_TYPES or (kind is None and len(proto) == 1):
        return InboundKind.REVOKE, target, None
    return None


def parse_change(message: dict[str, Any]) -> tuple[InboundKind, str, str | None] | None:
    """(kind, target id, text) when the content is a change of an earlier message, else None."""
    reaction = message.get("reactionMessage")
    if isinstance(reaction, dict):
        key = reaction.get("key")
        target = text(key.get("id")) if isinstance(key, dict) else None
        emoji = reaction.get("text") if isinstance(reaction.get("text"), str) else ""
        return (InboundKind.REACTION, target, emoji) if target else None
    proto = protocol_of(message)
    return parse_protocol(proto) if proto is not None else None


def update_edit(item: dict[str, Any]) -> tuple[str, str] | None:
    """(target id, new text) of a messages.update that carries an edit, else None (a receipt)."""
    update = _object(item.get("update")) or item
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    edited = message.get("editedMessage")
    if not isinstance(edited, dict):
        return None
    inner = _object(edited.get("message"))
    proto = _object(inner.get("protocolMessage"))
    new_text = content_text(proto.get("editedMessage")) if proto else content_text(inner)
    target = text(item.get("keyId")) or text(_object(item.get("key")).get("id"))
    return (target, new_text) if target and new_text is not None else None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def message_time(item: dict[str, Any], envelope: dict[str, Any]) -> int:
    """The message's timestamp (seconds), else the delivery's."""
    timestamp = integer(item.get("messageTimestamp"))
    if timestamp is None:
        timestamp = iso_time(envelope.get("date_time"))
    if timestamp is None:
        raise WebhookMalformed("messageTimestamp is missing")
    return timestamp


def requester_change(
    sender: Sender,
    instance: str,
    kind: InboundKind,
    target: str,
    new_text: str | None,
    timestamp: int,
    push_name: str | None = None,
) -> InboundMessage | None:
    if sender.identity is None:
        return None
    return InboundMessage(
        message_id=change_id(kind, target, new_text),
        instance=instance,
        phone=sender.identity,
        kind=kind,
        timestamp=timestamp,
        gateway=GATEWAY,
        text=new_text,
        push_name=push_name,
        reply_to=sender.reply_to,
        lid=sender.lid,
        target_id=target,
    )


def requester_key(item: dict[str, Any]) -> dict[str, Any] | None:
    """The key of a message the requester sent (Evolution's flat {keyId, remoteJid, fromMe} or a
    Baileys key), None for the bot's own messages, groups and broadcasts."""
    key = _object(item.get("key")) or item
    if key.get("fromMe", False) is not False or not isinstance(key.get("remoteJid"), str):
        return None
    return key if one_to_one(key) else None


def parse_edited(item: Any, envelope: dict[str, Any], instance: str) -> InboundMessage | None:
    """messages.edited: the protocolMessage alone, which names the requester only when its key
    says `fromMe: false` (see above)."""
    proto = obj(item, "data")
    change = parse_protocol(proto)
    if change is None:
        return None
    kind, target, new_text = change
    stamped = integer(proto.get("timestampMs"))
    when = stamped // 1000 if stamped else iso_time(envelope.get("date_time")) or 0
    key = requester_key(proto)
    if key is None:  # from the sender's side: the webhook asks the gateway whose message it was
        return InboundMessage(
            message_id=change_id(kind, target, new_text),
            instance=instance,
            phone="",
            kind=kind,
            timestamp=when,
            gateway=GATEWAY,
            text=new_text,
            target_id=target,
        )
    return requester_change(Sender(key), instance, kind, target, new_text, when)


def parse_update(item: Any, envelope: dict[str, Any], instance: str) -> InboundMessage | None:
    """messages.update carrying an edit of a requester's message (a receipt otherwise: None)."""
    item = obj(item, "data")
    edit = update_edit(item)
    key = requester_key(item)
    if edit is None or key is None:
        return None
    target, new_text = edit
    when = message_time(item, envelope)
    return requester_change(Sender(key), instance, InboundKind.EDIT, target, new_text, when)


def parse_delete(item: Any, envelope: dict[str, Any], instance: str) -> InboundMessage | None:
    """messages.delete: `data` is the key itself of the message the requester deleted for everyone
    (Evolution posts Baileys' key as it is); anything else is not a delete."""
    data = obj(item, "data")
    target = text(data.get("id"))
    if target is None or "key" in data or "message" in data:
        return None
    key = requester_key({"key": data})
    if key is None:
        return None
    when = iso_time(envelope.get("date_time")) or 0
    return requester_change(Sender(key), instance, InboundKind.REVOKE, target, None, when)
