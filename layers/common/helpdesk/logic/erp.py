"""Events the ERP pushes to `POST /erp/events`: authenticated and parsed by
`helpdesk.domain.erp_events`, then applied here (see docs/erp.md): attachments stored to S3, then one
`post_action` (action id = event id), run once per event id through `helpdesk.storage.idempotency`.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from aws_lambda_powertools import Logger

from helpdesk.aws import s3
from helpdesk.domain.erp_events import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    ArticleEvent,
    AttachmentIn,
    ErpEvent,
    InvalidEvent,
    Unauthorized,
    parse_event,
    sign,
    signature,
    verify_signature,
)
from helpdesk.domain.messages import Attachment, MediaRefusal
from helpdesk.logic.services import Services
from helpdesk.logic.ticket_actions import DuplicateAction, TicketNotFound, post_action
from helpdesk.storage import idempotency, statuses

__all__ = [  # the domain's names the routes and tests reach through here
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "InvalidEvent",
    "Unauthorized",
    "parse_event",
    "sign",
    "signature",
    "verify_signature",
]

logger = Logger(child=True)


class UnknownTicket(Exception):
    """The event names a ticket we do not have: 404."""

    def __init__(self, number: int) -> None:
        super().__init__(f"ticket {number} not found")
        self.number = number


# --- 3. applying -----------------------------------------------------------------------------


def receive(
    services: Services, body: bytes, headers: Mapping[str, str], secret: str, *, lambda_context=None
) -> dict[str, Any]:
    """The whole request: raises Unauthorized, InvalidEvent or UnknownTicket; returns the 200 body."""
    verify_signature(body, headers, secret, services.clock().timestamp())
    event = parse_event(body)
    if lambda_context is not None:
        idempotency.register_lambda_context(lambda_context)
    apply_once = idempotency.once(
        idempotency.ERP_EVENT, _apply_payload, table_name=services.config.table_name, data_keyword="payload"
    )
    return apply_once(payload={"event_id": event.event_id}, event=event, services=services)


def _apply_payload(
    payload: dict[str, str], event: ErpEvent | ArticleEvent, services: Services
) -> dict[str, Any]:
    if isinstance(event, ArticleEvent):
        return apply_article(services, event)
    return apply_event(services, event)


def apply_article(services: Services, event: ArticleEvent) -> dict[str, Any]:
    """`article.upserted` / `article.deleted`: the article's fields are checked as the console's
    are (the first wrong one is 422, naming `article.<field>`)."""
    # Imported here: ticket events, the ERP's usual traffic, never load the knowledge base.
    from helpdesk.domain.knowledge.articles import InvalidArticle
    from helpdesk.logic import knowledge

    try:
        result = knowledge.apply_erp_article(services, event.type, event.article_id, event.article)
    except InvalidArticle as error:
        raise InvalidEvent(f"article.{error.field}", error.message) from None
    logger.info("ERP article event applied", extra={"event_id": event.event_id, "type": event.type})
    return {"event_id": event.event_id, "result": result}


def managed_status(event: ErpEvent) -> str | None:
    """The event's status as the helpdesk's list names it (case and accents ignored); a closing
    without one takes the list's closed status. An unknown status is refused (422), before
    anything is stored."""
    managed = statuses.managed()
    if event.status is None:
        return managed.closed if event.type == "ticket.closed" else None
    status = managed.match(event.status)
    if status is None:
        raise InvalidEvent("status", f"is not one of the helpdesk's statuses: {', '.join(managed.names)}")
    return status


def apply_event(services: Services, event: ErpEvent) -> dict[str, Any]:
    status = managed_status(event)
    attachments = _store_attachments(services, event)
    try:
        post_action(
            services,
            event.ticket_number,
            author_kind="agent",
            author_name=event.author_name,
            text=event.text,
            source="erp",
            attachments=attachments,
            action_id=event.event_id,
            visible_to_requester=event.visible_to_requester,
            status=status,
            closes=event.type == "ticket.closed",
        )
    except TicketNotFound as error:
        raise UnknownTicket(event.ticket_number) from error
    except DuplicateAction:
        logger.info("ERP event already applied", extra={"event_id": event.event_id})
        return {"event_id": event.event_id, "result": "duplicate"}
    logger.info("ERP event applied", extra={"event_id": event.event_id, "type": event.type})
    return {"event_id": event.event_id, "result": "applied"}


def _store_attachments(services: Services, event: ErpEvent) -> list[Attachment]:
    """Checks every file first (nothing is stored when one is refused), then puts each in S3
    under media/erp/<ticket>/<event_id>/<filename>."""
    files = [_fetch(services, item) for item in event.attachments]
    stored, used = [], set()
    for index, (filename, mimetype, body) in enumerate(files):
        if filename in used:
            filename = f"{index + 1}-{filename}"
        used.add(filename)
        key = f"media/erp/{event.ticket_number}/{event.event_id}/{filename}"
        s3.put(key, body, mimetype)
        kind = s3.kind_of(mimetype)
        stored.append(Attachment(key=key, kind=kind, mimetype=mimetype, filename=filename, size=len(body)))
    return stored


def _fetch(services: Services, item: AttachmentIn) -> tuple[str, str, bytes]:
    """(file name, mimetype, bytes) of one attachment, within s3.refusal's limits."""
    limit = services.config.media_max_bytes
    if item.base64 is not None:
        if len(item.base64) * 3 // 4 > limit + 3:
            raise InvalidEvent(item.field, _refusal_message(MediaRefusal.TOO_LARGE, limit))
        try:
            body = base64.b64decode(item.base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidEvent(f"{item.field}.base64", "is not valid base64") from error
        mimetype, name_hint = item.mimetype or "", item.filename
    else:
        body, content_type = _download(item, limit, services.config.http_timeout_seconds)
        mimetype = item.mimetype or content_type or mimetypes.guess_type(item.url or "")[0] or ""
        name_hint = item.filename or unquote(urlsplit(item.url or "").path.rsplit("/", 1)[-1])
    mimetype = mimetype.split(";")[0].strip().lower()
    kind = s3.kind_of(mimetype)
    refused = s3.refusal(kind, mimetype, len(body), limit)
    if refused is not None:
        raise InvalidEvent(item.field, _refusal_message(refused, limit))
    filename = s3.safe_filename(name_hint, f"{kind.value}{mimetypes.guess_extension(mimetype) or ''}")
    return filename, mimetype, body


def _refusal_message(refused: MediaRefusal, limit: int) -> str:
    if refused is MediaRefusal.TOO_LARGE:
        return f"file larger than {limit // (1024 * 1024)} MB"
    return "file type not accepted"


def _download(item: AttachmentIn, limit: int, timeout: float) -> tuple[bytes, str]:
    """Fetches an attachment URL with a timeout and a size cap."""
    # Imported here: only an event with a file URL needs it, and the ERP's and the admin's functions
    # import this module (requests and charset_normalizer: ~0.04 s of their cold start).
    import requests

    url = item.url or ""
    try:
        with requests.get(url, stream=True, timeout=timeout) as response:
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
