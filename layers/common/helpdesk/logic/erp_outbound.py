"""What requesters create on WhatsApp or the portal, delivered to the ERP (optional).

Off unless ERP_WEBHOOK_URL is set. The notifier receives INSERTs of tickets, requester-authored
actions and requesters from the table stream (its second event source) and posts each as a JSON
event signed like the inbound ones (`helpdesk.logic.erp.sign`). A failed delivery fails its record:
the stream retries it (and, after the template's retries, parks it in the on-failure queue); HTTP
429/5xx are first retried with backoff inside the session.

Only whitelisted fields leave: never a password hash, a username or any other credential.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aws_lambda_powertools import Logger

from helpdesk import caches
from helpdesk.aws import s3
from helpdesk.config import secret
from helpdesk.domain.erp_events import sign
from helpdesk.domain.phone import is_bsuid
from helpdesk.domain.transcripts import LANGUAGE
from helpdesk.gateways import http
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import idempotency, stream, tickets, transcriptions

logger = Logger(child=True)

TICKET_FIELDS = (
    "number",
    "title",
    "description",
    "status",
    "request_type_id",
    "request_type_name",
    "cnpj",
    "company_name",
    "requester_phone",
    "requester_name",
    "instance",
    "source",
    "opened_out_of_hours",
    "created_at",
)
ACTION_FIELDS = (
    "action_id",
    "ticket_number",
    "kind",
    "author_kind",
    "author_name",
    "text",
    "source",
    "requester_phone",
    "instance",
    "created_at",
)
REQUESTER_FIELDS = ("phone", "name", "email", "instance", "created_at", "bsuid", "whatsapp_username")


def reacted(image: dict[str, Any]) -> bool:
    """A changed action (stream MODIFY) that carries the requester's reaction to its notification.
    Later changes of the same action (delivery receipts) carry it again: the event id is the
    reaction's, so it is posted once."""
    return image.get("entity") == "action" and bool(image.get("reaction_id"))


def reaction_event(image: dict[str, Any]) -> dict[str, Any]:
    data = _pick(image, ("action_id", "ticket_number", "author_kind", "author_name", "requester_phone"))
    data |= {
        "instance": image.get("instance"),
        "emoji": image.get("reaction") or "",
        "reacted_at": _iso(image.get("reacted_at")),
    }
    event = _event(f"action.reacted:{image['reaction_id']}", "action.reacted", data)
    return {**event, "occurred_at": data["reacted_at"]}


def transcribed(image: dict[str, Any]) -> bool:
    """A transcription job's item that became "done" (stream MODIFY): attachment.transcribed."""
    return image.get("entity") == "transcription" and image.get("state") == "done"


def wanted(image: dict[str, Any]) -> bool:
    """Records the ERP hears about (the template's second filter, checked again here)."""
    entity = image.get("entity")
    if entity == "action":
        return image.get("author_kind") == "requester"
    if entity == "transcription":
        return transcribed(image)
    return entity in ("ticket", "requester")


def outbound_event(
    image: dict[str, Any], opening_files: Sequence[dict[str, Any]] = ()
) -> dict[str, Any] | None:
    """The event for one new item, or None when the ERP has nothing to learn from it. A ticket's
    event carries `opening_files`: the opening action is not sent (its text is the description)."""
    event = _event_of(image, opening_files)
    if event is not None:
        _split_identity(event["data"])
    return event


def _split_identity(data: dict[str, Any]) -> None:
    """A requester WhatsApp shows no phone for is known by BSUID: the phone is then null and the
    BSUID goes apart (`requester_bsuid`; `bsuid` on requester.created)."""
    for phone_field, bsuid_field in (("requester_phone", "requester_bsuid"), ("phone", "bsuid")):
        if phone_field in data:
            identity = data[phone_field]
            data[bsuid_field] = identity if is_bsuid(identity) else data.get(bsuid_field)
            data[phone_field] = None if is_bsuid(identity) else identity


def _event_of(image: dict[str, Any], opening_files: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    entity = image.get("entity")
    if entity == "ticket":
        data = _pick(image, TICKET_FIELDS)
        data["attachments"] = [_attachment(a) for a in opening_files]
        if image.get("offered_articles"):  # the knowledge-base articles offered first (a JSON text)
            data["offered_articles"] = json.loads(image["offered_articles"])
        return _event(f"ticket.created:{image['number']}", "ticket.created", data)
    if entity == "requester":
        data = _pick(image, REQUESTER_FIELDS)
        return _event(f"requester.created:{image['phone']}", "requester.created", data)
    if entity == "action" and image.get("author_kind") == "requester" and image.get("kind") == "status":
        data = _pick(image, (*ACTION_FIELDS, "status"))
        return _event(f"ticket.reopened:{image['action_id']}", "ticket.reopened", data)
    if entity == "action" and image.get("author_kind") == "requester" and image.get("kind") == "rating":
        data = _pick(image, (*ACTION_FIELDS, "rating"))
        data["comment"] = data.pop("text", "") or None
        return _event(f"ticket.rated:{image['action_id']}", "ticket.rated", data)
    if entity == "transcription" and image.get("state") == "done":
        job = str(image["pk"]).split("#", 1)[1]
        data = {"ticket_number": image["ticket_number"], "created_at": image.get("settled_at")}
        return _event(f"attachment.transcribed:{job}", "attachment.transcribed", _pick(data, tuple(data)))
    if entity == "action" and image.get("author_kind") == "requester":
        if _is_opening_action(image):
            return None  # ticket.created carries the description already
        data = _pick(image, ACTION_FIELDS)
        data["attachments"] = [_attachment(a) for a in image.get("attachments") or []]
        return _event(f"action.created:{image['action_id']}", "action.created", data)
    return None


def on_new(image: dict[str, Any], services: Services) -> bool:
    """Delivers a new item (stream INSERT) the ERP hears about; False when it wants nothing of it."""
    if not wanted(image):
        return False
    deliver(services, image)
    return True


def on_change(image: dict[str, Any], services: Services) -> None:
    """Delivers what the ERP hears of a changed item (stream MODIFY): a requester's reaction to a
    notification, a voice note's transcript just stored; nothing else."""
    if reacted(image):
        deliver(services, image, modified=True)
    elif transcribed(image):
        deliver(services, image)


def deliver(services: Services, image: dict[str, Any], *, modified: bool = False) -> None:
    """Posts the record's event to the ERP, once per event id; skipped when no URL is configured.
    `modified`: the item changed (a reaction on an action), rather than being created."""
    if not services.config.erp_webhook_url:
        logger.debug("ERP_WEBHOOK_URL not set: record acknowledged without delivery")
        return
    if image.get("entity") == "action" and image.get("reaction_id") and modified:
        event: dict[str, Any] | None = reaction_event(image)
    else:
        files = tickets.opening_files(int(image["number"])) if image.get("entity") == "ticket" else ()
        event = outbound_event(image, files)
    if event is None:
        return
    if event["type"] == "attachment.transcribed":
        event = with_transcript(event, image)
        if event is None:
            return
    post_once = idempotency.once(
        idempotency.ERP_DELIVERY, _post, table_name=services.config.table_name, data_keyword="event"
    )
    post_once(event=event, services=services)


def with_transcript(event: dict[str, Any], image: dict[str, Any]) -> dict[str, Any] | None:
    """attachment.transcribed with the action, the file and its text, read from the table (the
    job's item holds only where they are); None when an erasure took them first."""
    found = transcriptions.transcribed(image)
    if found is None:
        return None
    action, attachment = found
    data = {
        **event["data"],
        "action_id": action.action_id,
        "author_kind": action.author_kind,
        "attachment": _attachment(attachment.as_dict()),
        "language": LANGUAGE,
        "transcript": attachment.transcript,
    }
    return {**event, "data": data}


def _post(event: dict[str, Any], services: Services) -> dict[str, str]:
    config = services.config
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    signed = sign(body, secret("erp_hmac_secret"), services.clock().timestamp())
    headers = {"Content-Type": "application/json", **signed}
    session = _session(config.http_timeout_seconds)
    http.call(session, "POST", config.erp_webhook_url, data=body, headers=headers)
    phone = event["data"].get("requester_phone") or event["data"].get("phone")
    logger.info("delivered to the ERP", extra={"event_id": event["event_id"], "phone": mask_phone(phone)})
    # The idempotency record keeps this response: never the event id (requester.created names a
    # phone, and an erased requester must leave no trace).
    return {"delivered": event["type"]}


@caches.cached
def _session(timeout: float):
    return http.new_session(timeout)


def _event(event_id: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"event_id": event_id, "type": kind, "occurred_at": data.get("created_at"), "data": data}


def _pick(image: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    picked = {name: image[name] for name in fields if image.get(name) is not None}
    if "created_at" in picked:
        picked["created_at"] = _iso(picked["created_at"])
    return picked


def _attachment(raw: dict[str, Any]) -> dict[str, Any]:
    """A file as the ERP gets it: its metadata and a short-lived download link."""
    return {
        "filename": raw.get("filename"),
        "mimetype": raw.get("mimetype"),
        "size": raw.get("size"),
        "url": s3.presigned_url(raw["key"], raw.get("filename")),
    }


def _is_opening_action(image: dict[str, Any]) -> bool:
    """The description a ticket opened with (written with it, at the same instant)."""
    ticket = tickets.get_ticket(int(image["ticket_number"]))
    return ticket is not None and stream.stored_time(ticket.created_at) == image.get("created_at")


def _iso(value: Any) -> Any:
    """A stored time (the table's "...+0000") as plain ISO 8601."""
    return stream.iso_time(value)
