"""WhatsApp Cloud API webhooks: Meta's subscription handshake, signature check and parsing.

Webhooks are signed: X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the app secret.
The "instance" is the business phone number id (value.metadata.phone_number_id). One delivery may
carry messages (what requesters wrote or tapped), statuses (receipts of what the bot sent) and
`system` messages (a user's phone number or business-scoped user ID changed).

Since 2026 every message names its sender by a business-scoped user ID (BSUID: `from_user_id`,
`contacts[].user_id`) and, unless the user has a username and hides it, by phone (`from`,
`contacts[].wa_id`); `contacts[].profile.username` is the username, for display only.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from typing import Any

from msgspec import Struct

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef
from helpdesk.domain.phone import normalize_bsuid, normalize_phone
from helpdesk.gateways.base import (
    DeliveryReceipt,
    DeliveryStatus,
    IdentityChange,
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
_IGNORED_TYPES = frozenset({"request_welcome", "ephemeral"})
_IDENTITY_CHANGES = frozenset({"user_changed_number", "user_changed_user_id"})
# What a requester does to an earlier message: its own type, naming that message's id.
_CHANGES = {"edit": InboundKind.EDIT, "revoke": InboundKind.REVOKE, "reaction": InboundKind.REACTION}
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


def _change_of(message: dict[str, Any], kind: str) -> tuple[InboundKind, str | None, str | None]:
    """(kind, the changed message's id, text) of an edit (the new text, or caption), a revoke or a
    reaction (the emoji; none when the reaction is taken back, read as "")."""
    body = obj(message.get(kind), kind)
    if kind == "reaction":
        emoji = body.get("emoji")
        return InboundKind.REACTION, text(body.get("message_id")), emoji if isinstance(emoji, str) else ""
    target = text(body.get("original_message_id"))
    if kind == "revoke":
        return InboundKind.REVOKE, target, None
    edited = body.get("message")
    new_text = None
    if isinstance(edited, dict) and isinstance(edited.get("type"), str):
        inner_kind = edited["type"]
        new_text = _text_of(edited, inner_kind)
        if new_text is None and isinstance(edited.get(inner_kind), dict):
            new_text = text(edited[inner_kind].get("caption"))
    return InboundKind.EDIT, target, new_text


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


class _Contact(Struct, frozen=True):
    name: str | None
    username: str | None
    bsuid: str | None


def _contacts(value: dict[str, Any]) -> dict[str, _Contact]:
    """Who wrote, by wa_id and by BSUID (`contacts` may have either or both)."""
    found: dict[str, _Contact] = {}
    for contact in items(value.get("contacts"), "contacts"):
        if not isinstance(contact, dict):
            continue
        profile = contact.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        bsuid = normalize_bsuid(contact.get("user_id")) or normalize_bsuid(contact.get("parent_user_id"))
        known = _Contact(text(profile.get("name")), text(profile.get("username")), bsuid)
        for key in (text(contact.get("wa_id")), bsuid):
            if key:
                found[key] = known
    return found


def _sender(
    message: dict[str, Any], contacts: dict[str, _Contact]
) -> tuple[str | None, str | None, _Contact]:
    """(the wa_id as Meta gave it, the BSUID, the contact): a user with a username may have no wa_id."""
    sender = text(message.get("from"))
    bsuid = normalize_bsuid(message.get("from_user_id"))
    contact = (
        (sender and contacts.get(sender)) or (bsuid and contacts.get(bsuid)) or _Contact(None, None, None)
    )
    bsuid = bsuid or contact.bsuid or normalize_bsuid(message.get("from_parent_user_id"))
    if sender is None and bsuid is None:
        raise WebhookMalformed("message has neither from nor from_user_id")
    if sender is not None and normalize_phone(sender) is None:
        raise WebhookMalformed("message has no valid from")
    return sender, bsuid, contact


def _parse_message(message: Any, instance: str, contacts: dict[str, _Contact]) -> InboundMessage | None:
    message = obj(message, "message")
    kind = message.get("type")
    message_id = text(message.get("id"))
    if not isinstance(kind, str) or message_id is None:
        raise WebhookMalformed("message needs type and id")
    if kind in _IGNORED_TYPES:
        return None
    sender, bsuid, contact = _sender(message, contacts)
    timestamp = integer(message.get("timestamp"))
    if timestamp is None:
        raise WebhookMalformed("message has no valid timestamp")
    target = None
    media = _media_of(message, kind)
    body = media.caption if media else _text_of(message, kind)
    if kind in _CHANGES:
        inbound_kind, target, body = _change_of(message, kind)
        if target is None or (inbound_kind is InboundKind.EDIT and body is None):
            return None  # nothing it could change
    elif media:
        inbound_kind = InboundKind.MEDIA
    else:
        inbound_kind = InboundKind.TEXT if body is not None else InboundKind.OTHER
    context = message.get("context")
    phone = normalize_phone(sender) if sender else None
    return InboundMessage(
        message_id=message_id,
        instance=instance,
        phone=phone or str(bsuid),  # a requester whose phone Meta hides is known by the BSUID
        kind=inbound_kind,
        timestamp=timestamp,
        gateway=NAME,
        text=body,
        media=media,
        push_name=contact.name,
        quoted_id=text(context.get("id")) if isinstance(context, dict) else None,
        # The wa_id as Meta gave it (its form is the one Meta accepts back), else the BSUID: the
        # adapter sends to a BSUID as `recipient`.
        reply_to=sender or bsuid,
        bsuid=bsuid,
        username=contact.username,
        target_id=target,
    )


def _identity_change(message: Any, instance: str) -> IdentityChange | None:
    """A `system` message: the user changed number (new wa_id, and a new BSUID with it) or only the
    BSUID changed. The previous identifiers are the message's sender and `previous_user_id`."""
    message = obj(message, "message")
    system = obj(message.get("system"), "system")
    kind = system.get("type")
    if kind not in _IDENTITY_CHANGES:
        return None  # customer_identity_changed (a security code) and the like: nothing to move
    change = IdentityChange(
        instance=instance,
        kind=kind,
        previous_phone=normalize_phone(text(message.get("from"))),
        previous_bsuid=normalize_bsuid(system.get("previous_user_id"))
        or normalize_bsuid(message.get("from_user_id")),
        phone=normalize_phone(text(system.get("wa_id")) or text(system.get("new_wa_id"))),
        bsuid=normalize_bsuid(system.get("user_id")),
    )
    if not (change.previous_phone or change.previous_bsuid) or not (change.phone or change.bsuid):
        raise WebhookMalformed(f"{kind} names no previous or no new identifier")
    return change


def _parse_status(status: Any, instance: str) -> DeliveryReceipt | None:
    status = obj(status, "status")
    message_id, value = text(status.get("id")), _STATUSES.get(str(status.get("status")))
    if message_id is None:
        raise WebhookMalformed("status has no id")
    if value is None:
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


class _Batch:
    """What a delivery carried so far, and what had to be left out."""

    def __init__(self) -> None:
        self.messages: list[InboundMessage] = []
        self.receipts: list[DeliveryReceipt] = []
        self.changes: list[IdentityChange] = []
        self.skipped: list[str] = []

    def read(self, what: str, parse: Callable[..., Any], *args: Any) -> Any:
        """One item parsed, or None and a note of why it was left out (never its content)."""
        try:
            return parse(*args)
        except WebhookMalformed as error:
            self.skipped.append(f"{what}: {error}"[:200])
        except (KeyError, TypeError, ValueError, AttributeError) as error:  # a shape no check foresaw
            self.skipped.append(f"{what}: unexpected shape ({type(error).__name__})")
        return None

    def add_value(self, value: Any) -> None:
        value = obj(value, "change.value")
        metadata = obj(value.get("metadata"), "value.metadata")
        instance = text(metadata.get("phone_number_id"))
        if instance is None:
            raise WebhookMalformed("metadata.phone_number_id is missing")
        contacts = self.read("contacts", _contacts, value) or {}
        for message in items(value.get("messages"), "messages"):
            if isinstance(message, dict) and message.get("type") == "system":
                change = self.read("system", _identity_change, message, instance)
                self.changes += [change] if change else []
                continue
            parsed = self.read("message", _parse_message, message, instance, contacts)
            self.messages += [parsed] if parsed else []
        for status in items(value.get("statuses"), "statuses"):
            receipt = self.read("status", _parse_status, status, instance)
            self.receipts += [receipt] if receipt else []

    def add_entry(self, entry: Any) -> None:
        for change in items(obj(entry, "entry").get("changes"), "changes"):
            change = obj(change, "change")
            if change.get("field") == "messages":
                self.read("change", self.add_value, change.get("value"))


def parse_webhook(body: bytes, headers: Mapping[str, str], app_secret: str) -> WebhookBatch:
    """Checks the signature of the raw body, then parses one Cloud API delivery. Only a body that is
    not a WhatsApp notification at all raises WebhookMalformed; an item that cannot be read (an
    entry, a change, a message, a status) is left out and named in `skipped`, the rest goes on."""
    _check_signature(body, headers or {}, app_secret)
    payload = json_object(body)
    if payload.get("object") != "whatsapp_business_account":
        raise WebhookMalformed("not a whatsapp_business_account notification")
    batch = _Batch()
    for entry in items(payload.get("entry"), "entry"):
        batch.read("entry", batch.add_entry, entry)
    return WebhookBatch(
        messages=batch.messages,
        receipts=batch.receipts,
        identity_changes=batch.changes,
        skipped=batch.skipped,
    )
