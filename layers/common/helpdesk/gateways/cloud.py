"""Official WhatsApp Cloud API adapter (Meta Graph API): the REST client.

Its webhooks are parsed by `gateways.cloud_webhook`. The "instance" is the business phone number id.
Besides text and media it sends menus as reply buttons or list messages, and templates: outside the
24-hour customer service window Meta refuses anything else (error 131047, raised as OutsideWindow).
A requester known only by business-scoped user ID (a BSUID identity, see domain.phone) is sent to
with `recipient` instead of `to`, templates included.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import requests

from helpdesk import texts
from helpdesk.config import Settings
from helpdesk.domain.menus import Menu, Option, numbered
from helpdesk.domain.messages import MediaKind, MediaRef, OutboundMedia
from helpdesk.domain.phone import is_bsuid
from helpdesk.gateways import http
from helpdesk.gateways.base import (
    RE_ENGAGEMENT,
    ConnectInfo,
    GatewayRejected,
    MessageSender,
    OutsideWindow,
    SentMessage,
)
from helpdesk.gateways.cloud_webhook import NAME
from helpdesk.gateways.payload import integer, text

# Meta's limits for interactive messages (reply buttons, list messages): past them the menu goes as
# numbered text (typed numbers work everywhere). The list's button label is texts.MENU_BUTTON (20).
MAX_BUTTONS, BUTTON_TITLE_CHARS, BODY_CHARS = 3, 20, 1024
MAX_ROWS, ROW_TITLE_CHARS, ROW_DESCRIPTION_CHARS, LIST_BUTTON_CHARS = 10, 24, 72, 20
OPTION_ID_CHARS = 200  # a row's id (a button's may be 256)
_NO_QR = "the WhatsApp Cloud API has no instances to link: the number is managed in Meta's WhatsApp Manager"


class CloudGateway:
    name = NAME
    sends_templates = True  # Meta's 24-hour window: outside it, only a template
    sends_media = True

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

    def _send(self, instance: str, to: str, kind: str, content: dict[str, Any]) -> SentMessage:
        # A requester Meta shows no phone for is addressed by BSUID, as `recipient` (not `to`).
        address = {"recipient": to} if is_bsuid(to) else {"to": to}
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **address, "type": kind}
        url = f"{self._base}/{self._number_id(instance)}/messages"
        response = self._call("POST", url, json={**body, kind: content}, accept=(400,))
        if response.status_code == 400:
            raise _refusal(response, self._token)
        messages = http.json_body(response).get("messages")
        first = messages[0] if isinstance(messages, list) and messages else None
        return SentMessage(text(first.get("id")) if isinstance(first, dict) else None)

    def send_text(self, instance: str, to: str, text: str) -> SentMessage:
        return self._send(instance, to, "text", {"body": text, "preview_url": False})

    def send_menu(self, instance: str, to: str, text: str, menu: Menu) -> SentMessage:
        """Reply buttons or a list (`menu_content`); a tap answers the option's number, as typing it
        would. Past Meta's limits, the options go as numbered lines in a text."""
        interactive = menu_content(text, menu)
        if interactive is None:
            return self.send_text(instance, to, numbered(text, menu))
        return self._send(instance, to, "interactive", interactive)

    def send_template(
        self, instance: str, to: str, name: str, language: str, params: Sequence[str]
    ) -> SentMessage:
        """An approved template (the only thing Meta delivers outside the 24-hour window)."""
        content: dict[str, Any] = {"name": name, "language": {"code": language}}
        if params:
            parameters = [{"type": "text", "text": value} for value in params]
            content["components"] = [{"type": "body", "parameters": parameters}]
        return self._send(instance, to, "template", content)

    def sender_of(self, instance: str, message_id: str) -> MessageSender | None:
        return None  # Meta names the sender of every change (edits, reactions)

    def send_media(self, instance: str, to: str, media: OutboundMedia) -> SentMessage:
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
        return self._send(instance, to, kind, content)

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


def menu_content(text: str, menu: Menu) -> dict[str, Any] | None:
    """The `interactive` object for a menu, or None when it does not fit Meta's limits. Up to 3
    options whose titles fit a button are reply buttons; else up to 10 are a list (a title too long
    for its row is clipped there and given whole in the row's description, after the option's note);
    the typed-number prompt (`menu.ask`) is left out, the footer stays in the body."""
    body = "\n".join(part for part in (text, menu.footer) if part)
    options = menu.options
    if not body or len(body) > BODY_CHARS or not options:
        return None
    if any(not option.number or len(option.number) > OPTION_ID_CHARS for option in options):
        return None
    titles = [_plain(option.title) for option in options]
    if not all(titles):
        return None
    fits_buttons = all(len(title) <= BUTTON_TITLE_CHARS for title in titles) and len(set(titles)) == len(
        titles
    )
    if len(options) <= MAX_BUTTONS and fits_buttons and not any(option.note for option in options):
        buttons = [
            {"type": "reply", "reply": {"id": option.number, "title": title}}
            for option, title in zip(options, titles, strict=True)
        ]
        return {"type": "button", "body": {"text": body}, "action": {"buttons": buttons}}
    if len(options) <= MAX_ROWS:
        rows = [_row(option, title) for option, title in zip(options, titles, strict=True)]
        action = {"button": texts.MENU_BUTTON, "sections": [{"rows": rows}]}
        return {"type": "list", "body": {"text": body}, "action": action}
    return None


def _row(option: Option, title: str) -> dict[str, str]:
    row = {"id": option.number, "title": _clip(title, ROW_TITLE_CHARS)}
    whole = title if len(title) > ROW_TITLE_CHARS else ""  # readable under the clipped one
    description = " · ".join(part for part in (_plain(option.note), whole) if part)
    if description:
        row["description"] = _clip(description, ROW_DESCRIPTION_CHARS)
    return row


def _plain(value: str) -> str:
    """A title as a button or row shows it: one line, no WhatsApp emphasis (*bold*, _italic_)."""
    return " ".join(value.replace("*", "").replace("_", " ").split())


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _refusal(response: requests.Response, secret: str) -> GatewayRejected:
    """Meta's 400 `{"error": {"code", "message", ...}}` as a typed error, the secret never in it."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    code = integer(error.get("code")) if isinstance(error, dict) else None
    detail = text(error.get("message")) if isinstance(error, dict) else None
    message = f"POST messages -> 400: {code} {(detail or '')[:150]}".strip()
    if secret:
        message = message.replace(secret, "***")
    return OutsideWindow(message) if code == RE_ENGAGEMENT else GatewayRejected(message)
