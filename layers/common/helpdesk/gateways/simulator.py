"""The local stand-in for WhatsApp: talks to the simulator app (local/simulator) over HTTP.

Inbound messages come from the simulator page as real Evolution webhooks (parsed by
`gateways.evolution_webhook.parse_webhook`, media inline as base64); replies land in its outbox,
whose sequence number is the message id.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import requests

from helpdesk.config import Settings
from helpdesk.domain.menus import Menu, numbered
from helpdesk.domain.messages import MediaKind, MediaRef, OutboundMedia
from helpdesk.gateways import http
from helpdesk.gateways.base import ConnectInfo, GatewayRejected, MessageSender, SentMessage

NAME = "simulator"


class SimulatorGateway:
    name = NAME
    sends_templates = False  # like Evolution, whose webhooks it sends: no 24-hour window
    sends_media = True

    def __init__(self, settings: Settings, session: requests.Session | None = None) -> None:
        self._base = settings.simulator_url
        self._session = session or http.new_session(settings.http_timeout_seconds)

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = http.call(self._session, method, f"{self._base}{path}", json=body)
        return http.json_body(response) if response.content else {}

    def _instance_path(self, instance: str, action: str = "") -> str:
        return f"/api/instances/{quote(instance, safe='')}{action}"

    def send_text(self, instance: str, to: str, text: str) -> SentMessage:
        return self._post_outbox({"instance": instance, "phone": _chat(to), "text": text})

    def send_menu(self, instance: str, to: str, text: str, menu: Menu) -> SentMessage:
        """No buttons here: the options as numbered lines, answered by typing the number."""
        return self.send_text(instance, to, numbered(text, menu))

    def send_media(self, instance: str, to: str, media: OutboundMedia) -> SentMessage:
        body = {
            "kind": MediaKind(media.kind).value,
            "mimetype": media.mimetype,
            "filename": media.filename,
            "url": media.url,
            "base64": media.base64,
            "caption": media.caption,
        }
        return self._post_outbox({"instance": instance, "phone": _chat(to), "media": body})

    def _post_outbox(self, body: dict[str, Any]) -> SentMessage:
        seq = self._call("POST", "/api/outbox", body).get("seq")
        return SentMessage(f"sim-{seq}" if isinstance(seq, int) else None)

    def send_template(
        self, instance: str, to: str, name: str, language: str, params: Sequence[str]
    ) -> SentMessage:
        raise GatewayRejected("the simulator has no message templates")

    def sender_of(self, instance: str, message_id: str) -> MessageSender | None:
        return None  # it keeps no messages: a change it sends names its sender

    def download_media(self, instance: str, media: MediaRef) -> bytes:
        encoded = media.source.get("base64")
        media_id = media.source.get("media_id")  # a Cloud API contact's file: kept by the simulator
        if isinstance(media_id, str) and media_id and not encoded:
            response = http.call(self._session, "GET", f"{self._base}/api/media/{quote(media_id, safe='')}")
            return response.content
        if not isinstance(encoded, str) or not encoded:
            raise GatewayRejected("simulator media carries no base64 content")
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise GatewayRejected("simulator media is not base64") from exc

    def create_instance(self, instance: str) -> None:
        self._call("POST", self._instance_path(instance))

    def connect(self, instance: str) -> ConnectInfo:
        data = self._call("POST", self._instance_path(instance, "/connect"))
        return ConnectInfo(
            code=data.get("code"), pairing_code=data.get("pairing_code"), state=data.get("state", "close")
        )

    def connection_state(self, instance: str) -> str:
        return str(self._call("GET", self._instance_path(instance)).get("state", "close"))

    def logout(self, instance: str) -> None:
        self._call("POST", self._instance_path(instance, "/logout"))

    def delete_instance(self, instance: str) -> None:
        self._call("DELETE", self._instance_path(instance))


def _chat(to: str) -> str:
    """The simulator files conversations by phone digits; a reply names the JID it came from."""
    user, _, server = to.partition("@")
    return user if server == "s.whatsapp.net" else to
