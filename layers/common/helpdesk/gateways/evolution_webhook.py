"""Evolution API v2 webhooks: authentication and parsing into a WebhookBatch.

The instance posts every event to one URL (webhook_by_events false) as an envelope:
{"event", "instance", "data", "date_time", "sender", "server_url", "apikey"}. It cannot sign its
webhooks, so the URL carries a shared secret (header x-webhook-token or query ?token=).

The same message looks different across Evolution builds (see /shared/research/evolution-v2.md §5):
the phone JID may sit in `remoteJid`, `remoteJidAlt`, `senderPn`, `previousRemoteJid` (2.4 swaps
`remoteJid` and `remoteJidAlt`), `contextInfo` sits at the data level or inside the content, and
numbers come as ints, strings or protobuf Longs. The rules below hold on every build: the phone is
the key field that ends in @s.whatsapp.net, the LID the one that ends in @lid.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef
from helpdesk.gateways.base import (
    DeliveryReceipt,
    DeliveryStatus,
    InstanceUpdate,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)
from helpdesk.gateways.evolution_changes import (
    message_time,
    parse_change,
    parse_delete,
    parse_edited,
    parse_update,
    requester_change,
)
from helpdesk.gateways.evolution_keys import Sender, one_to_one
from helpdesk.gateways.payload import integer, json_object, obj, text

NAME = "evolution"
TOKEN_HEADER = "x-webhook-token"  # nosec B105 # a header's name

_MEDIA = {
    "imageMessage": MediaKind.IMAGE,
    "videoMessage": MediaKind.VIDEO,
    "ptvMessage": MediaKind.VIDEO,
    "audioMessage": MediaKind.AUDIO,
    "documentMessage": MediaKind.DOCUMENT,
}
_DEFAULT_MIME = {
    MediaKind.IMAGE: "image/jpeg",
    MediaKind.VIDEO: "video/mp4",
    MediaKind.AUDIO: "audio/ogg",
    MediaKind.DOCUMENT: "application/octet-stream",
}
# Containers whose inner `message` is the real content.
_WRAPPERS = (
    "ephemeralMessage",
    "viewOnceMessage",
    "viewOnceMessageV2",
    "viewOnceMessageV2Extension",
    "documentWithCaptionMessage",
)
# Events about messages, not messages: never reach the dialog.
_IGNORED = frozenset({"reactionMessage", "protocolMessage", "keepInChatMessage", "pollUpdateMessage"})
# Keys that travel next to the content and say nothing about its type.
_METADATA = frozenset(
    {"messageContextInfo", "base64", "mediaUrl", "senderKeyDistributionMessage", "speechToText"}
)
# Evolution's OpenAI speech-to-text puts this before the transcript of a voice note.
_TRANSCRIPT_MARK = "[audio]"
STATES = {"open": "open", "connecting": "connecting", "close": "close", "refused": "close"}
# Baileys' numeric statuses (Evolution's renderStatus): the index is the number.
_STATUS_NAMES = ("ERROR", "PENDING", "SERVER_ACK", "DELIVERY_ACK", "READ", "PLAYED")
_RECEIPTS = {
    "ERROR": DeliveryStatus.FAILED,
    "SERVER_ACK": DeliveryStatus.SENT,
    "DELIVERY_ACK": DeliveryStatus.DELIVERED,
    "READ": DeliveryStatus.READ,
    "PLAYED": DeliveryStatus.READ,
}


def _authenticate(headers: Mapping[str, str], query: Mapping[str, str], token: str) -> None:
    given = next((v for k, v in headers.items() if k.lower() == TOKEN_HEADER), None)
    if given is None:
        given = query.get("token")
    if not token or not isinstance(given, str) or not given:
        raise WebhookUnauthorized("missing webhook token")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise WebhookUnauthorized("wrong webhook token")


def _unwrap(message: dict[str, Any]) -> dict[str, Any]:
    for _ in range(3):  # wrappers can nest (ephemeral > viewOnce > ...)
        inner = next((message[w] for w in _WRAPPERS if isinstance(message.get(w), dict)), None)
        if inner is None or not isinstance(inner.get("message"), dict):
            return message
        message = inner["message"]
    return message


def _text_of(message: dict[str, Any]) -> str | None:
    if isinstance(message.get("conversation"), str):
        return message["conversation"]
    for field, attr in (
        ("extendedTextMessage", "text"),
        ("buttonsResponseMessage", "selectedDisplayText"),
        ("listResponseMessage", "title"),
        ("templateButtonReplyMessage", "selectedDisplayText"),
    ):
        inner = message.get(field)
        if isinstance(inner, dict) and isinstance(inner.get(attr), str):
            return inner[attr]
    return None


def _quoted_id(item: dict[str, Any], message: dict[str, Any]) -> str | None:
    """contextInfo.stanzaId: at the data level (v2 copies it there) or inside the content (older)."""
    contexts = [item.get("contextInfo")]
    contexts += [body.get("contextInfo") for body in message.values() if isinstance(body, dict)]
    for context in contexts:
        if isinstance(context, dict) and text(context.get("stanzaId")):
            return str(context["stanzaId"])
    return None


def _transcript(raw: dict[str, Any]) -> str | None:
    said = text(raw.get("speechToText"))
    if said is None:
        return None
    said = said.strip()
    if said.startswith(_TRANSCRIPT_MARK):
        said = said[len(_TRANSCRIPT_MARK) :].strip()
    return said or None


def _media_of(message: dict[str, Any], key: dict[str, Any], raw: dict[str, Any]) -> MediaRef | None:
    for field, kind in _MEDIA.items():
        body = message.get(field)
        if not isinstance(body, dict):
            continue
        source: dict[str, Any] = {"key": key, "message": {k: v for k, v in raw.items() if k != "base64"}}
        if text(raw.get("base64")):
            source["base64"] = raw["base64"]
        return MediaRef(
            kind=kind,
            mimetype=text(body.get("mimetype")) or _DEFAULT_MIME[kind],
            # A document always carries its name; a photo or video only when the client sent it
            # (WhatsApp drops it, Evolution and the simulator keep it): taken whenever it is there.
            filename=text(body.get("fileName")),
            size=integer(body.get("fileLength")),
            caption=text(body.get("caption")),
            source=source,
            transcript=_transcript(raw) if kind is MediaKind.AUDIO else None,
            seconds=integer(body.get("seconds")) if kind is MediaKind.AUDIO else None,
        )
    return None


def _parse_message(item: Any, envelope: dict[str, Any], instance: str) -> InboundMessage | None:
    item = obj(item, "data")
    key = obj(item.get("key"), "data.key")
    message_id = text(key.get("id"))
    if message_id is None:
        raise WebhookMalformed("key.id is missing")
    # Only an explicit "not from me" is the requester: any other value could make the bot answer itself.
    if key.get("fromMe", False) is not False or not one_to_one(key):
        return None
    sender = Sender(key)
    if sender.identity is None:
        return None  # a one-to-one JID that is neither a phone nor a LID
    raw = item.get("message")
    if not isinstance(raw, dict):
        return None  # undecryptable stubs carry no message
    message = _unwrap(raw)
    timestamp = message_time(item, envelope)
    change = parse_change(message)
    if change is not None:
        kind, target, new_text = change
        return requester_change(
            sender, instance, kind, target, new_text, timestamp, text(item.get("pushName"))
        )
    content = set(message) - _METADATA
    if not content or content <= _IGNORED:
        return None  # other protocol messages, key distributions: not something the requester said

    body, media = _text_of(message), _media_of(message, key, raw)
    if media is not None:
        kind, body = InboundKind.MEDIA, media.caption or media.transcript
    else:
        kind = InboundKind.TEXT if body is not None else InboundKind.OTHER
    return InboundMessage(
        message_id=message_id,
        instance=instance,
        phone=sender.identity,
        kind=kind,
        timestamp=timestamp,
        gateway=NAME,
        text=body,
        media=media,
        push_name=text(item.get("pushName")),
        quoted_id=_quoted_id(item, message),
        reply_to=sender.reply_to,
        lid=sender.lid,
    )


def _receipt_status(raw: Any) -> DeliveryStatus | None:
    """ "READ" on 2.x, the Baileys number (4) on builds that pass it through; PENDING says nothing."""
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < len(_STATUS_NAMES):
        raw = _STATUS_NAMES[raw]
    return _RECEIPTS.get(raw.upper()) if isinstance(raw, str) else None


def _parse_receipt(item: Any, instance: str) -> DeliveryReceipt | None:
    """messages.update `{keyId, remoteJid, fromMe, status, ...}` (raw Baileys `{key, update}` too),
    or send.message (the sent message itself, with its key and status)."""
    item = obj(item, "data")
    key = item.get("key") if isinstance(item.get("key"), dict) else item
    update = item.get("update") if isinstance(item.get("update"), dict) else item
    if key.get("fromMe") is not True:
        return None  # the requester's own messages being read by the bot: not a delivery
    message_id = text(item.get("keyId")) or text(key.get("id"))
    status = _receipt_status(update.get("status"))
    if message_id is None or status is None:
        return None
    return DeliveryReceipt(
        message_id=message_id,
        status=status,
        instance=instance,
        at=integer(item.get("messageTimestamp")),
    )


def _parse_instance_update(event: str, data: Any, instance: str) -> InstanceUpdate | None:
    data = obj(data, "data")
    if event == "connection.update":
        state = STATES.get(str(data.get("state", "")).lower())
        reason = integer(data.get("statusReason"))
        return InstanceUpdate(instance=instance, state=state, reason=reason) if state else None
    qrcode = data.get("qrcode")
    if not isinstance(qrcode, dict):
        return None  # "QR code limit reached": a connection.update (refused) follows
    return InstanceUpdate(
        instance=instance,
        state="connecting",
        qr_code=text(qrcode.get("code")),
        pairing_code=text(qrcode.get("pairingCode")),
    )


def parse_webhook(
    body: bytes, headers: Mapping[str, str], query: Mapping[str, str], token: str
) -> WebhookBatch:
    """Authenticates then parses one Evolution delivery. Raises WebhookUnauthorized/WebhookMalformed."""
    _authenticate(headers or {}, query or {}, token)
    envelope = json_object(body)
    event = envelope.get("event")
    if not isinstance(event, str):
        raise WebhookMalformed("event is missing")
    event = event.lower().replace("_", ".")  # "MESSAGES_UPSERT" when webhook_by_events was on
    instance = text(envelope.get("instance"))
    if instance is None:
        raise WebhookMalformed("instance is missing")
    api_key = text(envelope.get("apikey"))
    data = envelope.get("data")
    items = data if isinstance(data, list) else [data]
    try:
        if event == "messages.upsert":
            parsed = (_parse_message(item, envelope, instance) for item in items)
            return WebhookBatch(messages=[m for m in parsed if m], api_key=api_key)
        if event in ("messages.edited", "messages.delete"):
            parse = parse_edited if event == "messages.edited" else parse_delete
            changes = (parse(item, envelope, instance) for item in items)
            return WebhookBatch(messages=[m for m in changes if m], api_key=api_key)
        if event in ("messages.update", "send.message"):
            edits = (parse_update(item, envelope, instance) for item in items if event == "messages.update")
            receipts = (_parse_receipt(item, instance) for item in items)
            return WebhookBatch(
                messages=[m for m in edits if m], receipts=[r for r in receipts if r], api_key=api_key
            )
        if event in ("connection.update", "qrcode.updated"):
            update = _parse_instance_update(event, data, instance)
            return WebhookBatch(instance_updates=[update] if update else [], api_key=api_key)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a shape no check foresaw
        raise WebhookMalformed(f"unexpected {event} shape") from exc
    return WebhookBatch(api_key=api_key)
