"""WhatsApp Cloud API webhooks: Meta's subscription handshake, signature check and parsing.

Webhooks are signed: X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the app secret.
The "instance" is the business phone number id (value.metadata.phone_number_id). One delivery may
carry messages (what requesters wrote or tapped) and statuses (receipts of what the bot sent).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef
from helpdesk.domain.phone import normalize_phone
from helpdesk.gateways.base import (
    DeliveryReceipt,
    DeliveryStatus,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)
from helpdesk.gateways.payload import integer, items, json_object, obj, text

NAME = "cloud"
SIGNATURE_HEADER = "x-hub-signature-256"

_MEDIA = {
    "image": MediaKind.IMAGE,
    "video": MediaKind.VIDEO,
    "audio": MediaKind.AUDIO,
    "document": MediaKind.DOCUMENT,
}
_IGNORED_TYPES = frozenset({"reaction", "system", "request_welcome", "ephemeral"})
_STATUSES = {status.value: status for status in DeliveryStatus}


def verify_subscription(query: Mapping[str, str], verify_token: str) -> str:
    """Meta's GET handshake: hub.challenge when the verify token matches, else WebhookUnauthorized."""
    given = query.get("hub.verify_token")
    if (
        not verify_token
        or query.get("hub.mode") != "subscribe"
        or not isinstance(given, str)
        or not hmac.compare_digest(given.encode(), verify_token.encode())
    ):
        raise WebhookUnauthorized("subscription verification failed")
    return query.get("hub.challenge") or ""


def _check_signature(body: bytes, headers: Mapping[str, str], app_secret: str) -> None:
    given = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER), None)
    if not app_secret or not isinstance(given, str) or not given.startswith("sha256="):
        raise WebhookUnauthorized("missing signature")
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given[len("sha256=") :].strip().lower().encode(), expected.encode()):
        raise WebhookUnauthorized("forged signature")


def _text_of(message: dict[str, Any], kind: str) -> str | None:
    """What the requester wrote, or tapped: a menu tap reads as the option's id, which is the
    answer typed for it ("2"), so the dialog sees one answer whichever way it was given."""
    body = message.get(kind)
    if not isinstance(body, dict):
        return None
    if kind == "text":
        return body.get("body") if isinstance(body.get("body"), str) else None
    if kind == "button":  # quick reply of a template: its payload, else its label
        return text(body.get("payload")) or text(body.get("text"))
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply")
        return (text(reply.get("id")) or text(reply.get("title"))) if isinstance(reply, dict) else None
    return None


def _media_of(message: dict[str, Any], kind: str) -> MediaRef | None:
    if kind not in _MEDIA:
        return None
    body = obj(message.get(kind), kind)
    media_id = text(body.get("id"))
    if media_id is None:
        raise WebhookMalformed(f"{kind}.id is missing")
    return MediaRef(
        kind=_MEDIA[kind],
        mimetype=text(body.get("mime_type")) or "application/octet-stream",
        filename=text(body.get("filename")),
        caption=text(body.get("caption")),
        source={"media_id": media_id},
    )


def _parse_message(message: Any, instance: str, names: dict[str, str]) -> InboundMessage | None:
    message = obj(message, "message")
    kind = message.get("type")
    message_id, sender = text(message.get("id")), text(message.get("from"))
    if not isinstance(kind, str) or message_id is None or sender is None:
        raise WebhookMalformed("message needs type, id and from")
    if kind in _IGNORED_TYPES:
        return None
    phone = normalize_phone(sender)
    timestamp = integer(message.get("timestamp"))
    if phone is None or timestamp is None:
        raise WebhookMalformed("message has no valid from/timestamp")
    media = _media_of(message, kind)
    body = media.caption if media else _text_of(message, kind)
    if media:
        inbound_kind = InboundKind.MEDIA
    else:
        inbound_kind = InboundKind.TEXT if body is not None else InboundKind.OTHER
    context = message.get("context")
    return InboundMessage(
        message_id=message_id,
        instance=instance,
        phone=phone,
        kind=inbound_kind,
        timestamp=timestamp,
        gateway=NAME,
        text=body,
        media=media,
        push_name=names.get(sender),
        quoted_id=text(context.get("id")) if isinstance(context, dict) else None,
        reply_to=sender,  # the wa_id as Meta gave it: its form is the one Meta accepts back
    )


def _parse_status(status: Any, instance: str) -> DeliveryReceipt | None:
    status = obj(status, "status")
    message_id, value = text(status.get("id")), _STATUSES.get(str(status.get("status")))
    if message_id is None or value is None:
        return None  # "deleted", "warning" and future values say nothing about delivery
    error = next((e for e in items(status.get("errors"), "errors") if isinstance(e, dict)), None)
    code = integer(error.get("code")) if error else None
    title = (text(error.get("title")) or text(error.get("message"))) if error else None
    return DeliveryReceipt(
        message_id=message_id,
        status=value,
        instance=instance,
        at=integer(status.get("timestamp")),
        error=" ".join(str(p) for p in (code, title) if p is not None)[:200] or None,
        error_code=code,
    )


def _parse_value(value: dict[str, Any]) -> WebhookBatch:
    metadata = obj(value.get("metadata"), "value.metadata")
    instance = text(metadata.get("phone_number_id"))
    if instance is None:
        raise WebhookMalformed("metadata.phone_number_id is missing")
    names: dict[str, str] = {}
    for contact in items(value.get("contacts"), "contacts"):
        if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
            wa_id, name = text(contact.get("wa_id")), text(contact["profile"].get("name"))
            if wa_id and name:
                names[wa_id] = name
    messages = (_parse_message(m, instance, names) for m in items(value.get("messages"), "messages"))
    receipts = (_parse_status(s, instance) for s in items(value.get("statuses"), "statuses"))
    return WebhookBatch(messages=[m for m in messages if m], receipts=[r for r in receipts if r])


def parse_webhook(body: bytes, headers: Mapping[str, str], app_secret: str) -> WebhookBatch:
    """Checks the signature of the raw body, then parses one Cloud API delivery."""
    _check_signature(body, headers or {}, app_secret)
    payload = json_object(body)
    if payload.get("object") != "whatsapp_business_account":
        raise WebhookMalformed("not a whatsapp_business_account notification")
    messages: list[InboundMessage] = []
    receipts: list[DeliveryReceipt] = []
    try:
        for entry in items(payload.get("entry"), "entry"):
            for change in items(obj(entry, "entry").get("changes"), "changes"):
                change = obj(change, "change")
                if change.get("field") == "messages":
                    batch = _parse_value(obj(change.get("value"), "change.value"))
                    messages.extend(batch.messages)
                    receipts.extend(batch.receipts)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a shape no check foresaw
        raise WebhookMalformed("unexpected notification shape") from exc
    return WebhookBatch(messages=messages, receipts=receipts)
