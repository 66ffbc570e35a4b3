"""Stand-ins for the WhatsApp gateway (helpdesk.gateways.base): they record what the bot asked."""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass, field

from helpdesk.domain.menus import Menu, numbered
from helpdesk.domain.messages import MediaRef, OutboundMedia
from helpdesk.gateways.base import ConnectInfo, GatewayRejected, MessageSender, OutsideWindow, SentMessage

_ids = itertools.count(1)


@dataclass
class RecordingGateway:
    """Records what the bot sends (thread-safe) and what the admin API asks of instances; with
    `fail` set, sending raises it instead. `connect` hands out a QR code; `logout` refuses an
    instance that is not in `logged_in`. Media downloads decode the inline base64 source; a file that
    came without it (Evolution's webhook without base64) is served from `stored_media` by message id,
    as Evolution's getBase64FromMediaMessage would."""

    name: str = "recording"
    sends_templates: bool = False  # as Evolution: no window, no templates
    sends_media: bool = True
    # (instance, chat, text): the chat is the phone's digits for a JID reply ("5511...@s.whatsapp.net")
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    media: list[tuple[str, str, OutboundMedia]] = field(default_factory=list)
    menus: list[tuple[str, str, Menu]] = field(default_factory=list)  # (chat, question, menu)
    # (chat, message id, text or filename) of every message sent, in order: what a reply can quote
    ids: list[tuple[str, str, str]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (operation, instance)
    logged_in: set[str] = field(default_factory=set)
    fail: Exception | None = None
    # Who sent the messages Evolution would keep (`sender_of`): message id -> identity
    senders: dict[str, str] = field(default_factory=dict)
    asked_senders: list[str] = field(default_factory=list)
    stored_media: dict[str, bytes] = field(default_factory=dict)  # message id -> the file's bytes
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

    def send_menu(self, instance: str, phone: str, text: str, menu: Menu) -> SentMessage:
        """As Evolution does: the options as numbered lines (`menus` keeps each menu as data)."""
        with self.lock:
            self.menus.append((chat(phone), text, menu))
        return self.send_text(instance, phone, numbered(text, menu))

    def send_media(self, instance: str, phone: str, media: OutboundMedia) -> SentMessage:
        if self.fail:
            raise self.fail
        with self.lock:
            self.media.append((instance, chat(phone), media))
            return self._sent_id(phone, media.filename)

    def send_template(self, instance: str, to: str, name: str, language: str, params) -> SentMessage:
        raise GatewayRejected("no templates here")

    def sender_of(self, instance: str, message_id: str) -> MessageSender | None:
        with self.lock:
            self.asked_senders.append(message_id)
        identity = self.senders.get(message_id)
        return MessageSender(identity, f"{identity}@s.whatsapp.net") if identity else None

    def download_media(self, instance: str, media: MediaRef) -> bytes:
        if encoded := media.source.get("base64"):
            return base64.b64decode(encoded)
        key = media.source.get("key") or {}
        if key.get("id") not in self.stored_media:
            raise GatewayRejected("the gateway no longer has this file")
        return self.stored_media[key["id"]]

    def texts_to(self, phone: str) -> list[str]:
        with self.lock:
            return [text for _, to, text in self.sent if to == phone]

    def create_instance(self, instance: str) -> None:
        self.calls.append(("create", instance))

    def connect(self, instance: str) -> ConnectInfo:
        self.calls.append(("connect", instance))
        return ConnectInfo(code=f"2@qr-for-{instance}", pairing_code="ABCD1234", state="connecting")

    def connection_state(self, instance: str) -> str:
        return "open" if instance in self.logged_in else "close"

    def logout(self, instance: str) -> None:
        self.calls.append(("logout", instance))
        if instance not in self.logged_in:
            raise GatewayRejected("not connected")

    def delete_instance(self, instance: str) -> None:
        self.calls.append(("delete", instance))


def chat(to: str) -> str:
    """Where a send lands: replies name the JID the message came from, notifications the phone."""
    user, _, server = to.partition("@")
    return user if server == "s.whatsapp.net" else to


@dataclass
class TextOnlyGateway(RecordingGateway):
    """A gateway that says it cannot send media: callers must fall back to text."""

    name: str = "text-only"
    sends_media: bool = False


@dataclass
class CloudLikeGateway:
    """A gateway with templates (the Cloud API's shape), message ids as Meta gives them (wamid.T1
    for the first text, wamid.P1 for the first template...); `refuse_text` plays Meta's 131047
    (the 24-hour window is closed)."""

    name: str = "cloud-like"
    sends_templates: bool = True
    sends_media: bool = True
    refuse_text: bool = False
    texts: list[tuple[str, str]] = field(default_factory=list)  # (to, text)
    templates: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # filenames

    def send_text(self, instance: str, to: str, text: str) -> SentMessage:
        if self.refuse_text:
            raise OutsideWindow("POST messages -> 400: 131047 Re-engagement message")
        self.texts.append((to, text))
        return SentMessage(f"wamid.T{len(self.texts)}")

    def send_menu(self, instance: str, to: str, text: str, menu: Menu) -> SentMessage:
        return self.send_text(instance, to, numbered(text, menu))

    def send_media(self, instance: str, to: str, media: OutboundMedia) -> SentMessage:
        self.media.append(media.filename)
        return SentMessage(f"wamid.M{len(self.media)}")

    def send_template(self, instance: str, to: str, name: str, language: str, params) -> SentMessage:
        self.templates.append((to, name, language, list(params)))
        return SentMessage(f"wamid.P{len(self.templates)}")
