"""Webhook side: a gateway's delivery in, messages onto the FIFO queue, instance state updated.

No dialog work here: the webhook answers in milliseconds and the processor does the rest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterable
from datetime import datetime

from aws_lambda_powertools import Logger
from msgspec.structs import replace

from helpdesk import caches
from helpdesk.aws import s3, sqs
from helpdesk.domain.messages import InboundMessage
from helpdesk.gateways.base import InstanceUpdate, WebhookBatch, WebhookUnauthorized
from helpdesk.logic import identity, receipts
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import catalog
from helpdesk.storage.transaction import Missing

logger = Logger(child=True)

_INSTANCE_KEY_TTL = 60.0
_instance_keys: dict[str, tuple[float, str | None]] = {}
caches.register(_instance_keys.clear)


def group_id(message: InboundMessage) -> str:
    """Messages of one phone on one number are handled one at a time, in order (changes whose
    sender is still unknown share the number's group "<instance>#" until logic.senders queues
    them again under their phone)."""
    return f"{message.instance}#{message.phone}"


def deduplication_id(message: InboundMessage) -> str:
    """The message's own id: a change queued again once attributed (logic.senders) keeps its id,
    deduplicated against the same change another event reported with its sender."""
    unattributed = "" if message.phone else ":unattributed"
    key = f"{message.gateway}:{message.instance}:{message.message_id}{unattributed}"
    return hashlib.sha256(key.encode()).hexdigest()


def offload_inline_media(message: InboundMessage) -> InboundMessage:
    """Files sent inline (Evolution's webhook_base64, the simulator) go to the media bucket: an SQS
    message holds 256 KB at most, and the processor reads the file from there."""
    ref = message.media
    if ref is None or not ref.source.get("base64"):
        return message
    key = f"inbound/{message.instance}/{deduplication_id(message)}"
    s3.put(key, base64.b64decode(ref.source["base64"]), ref.mimetype or "application/octet-stream")
    source = {name: value for name, value in ref.source.items() if name != "base64"}
    return replace(message, media=replace(ref, source={**source, "s3_key": key}))


# WhatsApp caps a text at 65,536 characters; the byte cap keeps any text inside one SQS message.
MAX_TEXT_CHARS = 65_536
MAX_TEXT_BYTES = 200_000
SQS_BATCH_BYTES = 250_000  # SQS: 256 KiB per message and per batch


def bounded(message: InboundMessage) -> InboundMessage:
    text = message.text
    if text is None or (len(text) <= MAX_TEXT_CHARS and len(text.encode()) <= MAX_TEXT_BYTES):
        return message
    cut = text[:MAX_TEXT_CHARS].encode()[:MAX_TEXT_BYTES].decode(errors="ignore")
    return replace(message, text=cut)


def enqueue(messages: Iterable[InboundMessage]) -> int:
    """One FIFO message per WhatsApp message; SQS drops redeliveries within its 5-minute window."""
    entries = [
        {
            "Id": str(index),
            "MessageBody": json.dumps(bounded(message).to_dict(), ensure_ascii=False),
            "MessageGroupId": group_id(message),
            "MessageDeduplicationId": deduplication_id(message),
        }
        for index, message in enumerate(messages)
    ]
    batch: list[dict] = []
    batch_bytes = 0
    for entry in entries:
        size = len(entry["MessageBody"].encode())
        if batch and (len(batch) == 10 or batch_bytes + size > SQS_BATCH_BYTES):
            sqs.send_batch(batch)
            batch, batch_bytes = [], 0
        batch.append(entry)
        batch_bytes += size
    if batch:
        sqs.send_batch(batch)
    return len(entries)


def instance_key_hash(instance: str) -> str | None:
    cached = _instance_keys.get(instance)
    if cached and time.monotonic() - cached[0] < _INSTANCE_KEY_TTL:
        return cached[1]
    stored = catalog.get_instance(instance)
    key_hash = stored.api_key_hash if stored else None
    _instance_keys[instance] = (time.monotonic(), key_hash)
    return key_hash


def check_instance_keys(batch: WebhookBatch) -> None:
    """Evolution also sends each payload with the instance's key: a stored one must match."""
    instances = {m.instance for m in batch.messages} | {u.instance for u in batch.instance_updates}
    instances |= {r.instance for r in batch.receipts}
    for instance in instances:
        expected = instance_key_hash(instance)
        if expected and not hmac.compare_digest(expected, catalog.hash_key(batch.api_key or "")):
            raise WebhookUnauthorized("instance api key mismatch")


def apply_instance_update(update: InstanceUpdate, now: datetime) -> None:
    codes = None if update.qr_code is None else (update.qr_code, update.pairing_code)
    try:
        catalog.record_gateway_update(
            update.instance,
            now=now,
            state=update.state,
            reason=update.reason,
            codes=codes,
        )
    except Missing:
        logger.warning("update for an unknown instance ignored", extra={"instance": update.instance})


def accept(services: Services, batch: WebhookBatch) -> int:
    """Enqueues the batch's messages (under their canonical identity), applies its instance updates,
    delivery receipts and identity changes; returns how many messages were queued."""
    check_instance_keys(batch)
    now = services.clock()
    for update in batch.instance_updates:
        apply_instance_update(update, now)
    receipts.apply(batch.receipts, now)
    identity.apply_changes(batch.identity_changes, now)
    if not batch.messages:
        return 0
    # A change that names no sender (see logic.senders) is queued as it came: the processor asks
    # the gateway whose message it was. The webhook itself never calls the gateway.
    messages = identity.resolve(batch.messages, now)
    queued = enqueue(offload_inline_media(message) for message in messages)
    for message in messages:
        logger.info(
            "message queued",
            extra={
                "instance": message.instance,
                "phone": mask_phone(message.phone),
                "kind": message.kind.value,
            },
        )
    return queued
