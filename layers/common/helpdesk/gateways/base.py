"""The WhatsApp gateway port: what the processor, notifier and admin API need from WhatsApp.

Three adapters implement it (evolution, cloud, simulator), chosen by WHATSAPP_GATEWAY through
`helpdesk.gateways.build_gateway`. Inbound webhooks are parsed by each adapter's `parse_webhook`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from helpdesk.domain.messages import InboundMessage, MediaRef, OutboundMedia


class GatewayError(Exception):
    """The gateway could not do it now (network, 5xx, 429): the caller lets SQS retry."""


class GatewayRejected(GatewayError):
    """The gateway refused the request (4xx other than 429): retrying will not help."""


class WebhookUnauthorized(Exception):
    """Missing or forged webhook credentials: answer 401 and enqueue nothing."""


class WebhookMalformed(Exception):
    """The body is not a webhook of this gateway: answer 400 and enqueue nothing."""


@dataclass(frozen=True)
class InstanceUpdate:
    """A gateway event about the WhatsApp number itself (connection state, new QR code)."""

    instance: str
    state: str | None = None  # "connecting" | "open" | "close"
    qr_code: str | None = None  # raw QR payload to render
    pairing_code: str | None = None


@dataclass(frozen=True)
class WebhookBatch:
    """What one webhook delivery carried. Ignored events leave both lists empty."""

    messages: list[InboundMessage] = field(default_factory=list)
    instance_updates: list[InstanceUpdate] = field(default_factory=list)
    api_key: str | None = None  # the instance key the payload claims (Evolution's `apikey`)


@dataclass(frozen=True)
class ConnectInfo:
    """What an admin needs to link a number: the QR payload and/or a pairing code."""

    code: str | None
    pairing_code: str | None
    state: str


class WhatsAppGateway(Protocol):
    name: str

    def send_text(self, instance: str, phone: str, text: str) -> None: ...

    def send_media(self, instance: str, phone: str, media: OutboundMedia) -> None: ...

    def download_media(self, instance: str, media: MediaRef) -> bytes: ...

    def create_instance(self, instance: str) -> None: ...

    def connect(self, instance: str) -> ConnectInfo: ...

    def connection_state(self, instance: str) -> str: ...

    def logout(self, instance: str) -> None: ...

    def delete_instance(self, instance: str) -> None: ...
