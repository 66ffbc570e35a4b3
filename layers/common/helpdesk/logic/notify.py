"""The table stream, one record at a time: news for the requester on WhatsApp, news for the ERP.

The notifier's two event sources deliver (1) INSERTs of agent-authored actions (messages and status
changes) and (2) INSERTs of tickets, requester-authored actions and requesters, plus the MODIFYs
the second filters in. `handle_record` checks each record again and hands it to its concern:

- an agent's visible action -> `notifications` (the requester told once per action; a closing
  also asks whether it is solved: `fix_question`);
- a notification Meta refused for the 24-hour window -> `window.reengage_once` (the template);
- what the ERP wants (a new item, a reaction, a transcript) -> `erp_outbound`;
- a new action with audio waiting for its transcript -> `transcription` (a job per file), besides;
- anything else (requester-authored echoes, markers, hidden notes) -> ignored.

A failure raises: the handler reports the record as a batch item failure and the stream retries it.

Each concern is imported with the first record it takes: a container that only tells requesters
never loads the ERP's client, and one that only feeds the ERP never loads the conversation and
the gateway's texts (about a third of the notifier's cold start each).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger

from helpdesk.domain.privacy import ANONYMOUS_CONTACT
from helpdesk.events import DynamoDBRecord, DynamoDBRecordEventName
from helpdesk.gateways.base import RE_ENGAGEMENT
from helpdesk.logic.services import Services

__all__ = ["handle_record", "is_refused_notification", "is_requester_news", "plain", "start_transcriptions"]

logger = Logger(child=True)


def handle_record(record: DynamoDBRecord, services: Services) -> None:
    """Each step runs once per record whatever the retries: transcription jobs are named after
    their file, notifications and ERP events are idempotent."""
    if record.dynamodb is None:
        return
    start_transcriptions(record, services)
    if record.event_name is DynamoDBRecordEventName.MODIFY:
        changed = plain(record.dynamodb.new_image)
        if is_refused_notification(changed):
            from helpdesk.logic import window

            window.reengage_once(changed, services)
        else:
            from helpdesk.logic import erp_outbound

            erp_outbound.on_change(changed, services)
        return
    if record.event_name is not DynamoDBRecordEventName.INSERT:
        return
    image = plain(record.dynamodb.new_image)
    if is_requester_news(image):
        from helpdesk.logic.notifications import notify_once

        notify_once(image, services)
        return
    from helpdesk.logic import erp_outbound

    if not erp_outbound.on_new(image, services):
        logger.debug("stream record ignored", extra={"entity": image.get("entity")})


def start_transcriptions(record: DynamoDBRecord, services: Services) -> None:
    """A new action with audio waiting for its transcript (the template's filter, checked again):
    a job per file."""
    if record.event_name is not DynamoDBRecordEventName.INSERT or record.dynamodb is None:
        return
    image = record.dynamodb.new_image
    if image.get("entity") == "action" and image.get("transcribe") is True:
        from helpdesk.logic import transcription

        transcription.start_for_action(image, services)


def is_requester_news(image: dict[str, Any]) -> bool:
    """An agent's action the requester may see; never the requester's own (no echo), nor on a
    ticket whose requester was erased (LGPD: nobody to tell)."""
    return (
        image.get("entity") == "action"
        and image.get("author_kind") == "agent"
        and image.get("visible_to_requester", True) is True
        and image.get("requester_phone") not in (None, "", ANONYMOUS_CONTACT)
        and bool(image.get("instance"))
    )


def is_refused_notification(image: dict[str, Any]) -> bool:
    """A sent-log item (stream image) of a notification Meta refused for the 24-hour window."""
    return (
        image.get("entity") == "sent"
        and image.get("status") == "failed"
        and image.get("error_code") == RE_ENGAGEMENT
        and image.get("kind") == "notification"
        and bool(image.get("action_id"))
    )


def plain(value: Any) -> Any:
    """A stream image with DynamoDB's Decimals as ints/floats (JSON-able for idempotency records)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set):
        return sorted(plain(item) for item in value)
    return value
