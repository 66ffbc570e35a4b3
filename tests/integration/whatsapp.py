"""Requesters on WhatsApp, for integration tests: messages go through the real webhook logic onto
the moto FIFO queue, and the real processor handler consumes them as SQS batch events."""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass, field

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef, OutboundMedia
from helpdesk.gateways.base import SentMessage
from helpdesk.logic import inbound
from local.lambdas import load_function
from local.pollers import SqsPoller

INSTANCE = "suporte"
_ids = itertools.count(1)


@dataclass
class RecordingGateway:
    """A WhatsApp gateway that records what the bot sends (thread-safe); with `fail` set, sending
    raises it instead."""

    name: str = "recording"
    # (instance, chat, text): the chat is the phone's digits for a JID reply ("5511...@s.whatsapp.net")
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    media: list[tuple[str, str, OutboundMedia]] = field(default_factory=list)
    # (chat, message id, text or filename) of every message sent, in order: what a reply can quote
    ids: list[tuple[str, str, str]] = field(default_factory=list)
    fail: Exception | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _sent_id(self, phone: str, what: str) -> SentMessage:
        message_id = f"BOT{next(_ids):08d}"
        self.ids.append((chat(phone), message_id, what))
        return SentMessage(message_id)

    def id_of(self, phone: str, fragment: str) -> str:
        """The id of the last message sent to `phone` containing `fragment`."""
        with self.lock:
            return next(i for to, i, what in reversed(self.ids) if to == chat(phone) and fragment in what)

    def send_text(self, instance: str, phone: str, text: str) -> SentMessage:
        if self.fail:
            raise self.fail
        with self.lock:
            self.sent.append((instance, chat(phone), text))
            return self._sent_id(phone, text)

    def send_media(self, instance: str, phone: str, media: OutboundMedia) -> SentMessage:
        if self.fail:
            raise self.fail
        with self.lock:
            self.media.append((instance, chat(phone), media))
            return self._sent_id(phone, media.filename)

    def download_media(self, instance: str, media: MediaRef) -> bytes:
        return base64.b64decode(media.source["base64"])

    def texts_to(self, phone: str) -> list[str]:
        with self.lock:
            return [text for _, to, text in self.sent if to == phone]


def chat(to: str) -> str:
    """Where a send lands: replies name the JID the message came from, notifications the phone."""
    user, _, server = to.partition("@")
    return user if server == "s.whatsapp.net" else to


class Processor:
    """The deployed processor handler behind a local SQS poller, with a recording gateway."""

    def __init__(self, aws, gateway: RecordingGateway | None = None) -> None:
        self.gateway = gateway or RecordingGateway()
        self.function = load_function("ProcessorFunction")
        self.function.module.build_gateway = lambda: self.gateway
        sqs = aws.session.client("sqs")
        arn = aws.resources.queue_arns["InboundQueue"]
        self.poller = SqsPoller(self.function, sqs, aws.queue_url, arn, threading.Event())

    def drain(self, rounds: int = 50) -> int:
        """Processes until the queue has nothing visible; returns how many deliveries ran."""
        total = 0
        for _ in range(rounds):
            handled = self.poller.poll_once()
            if not handled:
                return total
            total += handled
        return total


def text(phone: str, body: str, message_id: str | None = None) -> InboundMessage:
    return InboundMessage(
        message_id=message_id or f"MSG{next(_ids):08d}",
        instance=INSTANCE,
        phone=phone,
        kind=InboundKind.TEXT,
        timestamp=1764000000,
        gateway="evolution",
        text=body,
        push_name="Maria",
    )


def file(
    phone: str, kind: MediaKind, mimetype: str, filename: str, content: bytes, message_id: str | None = None
) -> InboundMessage:
    ref = MediaRef(
        kind=kind,
        mimetype=mimetype,
        filename=filename,
        size=len(content),
        source={"base64": base64.b64encode(content).decode()},
    )
    return InboundMessage(
        message_id=message_id or f"MSG{next(_ids):08d}",
        instance=INSTANCE,
        phone=phone,
        kind=InboundKind.MEDIA,
        timestamp=1764000000,
        gateway="evolution",
        media=ref,
        push_name="Maria",
    )


class Requester:
    """One phone talking to the bot: each `says` is enqueued and processed before it returns."""

    def __init__(self, processor: Processor, phone: str) -> None:
        self.processor, self.phone = processor, phone

    def sends(self, message: InboundMessage) -> list[str]:
        before = len(self.processor.gateway.texts_to(self.phone))
        inbound.enqueue([message])
        self.processor.drain()
        return self.processor.gateway.texts_to(self.phone)[before:]

    def says(self, body: str, message_id: str | None = None) -> list[str]:
        return self.sends(text(self.phone, body, message_id))

    def sends_file(self, kind: MediaKind, mimetype: str, filename: str, content: bytes) -> list[str]:
        return self.sends(file(self.phone, kind, mimetype, filename, content))
