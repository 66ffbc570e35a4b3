"""Evolution API v2 adapter (Baileys): the REST client and its outbound pacing.

Its webhooks are parsed by `gateways.evolution_webhook`; `create_instance` registers that webhook.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import requests

from helpdesk.config import Settings
from helpdesk.domain.menus import Menu, numbered
from helpdesk.domain.messages import MediaKind, MediaRef, OutboundMedia
from helpdesk.domain.phone import LID_PREFIX
from helpdesk.gateways import http
from helpdesk.gateways.base import ConnectInfo, GatewayRejected, MessageSender, SentMessage
from helpdesk.gateways.evolution_keys import Sender, one_to_one
from helpdesk.gateways.evolution_webhook import NAME, STATES, TOKEN_HEADER
from helpdesk.gateways.payload import text

# What the product listens to: messages, delivery receipts, the number's connection and QR codes.
WEBHOOK_EVENTS = ("MESSAGES_UPSERT", "MESSAGES_UPDATE", "CONNECTION_UPDATE", "QRCODE_UPDATED")


# --------------------------------------------------------------------------------------------
# Outbound pacing


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
    sends_templates = False  # no 24-hour window: a text always goes
    sends_media = True

    def __init__(  # nosec B107 # no token by default (none registered)
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

    def send_text(self, instance: str, to: str, text: str) -> SentMessage:
        self._pacer.wait(instance)
        delay = typing_delay_ms(text, self._pacer.enabled)
        body = {"number": _number(to), "text": text, "delay": delay}
        return _sent(self._call("POST", f"/message/sendText/{instance}", body))

    def send_menu(self, instance: str, to: str, text: str, menu: Menu) -> SentMessage:
        """No buttons here: the options as numbered lines, answered by typing the number."""
        return self.send_text(instance, to, numbered(text, menu))

    def send_media(self, instance: str, to: str, media: OutboundMedia) -> SentMessage:
        content = media.url or media.base64
        if not content:
            raise GatewayRejected("media has neither url nor base64")
        self._pacer.wait(instance)
        body = {
            "number": _number(to),
            "mediatype": MediaKind(media.kind).value,
            "mimetype": media.mimetype,
            "caption": media.caption or "",
            "media": content,
            "fileName": media.filename,
            "delay": typing_delay_ms(media.caption, self._pacer.enabled),
        }
        return _sent(self._call("POST", f"/message/sendMedia/{instance}", body))

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

    def send_template(
        self, instance: str, to: str, name: str, language: str, params: Sequence[str]
    ) -> SentMessage:
        raise GatewayRejected("Evolution has no message templates")

    def sender_of(self, instance: str, message_id: str) -> MessageSender | None:
        """Who sent a message this instance received (Evolution keeps them, with their key): for
        the changes whose payload names no sender (see evolution_changes). None when unknown."""
        body = {"where": {"key": {"id": message_id}}, "page": 1, "offset": 1}
        data = http.json_body(self._call("POST", f"/chat/findMessages/{instance}", body))
        found = data.get("messages")
        records = found.get("records") if isinstance(found, dict) else None
        key = (
            records[0].get("key")
            if isinstance(records, list) and records and isinstance(records[0], dict)
            else None
        )
        if (
            not isinstance(key, dict)
            or key.get("fromMe") is not False
            or not isinstance(key.get("remoteJid"), str)
        ):
            return None
        sender = Sender(key)
        if not sender.identity or not one_to_one(key):
            return None
        return MessageSender(sender.identity, sender.reply_to, sender.lid)

    def create_instance(self, instance: str) -> None:
        body = {"instanceName": instance, "integration": "WHATSAPP-BAILEYS", "qrcode": True}
        if self._webhook_url:
            # The new number reports to this product at once: messages, connection state, QR codes.
            body["webhook"] = {
                "enabled": True,
                "url": self._webhook_url,
                "byEvents": False,
                "base64": False,
                "headers": {TOKEN_HEADER: self._webhook_token},
                "events": list(WEBHOOK_EVENTS),
            }
        response = self._call("POST", "/instance/create", body, accept=(403,))
        if response.status_code == 403 and "already in use" not in response.text:
            raise GatewayRejected(f"POST /instance/create -> 403: {response.text[:200]}")

    def connect(self, instance: str) -> ConnectInfo:
        data = http.json_body(self._call("GET", f"/instance/connect/{instance}"))
        current = data.get("instance")
        if isinstance(current, dict) and current.get("state"):  # already linked
            return ConnectInfo(code=None, pairing_code=None, state=STATES.get(current["state"], "close"))
        code, pairing_code = text(data.get("code")), text(data.get("pairingCode"))
        return ConnectInfo(code=code, pairing_code=pairing_code, state="connecting")

    def connection_state(self, instance: str) -> str:
        data = http.json_body(self._call("GET", f"/instance/connectionState/{instance}"))
        current = data.get("instance")
        state = current.get("state") if isinstance(current, dict) else None
        return STATES.get(str(state), "close")

    def logout(self, instance: str) -> None:
        self._call("DELETE", f"/instance/logout/{instance}")

    def delete_instance(self, instance: str) -> None:
        self._call("DELETE", f"/instance/delete/{instance}")


def _number(to: str) -> str:
    """Evolution's `number`: a JID passes through as received; a LID identity becomes its JID."""
    if to.startswith(LID_PREFIX):
        return f"{to[len(LID_PREFIX) :]}@lid"
    return to


def _sent(response: requests.Response) -> SentMessage:
    """The send answer is the sent message (`prepareMessage`): its key.id is what receipts name."""
    try:
        data = response.json()
    except ValueError:
        return SentMessage(None)
    key = data.get("key") if isinstance(data, dict) else None
    return SentMessage(text(key.get("id")) if isinstance(key, dict) else None)


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
