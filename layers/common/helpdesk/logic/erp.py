"""Events the ERP pushes to `POST /erp/events`: authenticate, parse, apply (see docs/erp.md).

1. `verify_signature`: `X-Signature: sha256=<hex>` is the HMAC-SHA256, with the ERP secret, of
   f"{X-Timestamp}.{raw body}"; the timestamp (unix seconds) must be within five minutes of now.
2. `parse_event`: the JSON body into one of three small dataclasses; the first wrong field is named.
3. `apply_event`: attachments stored to S3, then one `post_action` (action id = event id), run once
   per event id through Powertools idempotency on the single table.

The same scheme signs what we deliver to the ERP (`sign`, used by `helpdesk.logic.erp_outbound`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import mimetypes
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from aws_lambda_powertools import Logger

from helpdesk import idempotency, media, texts
from helpdesk.config import settings
from helpdesk.domain.conversation import MediaRefusal
from helpdesk.domain.messages import Attachment
from helpdesk.logic.ticket_actions import DuplicateAction, TicketNotFound, post_action

logger = Logger(child=True)

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_WINDOW_SECONDS = 300
EVENT_TYPES = ("action.created", "ticket.status_changed", "ticket.closed")
DEFAULT_AUTHOR = "Equipe de suporte"
MAX_ATTACHMENTS = 20
MAX_TEXT_LENGTH = 4000
MAX_NAME_LENGTH = 100
MAX_STATUS_LENGTH = 60
_EVENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class Unauthorized(Exception):
    """Missing, forged or stale signature: 401, nothing written."""


class InvalidEvent(Exception):
    """The body is not a valid event: 422, naming the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


class UnknownTicket(Exception):
    """The event names a ticket we do not have: 404."""

    def __init__(self, number: int) -> None:
        super().__init__(f"ticket {number} not found")
        self.number = number


# --- 1. the signature ------------------------------------------------------------------------


def signature(body: bytes, secret: str, timestamp: int | str) -> str:
    """The X-Signature value of `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def sign(body: bytes, secret: str, now: float | None = None) -> dict[str, str]:
    """The headers that authenticate `body` (for requests we send, and for tests)."""
    timestamp = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(body, secret, timestamp)}


def verify_signature(body: bytes, headers: Mapping[str, str], secret: str, now: float | None = None) -> None:
    if not secret:
        raise Unauthorized("the ERP secret is not configured")
    lowered = {name.lower(): value for name, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    claimed = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not timestamp.isdigit() or not claimed:
        raise Unauthorized("missing signature or timestamp")
    if abs((now if now is not None else time.time()) - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        raise Unauthorized("timestamp outside the window")
    if not hmac.compare_digest(claimed.strip().lower(), signature(body, secret, timestamp)):
        raise Unauthorized("signature mismatch")


# --- 2. the body -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentIn:
    field: str  # "attachments[0]": named in errors
    filename: str | None
    mimetype: str | None
    url: str | None = None
    base64: str | None = None


@dataclass(frozen=True)
class ErpEvent:
    event_id: str
    type: str
    ticket_number: int
    author_name: str = DEFAULT_AUTHOR
    text: str = ""
    status: str | None = None
    visible_to_requester: bool = True
    attachments: tuple[AttachmentIn, ...] = field(default_factory=tuple)


def parse_event(body: bytes) -> ErpEvent:
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidEvent("body", "not valid JSON") from error
    if not isinstance(raw, dict):
        raise InvalidEvent("body", "must be a JSON object")
    fields = _Fields(raw)
    event_id = fields.string("event_id", max_length=128)
    if not _EVENT_ID.fullmatch(event_id):
        raise InvalidEvent("event_id", "use 1 to 128 letters, digits or . _ : -")
    kind = fields.string("type")
    if kind not in EVENT_TYPES:
        raise InvalidEvent("type", f"must be one of {', '.join(EVENT_TYPES)}")
    number = fields.ticket_number()
    author = fields.string("author_name", required=False, max_length=MAX_NAME_LENGTH) or DEFAULT_AUTHOR
    common: dict[str, Any] = {
        "event_id": event_id,
        "type": kind,
        "ticket_number": number,
        "author_name": author,
    }
    if kind == "action.created":
        attachments = fields.attachments()
        text = fields.string("text", required=not attachments, max_length=MAX_TEXT_LENGTH, allow_empty=True)
        visible = fields.boolean("visible_to_requester", default=True)
        return ErpEvent(**common, text=text, visible_to_requester=visible, attachments=attachments)
    note = fields.string("note", required=False, max_length=MAX_TEXT_LENGTH, allow_empty=True)
    if kind == "ticket.status_changed":
        status = fields.string("status", max_length=MAX_STATUS_LENGTH)
    else:
        status = fields.string("status", required=False, max_length=MAX_STATUS_LENGTH)
        status = status or texts.TICKET_CLOSED_STATUS
    return ErpEvent(**common, text=note, status=status)


class _Fields:
    """Reads typed fields from the body; the first problem raises InvalidEvent naming the field."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def string(
        self,
        name: str,
        *,
        required: bool = True,
        max_length: int = 200,
        allow_empty: bool = False,
        source: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> str:
        source, label = source if source is not None else self.raw, label or name
        value = source.get(name)
        if value is None:
            if required:
                raise InvalidEvent(label, "is required")
            return ""
        if not isinstance(value, str):
            raise InvalidEvent(label, "must be a string")
        value = value.strip()
        if not value and required and not allow_empty:
            raise InvalidEvent(label, "must not be empty")
        if len(value) > max_length:
            raise InvalidEvent(label, f"must have at most {max_length} characters")
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            raise InvalidEvent(name, "must be true or false")
        return value

    def ticket_number(self) -> int:
        value = self.raw.get("ticket_number")
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if value is None:
            raise InvalidEvent("ticket_number", "is required")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise InvalidEvent("ticket_number", "must be a positive integer")
        return value

    def attachments(self) -> tuple[AttachmentIn, ...]:
        value = self.raw.get("attachments") or []
        if not isinstance(value, list):
            raise InvalidEvent("attachments", "must be a list")
        if len(value) > MAX_ATTACHMENTS:
            raise InvalidEvent("attachments", f"at most {MAX_ATTACHMENTS} files per event")
        return tuple(self._attachment(f"attachments[{i}]", item) for i, item in enumerate(value))

    def _attachment(self, label: str, item: Any) -> AttachmentIn:
        if not isinstance(item, dict):
            raise InvalidEvent(label, "must be an object")
        url = self.string("url", required=False, max_length=2000, source=item, label=f"{label}.url")
        encoded = item.get("base64")
        if bool(url) == (encoded is not None):
            raise InvalidEvent(label, "give exactly one of url or base64")
        if encoded is not None and (not isinstance(encoded, str) or not encoded):
            raise InvalidEvent(f"{label}.base64", "must be a non-empty string")
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise InvalidEvent(f"{label}.url", "must be an http(s) URL")
        required = encoded is not None  # a URL's file name and type can come from the download
        filename = self.string("filename", required=required, source=item, label=f"{label}.filename")
        mimetype = self.string("mimetype", required=required, source=item, label=f"{label}.mimetype")
        return AttachmentIn(label, filename or None, mimetype.lower() or None, url or None, encoded)


# --- 3. applying -----------------------------------------------------------------------------


def receive(
    body: bytes, headers: Mapping[str, str], secret: str, *, lambda_context=None, now: float | None = None
) -> dict[str, Any]:
    """The whole request: raises Unauthorized, InvalidEvent or UnknownTicket; returns the 200 body."""
    verify_signature(body, headers, secret, now)
    event = parse_event(body)
    if lambda_context is not None:
        idempotency.register_lambda_context(lambda_context)
    apply_once = idempotency.once(
        idempotency.ERP_EVENT, _apply_payload, table_name=settings().table_name, data_keyword="payload"
    )
    return apply_once(payload={"event_id": event.event_id}, event=event)


def _apply_payload(payload: dict[str, str], event: ErpEvent) -> dict[str, Any]:
    return apply_event(event)


def apply_event(event: ErpEvent) -> dict[str, Any]:
    attachments = _store_attachments(event)
    try:
        post_action(
            event.ticket_number,
            author_kind="agent",
            author_name=event.author_name,
            text=event.text,
            source="erp",
            attachments=attachments,
            action_id=event.event_id,
            visible_to_requester=event.visible_to_requester,
            status=event.status,
            closes=event.type == "ticket.closed",
        )
    except TicketNotFound as error:
        raise UnknownTicket(event.ticket_number) from error
    except DuplicateAction:
        logger.info("ERP event already applied", extra={"event_id": event.event_id})
        return {"event_id": event.event_id, "result": "duplicate"}
    logger.info("ERP event applied", extra={"event_id": event.event_id, "type": event.type})
    return {"event_id": event.event_id, "result": "applied"}


def _store_attachments(event: ErpEvent) -> list[Attachment]:
    """Checks every file first (nothing is stored when one is refused), then puts each in S3
    under media/erp/<ticket>/<event_id>/<filename>."""
    files = [_fetch(item) for item in event.attachments]
    stored, used = [], set()
    for index, (filename, mimetype, body) in enumerate(files):
        if filename in used:
            filename = f"{index + 1}-{filename}"
        used.add(filename)
        key = f"media/erp/{event.ticket_number}/{event.event_id}/{filename}"
        media.put(key, body, mimetype)
        kind = media.kind_of(mimetype)
        stored.append(Attachment(key=key, kind=kind, mimetype=mimetype, filename=filename, size=len(body)))
    return stored


def _fetch(item: AttachmentIn) -> tuple[str, str, bytes]:
    """(file name, mimetype, bytes) of one attachment, within media.refusal's limits."""
    limit = settings().media_max_bytes
    if item.base64 is not None:
        if len(item.base64) * 3 // 4 > limit + 3:
            raise InvalidEvent(item.field, _refusal_message(MediaRefusal.TOO_LARGE, limit))
        try:
            body = base64.b64decode(item.base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidEvent(f"{item.field}.base64", "is not valid base64") from error
        mimetype, name_hint = item.mimetype or "", item.filename
    else:
        body, content_type = _download(item, limit)
        mimetype = item.mimetype or content_type or mimetypes.guess_type(item.url or "")[0] or ""
        name_hint = item.filename or unquote(urlsplit(item.url or "").path.rsplit("/", 1)[-1])
    mimetype = mimetype.split(";")[0].strip().lower()
    kind = media.kind_of(mimetype)
    refused = media.refusal(kind, mimetype, len(body), limit)
    if refused is not None:
        raise InvalidEvent(item.field, _refusal_message(refused, limit))
    filename = media.safe_filename(name_hint, f"{kind.value}{mimetypes.guess_extension(mimetype) or ''}")
    return filename, mimetype, body


def _refusal_message(refused: MediaRefusal, limit: int) -> str:
    if refused is MediaRefusal.TOO_LARGE:
        return f"file larger than {limit // (1024 * 1024)} MB"
    return "file type not accepted"


def _download(item: AttachmentIn, limit: int) -> tuple[bytes, str]:
    """Fetches an attachment URL with a timeout and a size cap."""
    url = item.url or ""
    try:
        with requests.get(url, stream=True, timeout=settings().http_timeout_seconds) as response:
            if response.status_code >= 400:
                raise InvalidEvent(f"{item.field}.url", f"download answered HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise InvalidEvent(item.field, _refusal_message(MediaRefusal.TOO_LARGE, limit))
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise InvalidEvent(item.field, _refusal_message(MediaRefusal.TOO_LARGE, limit))
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("Content-Type", "")
    except requests.RequestException as error:
        raise InvalidEvent(f"{item.field}.url", "could not be downloaded") from error
