"""Amazon SQS: the inbound FIFO queue the webhook fills (logic/inbound.py decides what goes in,
in batches of at most 10 messages and 256 KB)."""

from __future__ import annotations

from helpdesk import aws, caches
from helpdesk.config import settings


@caches.cached
def _sqs():
    return aws.client("sqs")


def send_batch(entries: list[dict]) -> None:
    """One SendMessageBatch; raises when SQS refused any of the entries."""
    response = _sqs().send_message_batch(QueueUrl=settings().queue_url, Entries=entries)
    if response.get("Failed"):
        raise RuntimeError(f"SQS refused {len(response['Failed'])} messages")
