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
from dataclasses import replace
from datetime import datetime

from aws_lambda_powertools import Logger

from helpdesk import aws, caches
from helpdesk.aws import s3
from helpdesk.config import settings
from helpdesk.domain.messages import InboundMessage
from helpdesk.gateways.base import GatewayError, InstanceUpdate, WebhookBatch, WebhookUnauthorized
from helpdesk.logic import identity, receipts
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import catalog
from helpdesk.storage.transaction import Missing

logger = Logger(child=True)

_INSTANCE_KEY_TTL = 60.0
_instance_keys: dict[str, tuple[float, str | None]] = {}
caches.register(_instance_keys.clear)


@caches.cached
def _sqs():
    return aws.client("sqs")


def group_id(message: InboundMessage) -> str:
    """Messages of one phone on one number are handled one at a time, in order."""
    return f"{message.instance}#{message.phone}"


def deduplication_id(message: InboundMessage) -> str:
    return hashlib.sha256(f"{message.gateway}:{message.instance}:{message.message_id}".encode()).hexdigest()


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
            send_batch(batch)
            batch, batch_bytes = [], 0
        batch.append(entry)
        batch_bytes += size
    if batch:
        send_batch(batch)
    return len(entries)


def send_batch(entries: list[dict]) -> None:
    response = _sqs().send_message_batch(QueueUrl=settings().queue_url, Entries=entries)
    if response.get("Failed"):
        raise RuntimeError(f"SQS refused {len(response['Failed'])} messages")


def instance_key_hash(instance: str) -> str | None:
    cached = _instance_keys.get(instance)
    if cached and time.monotonic() - cached[0] < _INSTANCE_KEY_TTL:
        return cached[1]
    stored = catalog.get_instance(instance)
    key_hash = stored.api_key_hash if stored else None
    _instance_keys[instance] = (time.monotonic(), key_hash)
    return key_hash


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def check_instance_keys(batch: WebhookBatch) -> None:
    """Evolution also sends each payload with the instance's key: a stored one must match."""
    instances = {m.instance for m in batch.messages} | {u.instance for u in batch.instance_updates}
    instances |= {r.instance for r in batch.receipts}
    for instance in instances:
        expected = instance_key_hash(instance)
        if expected and not hmac.compare_digest(expected, hash_key(batch.api_key or "")):
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


def with_senders(messages: Iterable[InboundMessage], services: Services) -> Iterable[InboundMessage]:
    """The messages, those that name no sender (an edit Evolution reports from the sender's side)
    attributed by the gateway, which keeps who sent the message they change; else dropped."""
    for message in messages:
        if message.phone:
            yield message
            continue
        find = getattr(services.gateway, "sender_of", None)
        try:
            sender = (
                find(message.instance, message.target_id) if callable(find) and message.target_id else None
            )
        except GatewayError:
            logger.warning("the gateway could not say whose message a change is about")
            sender = None
        if sender is None:
            logger.info("a change of a message of nobody known ignored", extra={"kind": message.kind.value})
            continue
        yield replace(message, phone=sender.identity, reply_to=sender.reply_to, lid=sender.lid)


def accept(services: Services, batch: WebhookBatch) -> int:
    """Enqueues the batch's messages (under their canonical identity), applies its instance updates,
    delivery receipts and identity changes; returns how many messages were queued."""
    check_instance_keys(batch)
    now = services.clock()
    for update in batch.instance_updates:
        apply_instance_update(update, now)
    receipts.apply(batch.receipts, now)
    identity.apply_changes(batch.identity_changes, now)
    attributed = list(with_senders(batch.messages, services))
    if not attributed:
        return 0
    messages = identity.resolve(attributed, now)
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
