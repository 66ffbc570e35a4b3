"""Evolution API v2 adapter (Baileys): webhook parsing and the REST client.

The instance posts every event to one URL (webhook_by_events false) as an envelope:
{"event", "instance", "data", "date_time", "sender", "server_url", "apikey"}. It cannot sign its
webhooks, so the URL carries a shared secret (header x-webhook-token or query ?token=).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import requests

from helpdesk.config import Settings
from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef, OutboundMedia
from helpdesk.domain.phone import jid_phone
from helpdesk.gateways import http
from helpdesk.gateways.base import (
    ConnectInfo,
    GatewayRejected,
    InstanceUpdate,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)

NAME = "evolution"
TOKEN_HEADER = "x-webhook-token"

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
_METADATA = frozenset({"messageContextInfo", "base64", "mediaUrl", "senderKeyDistributionMessage"})
_LID_ALTERNATES = ("remoteJidAlt", "senderPn", "participantAlt")
_STATES = {"open": "open", "connecting": "connecting", "close": "close", "refused": "close"}


# --------------------------------------------------------------------------------------------
# Webhook parsing


def _authenticate(headers: Mapping[str, str], query: Mapping[str, str], token: str) -> None:
    given = next((v for k, v in headers.items() if k.lower() == TOKEN_HEADER), None)
    if given is None:
        given = query.get("token")
    if not token or not isinstance(given, str) or not given:
        raise WebhookUnauthorized("missing webhook token")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise WebhookUnauthorized("wrong webhook token")


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WebhookMalformed(f"{what} is not an object")
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    """Baileys numbers arrive as ints, digit strings or protobuf Longs ({"low", "high"})."""
    if isinstance(value, dict):
        low, high = value.get("low"), value.get("high", 0)
        if isinstance(low, int) and isinstance(high, int) and not isinstance(low, bool):
            return (high << 32) | (low & 0xFFFFFFFF)
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def _envelope_time(envelope: dict[str, Any]) -> int | None:
    raw = _str(envelope.get("date_time"))
    if raw is None:
        return None
    try:
        return int(datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _sender_phone(key: dict[str, Any]) -> str | None:
    """The requester's phone, or None when the chat is not a one-to-one chat with a phone."""
    remote = key.get("remoteJid")
    if not isinstance(remote, str):
        raise WebhookMalformed("key.remoteJid is missing")
    phone = jid_phone(remote)
    if phone is None and remote.endswith("@lid"):
        for field in _LID_ALTERNATES:
            phone = jid_phone(key.get(field))
            if phone:
                break
    return phone


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


def _media_of(message: dict[str, Any], key: dict[str, Any], raw: dict[str, Any]) -> MediaRef | None:
    for field, kind in _MEDIA.items():
        body = message.get(field)
        if not isinstance(body, dict):
            continue
        source: dict[str, Any] = {"key": key, "message": {k: v for k, v in raw.items() if k != "base64"}}
        if _str(raw.get("base64")):
            source["base64"] = raw["base64"]
        return MediaRef(
            kind=kind,
            mimetype=_str(body.get("mimetype")) or _DEFAULT_MIME[kind],
            filename=_str(body.get("fileName")) if kind is MediaKind.DOCUMENT else None,
            size=_int(body.get("fileLength")),
            caption=_str(body.get("caption")),
            source=source,
        )
    return None


def _parse_message(item: Any, envelope: dict[str, Any], instance: str) -> InboundMessage | None:
    item = _obj(item, "data")
    key = _obj(item.get("key"), "data.key")
    message_id = _str(key.get("id"))
    if message_id is None:
        raise WebhookMalformed("key.id is missing")
    phone = _sender_phone(key)
    # Only an explicit "not from me" is the requester: any other value could make the bot answer itself.
    if key.get("fromMe", False) is not False or phone is None:
        return None
    raw = item.get("message")
    if not isinstance(raw, dict):
        return None  # undecryptable stubs carry no message
    message = _unwrap(raw)
    content = set(message) - _METADATA
    if not content or content <= _IGNORED:
        return None  # reactions, edits/deletes, key distributions: not something the requester said
    timestamp = _int(item.get("messageTimestamp"))
    if timestamp is None:
        timestamp = _envelope_time(envelope)
    if timestamp is None:
        raise WebhookMalformed("messageTimestamp is missing")

    text, media = _text_of(message), _media_of(message, key, raw)
    if media is not None:
        kind, text = InboundKind.MEDIA, media.caption
    elif text is not None:
        kind = InboundKind.TEXT
    else:
        kind = InboundKind.OTHER
    return InboundMessage(
        message_id=message_id,
        instance=instance,
        phone=phone,
        kind=kind,
        timestamp=timestamp,
        gateway=NAME,
        text=text,
        media=media,
        push_name=_str(item.get("pushName")),
    )


def _parse_instance_update(event: str, data: Any, instance: str) -> InstanceUpdate | None:
    data = _obj(data, "data")
    if event == "connection.update":
        state = _STATES.get(str(data.get("state", "")).lower())
        return InstanceUpdate(instance=instance, state=state) if state else None
    qrcode = data.get("qrcode")
    if not isinstance(qrcode, dict):
        return None  # "QR code limit reached": a connection.update (refused) follows
    return InstanceUpdate(
        instance=instance,
        state="connecting",
        qr_code=_str(qrcode.get("code")),
        pairing_code=_str(qrcode.get("pairingCode")),
    )


def parse_webhook(
    body: bytes, headers: Mapping[str, str], query: Mapping[str, str], token: str
) -> WebhookBatch:
    """Authenticates then parses one Evolution delivery. Raises WebhookUnauthorized/WebhookMalformed."""
    _authenticate(headers or {}, query or {}, token)
    try:
        envelope = _obj(json.loads(body), "body")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise WebhookMalformed("body is not JSON") from exc
    event = envelope.get("event")
    if not isinstance(event, str):
        raise WebhookMalformed("event is missing")
    event = event.lower().replace("_", ".")  # "MESSAGES_UPSERT" when webhook_by_events was on
    instance = _str(envelope.get("instance"))
    if instance is None:
        raise WebhookMalformed("instance is missing")
    api_key = _str(envelope.get("apikey"))
    data = envelope.get("data")
    try:
        if event == "messages.upsert":
            items = data if isinstance(data, list) else [data]
            parsed = (_parse_message(item, envelope, instance) for item in items)
            return WebhookBatch(messages=[m for m in parsed if m], api_key=api_key)
        if event in ("connection.update", "qrcode.updated"):
            update = _parse_instance_update(event, data, instance)
            return WebhookBatch(instance_updates=[update] if update else [], api_key=api_key)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a shape no check foresaw
        raise WebhookMalformed(f"unexpected {event} shape") from exc
    return WebhookBatch(api_key=api_key)


# --------------------------------------------------------------------------------------------
# Outbound pacing


WEBHOOK_EVENTS = ("MESSAGES_UPSERT", "CONNECTION_UPDATE", "QRCODE_UPDATED")


class Pacer:
    """Spaces the sends of one instance by at least `min_interval_ms` (in this process).

    Each caller reserves the next free slot under a lock, then sleeps outside it until the slot.
    """

    def __init__(
        self,
        min_interval_ms: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = max(min_interval_ms, 0) / 1000
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.interval > 0

    def wait(self, instance: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(instance, now))
            self._next[instance] = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


def typing_delay_ms(text: str | None, pacing: bool) -> int:
    """How long Evolution shows "composing" before sending: ~40 ms a character, 0.8 s to 3 s."""
    if not pacing:
        return 0
    return max(800, min(3000, 40 * len(text or "")))


# --------------------------------------------------------------------------------------------
# REST client


class EvolutionGateway:
    name = NAME

    def __init__(
        self,
        settings: Settings,
        api_key: str,
        session: requests.Session | None = None,
        pacer: Pacer | None = None,
        webhook_token: str = "",
    ) -> None:
        self._base = settings.evolution_api_url
        self._webhook_url = settings.webhook_public_url
        self._webhook_token = webhook_token
        self._api_key = api_key
        self._max_bytes = settings.media_max_bytes
        self._session = session or http.new_session(settings.http_timeout_seconds)
        self._pacer = pacer or Pacer(settings.outbound_min_interval_ms)

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None, **kwargs: Any):
        return http.call(
            self._session,
            method,
            f"{self._base}{path}",
            json=body,
            headers={"apikey": self._api_key},
            redact=(self._api_key,),
            **kwargs,
        )

    def send_text(self, instance: str, phone: str, text: str) -> None:
        self._pacer.wait(instance)
        delay = typing_delay_ms(text, self._pacer.enabled)
        self._call("POST", f"/message/sendText/{instance}", {"number": phone, "text": text, "delay": delay})

    def send_media(self, instance: str, phone: str, media: OutboundMedia) -> None:
        content = media.url or media.base64
        if not content:
            raise GatewayRejected("media has neither url nor base64")
        self._pacer.wait(instance)
        body = {
            "number": phone,
            "mediatype": MediaKind(media.kind).value,
            "mimetype": media.mimetype,
            "caption": media.caption or "",
            "media": content,
            "fileName": media.filename,
            "delay": typing_delay_ms(media.caption, self._pacer.enabled),
        }
        self._call("POST", f"/message/sendMedia/{instance}", body)

    def download_media(self, instance: str, media: MediaRef) -> bytes:
        encoded = media.source.get("base64")
        if not encoded:
            key = media.source.get("key")
            if not isinstance(key, dict):
                raise GatewayRejected("media source has no message key")
            message = {"key": key}
            if isinstance(media.source.get("message"), dict):
                message["message"] = media.source["message"]
            response = self._call(
                "POST",
                f"/chat/getBase64FromMediaMessage/{instance}",
                {"message": message, "convertToMp4": False},
            )
            encoded = http.json_body(response).get("base64")
        return _decode(encoded, self._max_bytes)

    def create_instance(self, instance: str) -> None:
        body = {"instanceName": instance, "integration": "WHATSAPP-BAILEYS", "qrcode": True}
        if self._webhook_url:
            # The new number reports to this product at once: messages, connection state, QR codes.
            body["webhook"] = {
                "enabled": True,
                "url": self._webhook_url,
                "byEvents": False,
                "base64": False,
                "headers": {"x-webhook-token": self._webhook_token},
                "events": list(WEBHOOK_EVENTS),
            }
        response = self._call("POST", "/instance/create", body, accept=(403,))
        if response.status_code == 403 and "already in use" not in response.text:
            raise GatewayRejected(f"POST /instance/create -> 403: {response.text[:200]}")

    def connect(self, instance: str) -> ConnectInfo:
        data = http.json_body(self._call("GET", f"/instance/connect/{instance}"))
        current = data.get("instance")
        if isinstance(current, dict) and current.get("state"):  # already linked
            return ConnectInfo(code=None, pairing_code=None, state=_STATES.get(current["state"], "close"))
        code, pairing_code = _str(data.get("code")), _str(data.get("pairingCode"))
        return ConnectInfo(code=code, pairing_code=pairing_code, state="connecting")

    def connection_state(self, instance: str) -> str:
        data = http.json_body(self._call("GET", f"/instance/connectionState/{instance}"))
        current = data.get("instance")
        state = current.get("state") if isinstance(current, dict) else None
        return _STATES.get(str(state), "close")

    def logout(self, instance: str) -> None:
        self._call("DELETE", f"/instance/logout/{instance}")

    def delete_instance(self, instance: str) -> None:
        self._call("DELETE", f"/instance/delete/{instance}")


def _decode(encoded: Any, max_bytes: int) -> bytes:
    if not isinstance(encoded, str) or not encoded:
        raise GatewayRejected("the gateway returned no media content")
    if encoded.startswith("data:") and "," in encoded:
        encoded = encoded.split(",", 1)[1]
    if len(encoded) * 3 // 4 > max_bytes + 3:
        raise GatewayRejected(f"media larger than {max_bytes} bytes")
    try:
        return base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise GatewayRejected("media content is not base64") from exc
