"""The table stream, one record at a time: news for the requester on WhatsApp, news for the ERP.

The notifier's two event sources deliver (1) INSERTs of agent-authored actions (messages and status
changes) and (2) INSERTs of tickets, requester-authored actions and requesters, plus the MODIFYs
the second filters in. `handle_record` checks each record again and hands it to its concern:

- an agent's visible action -> `notifications` (the requester told once per action; a closing
  also asks whether it is solved: `fix_question`);
- a notification Meta refused for the 24-hour window -> `window.reengage_once` (the template);
- what the ERP wants (a new item, a reaction, a transcript) -> `erp_outbound`;
- anything else (requester-authored echoes, markers, hidden notes) -> ignored.

A failure raises: the handler reports the record as a batch item failure and the stream retries it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger

from helpdesk.events import DynamoDBRecord, DynamoDBRecordEventName
from helpdesk.logic import erp_outbound, window
from helpdesk.logic.notifications import is_requester_news, notify_once, notify_requester
from helpdesk.logic.services import Services

__all__ = ["handle_record", "notify_requester", "plain"]

logger = Logger(child=True)


def handle_record(record: DynamoDBRecord, services: Services) -> None:
    if record.dynamodb is None:
        return
    if record.event_name is DynamoDBRecordEventName.MODIFY:
        changed = plain(record.dynamodb.new_image)
        if window.is_refused_notification(changed):
            window.reengage_once(changed, services)
        else:
            erp_outbound.on_change(changed, services)
        return
    if record.event_name is not DynamoDBRecordEventName.INSERT:
        return
    image = plain(record.dynamodb.new_image)
    if is_requester_news(image):
        notify_once(image, services)
    elif not erp_outbound.on_new(image, services):
        logger.debug("stream record ignored", extra={"entity": image.get("entity")})


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
