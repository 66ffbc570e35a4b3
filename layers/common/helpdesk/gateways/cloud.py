"""Official WhatsApp Cloud API adapter (Meta Graph API).

Webhooks are signed: X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the app secret.
The "instance" is the business phone number id (value.metadata.phone_number_id).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

import requests

from helpdesk.config import Settings
from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef, OutboundMedia
from helpdesk.domain.phone import normalize_phone
from helpdesk.gateways import http
from helpdesk.gateways.base import (
    ConnectInfo,
    GatewayRejected,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)

NAME = "cloud"
SIGNATURE_HEADER = "x-hub-signature-256"

_MEDIA = {
    "image": MediaKind.IMAGE,
    "video": MediaKind.VIDEO,
    "audio": MediaKind.AUDIO,
    "document": MediaKind.DOCUMENT,
}
_IGNORED_TYPES = frozenset({"reaction", "system", "request_welcome", "ephemeral"})
_NO_QR = "the WhatsApp Cloud API has no instances to link: the number is managed in Meta's WhatsApp Manager"


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


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise WebhookMalformed(f"{what} is not a list")
    return value


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WebhookMalformed(f"{what} is not an object")
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _text_of(message: dict[str, Any], kind: str) -> str | None:
    body = message.get(kind)
    if not isinstance(body, dict):
        return None
    if kind == "text":
        return body.get("body") if isinstance(body.get("body"), str) else None
    if kind == "button":  # quick reply of a template
        return _str(body.get("text"))
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply")
        return _str(reply.get("title")) if isinstance(reply, dict) else None
    return None


def _media_of(message: dict[str, Any], kind: str) -> MediaRef | None:
    if kind not in _MEDIA:
        return None
    body = _obj(message.get(kind), kind)
    media_id = _str(body.get("id"))
    if media_id is None:
        raise WebhookMalformed(f"{kind}.id is missing")
    media_kind = _MEDIA[kind]
    return MediaRef(
        kind=media_kind,
        mimetype=_str(body.get("mime_type")) or "application/octet-stream",
        filename=_str(body.get("filename")),
        caption=_str(body.get("caption")),
        source={"media_id": media_id},
    )


def _parse_message(message: Any, instance: str, names: dict[str, str]) -> InboundMessage | None:
    message = _obj(message, "message")
    kind = message.get("type")
    message_id, sender = _str(message.get("id")), _str(message.get("from"))
    if not isinstance(kind, str) or message_id is None or sender is None:
        raise WebhookMalformed("message needs type, id and from")
    if kind in _IGNORED_TYPES:
        return None
    phone = normalize_phone(sender)
    timestamp = message.get("timestamp")
    if phone is None or not isinstance(timestamp, str | int) or not str(timestamp).isdigit():
        raise WebhookMalformed("message has no valid from/timestamp")
    media = _media_of(message, kind)
    text = media.caption if media else _text_of(message, kind)
    if media:
        inbound_kind = InboundKind.MEDIA
    else:
        inbound_kind = InboundKind.TEXT if text is not None else InboundKind.OTHER
    return InboundMessage(
        message_id=message_id,
        instance=instance,
        phone=phone,
        kind=inbound_kind,
        timestamp=int(timestamp),
        gateway=NAME,
        text=text,
        media=media,
        push_name=names.get(sender),
    )


def _parse_value(value: dict[str, Any]) -> list[InboundMessage]:
    metadata = _obj(value.get("metadata"), "value.metadata")
    instance = _str(metadata.get("phone_number_id"))
    if instance is None:
        raise WebhookMalformed("metadata.phone_number_id is missing")
    names: dict[str, str] = {}
    for contact in _list(value.get("contacts"), "contacts"):
        if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
            wa_id, name = _str(contact.get("wa_id")), _str(contact["profile"].get("name"))
            if wa_id and name:
                names[wa_id] = name
    parsed = (_parse_message(m, instance, names) for m in _list(value.get("messages"), "messages"))
    return [m for m in parsed if m]  # value.statuses (sent/delivered/read) are ignored


def parse_webhook(body: bytes, headers: Mapping[str, str], app_secret: str) -> WebhookBatch:
    """Checks the signature of the raw body, then parses the messages of one Cloud API delivery."""
    _check_signature(body, headers or {}, app_secret)
    try:
        payload = _obj(json.loads(body), "body")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise WebhookMalformed("body is not JSON") from exc
    if payload.get("object") != "whatsapp_business_account":
        raise WebhookMalformed("not a whatsapp_business_account notification")
    messages: list[InboundMessage] = []
    try:
        for entry in _list(payload.get("entry"), "entry"):
            for change in _list(_obj(entry, "entry").get("changes"), "changes"):
                change = _obj(change, "change")
                if change.get("field") == "messages":
                    messages.extend(_parse_value(_obj(change.get("value"), "change.value")))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a shape no check foresaw
        raise WebhookMalformed("unexpected notification shape") from exc
    return WebhookBatch(messages=messages)


class CloudGateway:
    name = NAME

    def __init__(self, settings: Settings, access_token: str, session: requests.Session | None = None):
        self._base = settings.cloud_api_url
        self._default_number_id = settings.cloud_phone_number_id
        self._token = access_token
        self._max_bytes = settings.media_max_bytes
        self._session = session or http.new_session(settings.http_timeout_seconds)

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._token}"}
        return http.call(self._session, method, url, headers=headers, redact=(self._token,), **kwargs)

    def _number_id(self, instance: str) -> str:
        """The instance is the phone number id; a non-numeric name falls back to the configured one."""
        number_id = instance if instance.isdigit() else self._default_number_id
        if not number_id:
            raise GatewayRejected("no Cloud API phone number id (CLOUD_PHONE_NUMBER_ID)")
        return number_id

    def _send(self, instance: str, phone: str, kind: str, content: dict[str, Any]) -> None:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": phone, "type": kind}
        self._call("POST", f"{self._base}/{self._number_id(instance)}/messages", json={**body, kind: content})

    def send_text(self, instance: str, phone: str, text: str) -> None:
        self._send(instance, phone, "text", {"body": text, "preview_url": False})

    def send_media(self, instance: str, phone: str, media: OutboundMedia) -> None:
        kind = MediaKind(media.kind).value
        content: dict[str, Any] = {}
        if media.url:
            content["link"] = media.url
        elif media.base64:
            content["id"] = self._upload(instance, media)
        else:
            raise GatewayRejected("media has neither url nor base64")
        if media.caption and kind != "audio":
            content["caption"] = media.caption
        if kind == "document":
            content["filename"] = media.filename
        self._send(instance, phone, kind, content)

    def _upload(self, instance: str, media: OutboundMedia) -> str:
        try:
            data = base64.b64decode(media.base64 or "", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise GatewayRejected("media content is not base64") from exc
        response = self._call(
            "POST",
            f"{self._base}/{self._number_id(instance)}/media",
            data={"messaging_product": "whatsapp", "type": media.mimetype},
            files={"file": (media.filename, data, media.mimetype)},
        )
        media_id = http.json_body(response).get("id")
        if not isinstance(media_id, str):
            raise GatewayRejected("media upload returned no id")
        return media_id

    def download_media(self, instance: str, media: MediaRef) -> bytes:
        media_id = media.source.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise GatewayRejected("media source has no media_id")
        info = http.json_body(self._call("GET", f"{self._base}/{media_id}"))
        url, size = info.get("url"), info.get("file_size")
        if not isinstance(url, str) or not url:
            raise GatewayRejected("media lookup returned no url")
        if isinstance(size, int) and size > self._max_bytes:
            raise GatewayRejected(f"media larger than {self._max_bytes} bytes")
        content = self._call("GET", url).content
        if len(content) > self._max_bytes:
            raise GatewayRejected(f"media larger than {self._max_bytes} bytes")
        return content

    def create_instance(self, instance: str) -> None:
        raise GatewayRejected(_NO_QR)

    def connect(self, instance: str) -> ConnectInfo:
        raise GatewayRejected(_NO_QR)

    def connection_state(self, instance: str) -> str:
        return "open"

    def logout(self, instance: str) -> None:
        raise GatewayRejected(_NO_QR)

    def delete_instance(self, instance: str) -> None:
        raise GatewayRejected(_NO_QR)
