"""Delivery receipts, applied where they arrive: in the webhook, one conditional write each.

Why not queue them: a receipt needs no dialog and no ordering (the log only moves forward, see
storage.sent), so an SQS message and a processor invocation per receipt would cost more than the
write itself. Receipts of messages the bot did not log (dialog replies) fail the write's condition
and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from aws_lambda_powertools import Logger

from helpdesk.gateways.base import DeliveryReceipt, DeliveryStatus
from helpdesk.logs import mask_phone
from helpdesk.storage import sent

logger = Logger(child=True)


def apply(receipts: Iterable[DeliveryReceipt], now: datetime) -> int:
    """Records each receipt on the sent-message log; returns how many moved a logged message."""
    moved = 0
    for receipt in receipts:
        at = datetime.fromtimestamp(receipt.at, UTC) if receipt.at else now
        record = sent.record_receipt(
            receipt.message_id, receipt.status.value, at, receipt.error, receipt.error_code
        )
        if record is None:
            continue
        moved += 1
        if receipt.status is DeliveryStatus.FAILED:
            logger.warning(
                "notification not delivered",
                extra={
                    "ticket_number": record.ticket_number,
                    "phone": mask_phone(record.phone),
                    "error": receipt.error,
                },
            )
    return moved


def failed(receipts: Iterable[DeliveryReceipt]) -> int:
    """How many receipts report a failed delivery (logged messages or not: all are the bot's)."""
    return sum(1 for receipt in receipts if receipt.status is DeliveryStatus.FAILED)
