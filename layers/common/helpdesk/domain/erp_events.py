"""Events the ERP pushes to `POST /erp/events`, pure: the signature and the body (docs/erp.md).

1. `verify_signature`: `X-Signature: sha256=<hex>` is the HMAC-SHA256, with the ERP secret, of
   f"{X-Timestamp}.{raw body}"; the timestamp (unix seconds) must be within five minutes of now.
2. `parse_event`: the JSON body into one small record; the first wrong field is named.

The same scheme signs what we deliver to the ERP (`sign`, used by `helpdesk.logic.erp_outbound`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from msgspec import Struct, field

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_WINDOW_SECONDS = 300
EVENT_TYPES = (
    "action.created",
    "ticket.status_changed",
    "ticket.closed",
    "article.upserted",
    "article.deleted",
)
ARTICLE_EVENTS = ("article.upserted", "article.deleted")
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


class AttachmentIn(Struct, frozen=True):
    field: str  # "attachments[0]": named in errors
    filename: str | None
    mimetype: str | None
    url: str | None = None
    base64: str | None = None


class ErpEvent(Struct, frozen=True):
    event_id: str
    type: str
    ticket_number: int
    author_name: str = DEFAULT_AUTHOR
    text: str = ""
    status: str | None = None
    visible_to_requester: bool = True
    attachments: tuple[AttachmentIn, ...] = field(default_factory=tuple)


class ArticleEvent(Struct, frozen=True):
    """A knowledge-base article pushed by the ERP: `article` is checked when applied
    (helpdesk.domain.knowledge.articles)."""

    event_id: str
    type: str
    article_id: str
    article: dict[str, Any] = field(default_factory=dict)


def parse_event(body: bytes) -> ErpEvent | ArticleEvent:
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
    if kind in ARTICLE_EVENTS:
        return _article_event(fields, event_id, kind)
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
        # None: the helpdesk's closed status (logic.erp maps every status to its managed list).
        closing_status = fields.string("status", required=False, max_length=MAX_STATUS_LENGTH)
        return ErpEvent(**common, text=note, status=closing_status or None)
    return ErpEvent(**common, text=note, status=status)


def _article_event(fields: _Fields, event_id: str, kind: str) -> ArticleEvent:
    article_id = fields.string("article_id", max_length=64)
    if not _EVENT_ID.fullmatch(article_id):
        raise InvalidEvent("article_id", "use 1 to 64 letters, digits or . _ : -")
    if kind == "article.deleted":
        return ArticleEvent(event_id, kind, article_id)
    article = fields.raw.get("article")
    if not isinstance(article, dict):
        raise InvalidEvent(
            "article", "must be an object (title, body, keywords, request_type, cnpjs, published)"
        )
    return ArticleEvent(event_id, kind, article_id, article)


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
