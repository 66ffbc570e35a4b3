"""The WhatsApp gateway port: what the processor, notifier and admin API need from WhatsApp.

Three adapters implement it (evolution, cloud, simulator), chosen by WHATSAPP_GATEWAY through
`helpdesk.gateways.build_gateway`. Inbound webhooks are parsed by each adapter's `parse_webhook`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from msgspec import Struct, field

if TYPE_CHECKING:  # the port's signatures only: the webhook, which parses, never loads menus
    from helpdesk.domain.menus import Menu
    from helpdesk.domain.messages import InboundMessage, MediaRef, OutboundMedia


class GatewayError(Exception):
    """The gateway could not do it now (network, 5xx, 429): the caller lets SQS retry."""


class GatewayRejected(GatewayError):
    """The gateway refused the request (4xx other than 429): retrying will not help."""


RE_ENGAGEMENT = 131047  # Cloud API: "more than 24 hours have passed since the recipient last replied"


class OutsideWindow(GatewayRejected):
    """Cloud API error 131047: the requester's last message is over 24 h old, only a template goes out."""


class WebhookUnauthorized(Exception):
    """Missing or forged webhook credentials: answer 401 and enqueue nothing."""


class WebhookMalformed(Exception):
    """The body is not a webhook of this gateway: answer 400 and enqueue nothing (the Cloud route
    answers a signed one 200 all the same: Meta retries anything else for days)."""


class SentMessage(Struct, frozen=True):
    """What a send returns: the id WhatsApp gave the message (receipts refer to it), when known."""

    message_id: str | None


class DeliveryStatus(StrEnum):
    """Where an outbound message is; ordered: a receipt never moves it back (failed is final)."""

    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class DeliveryReceipt(Struct, frozen=True):
    """The gateway reporting on a message the bot sent (Cloud `statuses`, Evolution `messages.update`)."""

    message_id: str
    status: DeliveryStatus
    instance: str
    at: int | None = None  # epoch seconds when the gateway stamped it
    error: str | None = None  # "131047 Re-engagement message", for failures
    error_code: int | None = None


class InstanceUpdate(Struct, frozen=True):
    """A gateway event about the WhatsApp number itself (connection state, new QR code)."""

    instance: str
    state: str | None = None  # "connecting" | "open" | "close"
    qr_code: str | None = None  # raw QR payload to render
    pairing_code: str | None = None
    reason: int | None = None  # Evolution's statusReason (401 logged out, 428 QR limit...)


class IdentityChange(Struct, frozen=True):
    """WhatsApp announcing that a user's identifiers changed (Cloud `system` messages): the new
    phone and/or BSUID belong to whoever the previous ones were."""

    instance: str
    kind: str  # "user_changed_number" | "user_changed_user_id"
    previous_phone: str | None = None
    previous_bsuid: str | None = None
    phone: str | None = None
    bsuid: str | None = None


class WebhookBatch(Struct, frozen=True):
    """What one webhook delivery carried. Ignored events leave every list empty."""

    messages: list[InboundMessage] = field(default_factory=list)
    instance_updates: list[InstanceUpdate] = field(default_factory=list)
    api_key: str | None = None  # the instance key the payload claims (Evolution's `apikey`)
    receipts: list[DeliveryReceipt] = field(default_factory=list)
    identity_changes: list[IdentityChange] = field(default_factory=list)
    # Items left out because they could not be read (why, with no personal data): the rest of the
    # delivery goes on (Cloud API; Meta would retry a refused delivery for days).
    skipped: list[str] = field(default_factory=list)


class ConnectInfo(Struct, frozen=True):
    """What an admin needs to link a number: the QR payload and/or a pairing code."""

    code: str | None
    pairing_code: str | None
    state: str


class MessageSender(Struct, frozen=True):
    """Who sent a message, as the gateway keeps it: the requester's identity (a phone's digits or
    "lid:<digits>"), the address a reply goes to, and the LID when WhatsApp showed one."""

    identity: str
    reply_to: str | None = None
    lid: str | None = None


@runtime_checkable
class WhatsAppGateway(Protocol):
    """What the processor, the notifier and the admin API need from WhatsApp, implemented by the
    evolution, cloud and simulator adapters (and the tests' stand-ins). What a gateway cannot do is
    said here, never probed: `sends_templates` and `sends_media` are declared by each adapter, and
    `sender_of` answers None where the gateway keeps no messages.

    `to` is where a message goes: the identity (`InboundMessage.phone`, digits or "lid:<digits>")
    or the JID a message came from (`InboundMessage.reply_to`); each adapter addresses both."""

    name: str
    # Meta's 24-hour window applies (the Cloud API): outside it only an approved template goes out
    # (`send_template`). False: no window, and `send_template` refuses (GatewayRejected).
    sends_templates: bool
    # Files go as media (`send_media`). False: the notifier puts a download link in the text.
    sends_media: bool

    def send_text(self, instance: str, to: str, text: str) -> SentMessage: ...

    def send_menu(self, instance: str, to: str, text: str, menu: Menu) -> SentMessage:
        """A question and its options: tappable where the gateway has buttons and lists (the Cloud
        API), else numbered lines (`menus.numbered`); a tap answers exactly as typing the number."""
        ...

    def send_media(self, instance: str, to: str, media: OutboundMedia) -> SentMessage: ...

    def send_template(
        self, instance: str, to: str, name: str, language: str, params: Sequence[str]
    ) -> SentMessage:
        """An approved template, filled with `params` (only where `sends_templates`)."""
        ...

    def sender_of(self, instance: str, message_id: str) -> MessageSender | None:
        """Who sent a message this instance received, for a change whose payload names no sender
        (Evolution's `messages.edited`, written from the sender's side). None: unknown, or a gateway
        that keeps no messages (its changes always name their sender)."""
        ...

    def download_media(self, instance: str, media: MediaRef) -> bytes: ...

    def create_instance(self, instance: str) -> None: ...

    def connect(self, instance: str) -> ConnectInfo: ...

    def connection_state(self, instance: str) -> str: ...

    def logout(self, instance: str) -> None: ...

    def delete_instance(self, instance: str) -> None: ...
