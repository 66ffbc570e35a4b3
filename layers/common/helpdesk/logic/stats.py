"""The stats consumer: the table stream's conversation changes added up into the daily counters."""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools import Logger

from helpdesk.storage import stats

logger = Logger(child=True)


def count_stream_batch(records: list[dict], now: datetime) -> None:
    """All or nothing: an error leaves nothing written and Lambda retries this same batch."""
    if not records:
        return
    if not stats.add_stream_batch(records, now):
        logger.info("stream batch counted before; skipped", extra={"records": len(records)})
