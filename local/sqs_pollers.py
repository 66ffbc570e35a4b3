"""The SQS FIFO event source mapping, locally: concurrent containers, as Lambda scales an SQS
source up to its maximum concurrency. It builds the events Lambda builds: `batchItemFailures`
keeps failed messages for redelivery after the visibility timeout (and the queue's redrive policy
parks them in the DLQ).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from local.lambdas import REGION, LocalFunction

log = logging.getLogger("local.pollers")


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """One message as Lambda puts it in an SQS event."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def receive(sqs, queue_url: str, batch_size: int, wait_seconds: int) -> list[dict[str, Any]]:
    return sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=batch_size,
        WaitTimeSeconds=wait_seconds,
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
    ).get("Messages", [])


def invoke_batch(
    function: LocalFunction,
    sqs,
    queue_url: str,
    queue_arn: str,
    received: list[dict],
    finished: Callable[[], None] = lambda: None,
) -> list[dict]:
    """One invocation with the batch; what succeeded is deleted, the rest (`batchItemFailures`, or
    everything when the handler raised) comes back after the visibility timeout, and the queue's
    redrive policy parks it in the DLQ after maxReceiveCount receives. `finished` runs when the
    invocation is over, before the delete releases the batch's message groups. Returns the messages
    left for redelivery."""
    event = {"Records": [sqs_record(message, queue_arn) for message in received]}
    try:
        result = function.invoke(event) or {}
        failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
    except Exception:
        log.exception("%s raised: the whole batch will be redelivered", function.name)
        failed = {message["MessageId"] for message in received}
    finally:
        finished()
    done = [m for m in received if m["MessageId"] not in failed]
    if done:
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
        )
    log.info("%s processed %d SQS messages (%d failed)", function.name, len(received), len(failed))
    return [m for m in received if m["MessageId"] in failed]


class SqsPoller(threading.Thread):
    """One container polling the queue by itself (tests drive it batch by batch with poll_once)."""

    def __init__(
        self,
        function: LocalFunction,
        sqs,
        queue_url: str,
        queue_arn: str,
        stop: threading.Event,
        batch_size: int = 10,
    ):
        super().__init__(name=f"sqs-{function.name}", daemon=True)
        self.function, self.sqs, self.queue_url, self.queue_arn, self.stop = (
            function,
            sqs,
            queue_url,
            queue_arn,
            stop,
        )
        self.batch_size = batch_size
        self.failed: list[dict] = []  # messages left for redelivery, oldest first

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once(wait_seconds=1)
            except Exception:
                log.exception("SQS poller of %s failed; retrying", self.function.name)
                self.stop.wait(1)

    def poll_once(self, wait_seconds: int = 0) -> int:
        received = receive(self.sqs, self.queue_url, self.batch_size, wait_seconds)
        if received:
            self.failed += invoke_batch(self.function, self.sqs, self.queue_url, self.queue_arn, received)
        return len(received)


class SqsEventSourceMapping(threading.Thread):
    """Lambda's SQS event source mapping: up to `concurrency` batches in flight at once, each in a
    container of its own (its own handler module, as a Lambda execution environment).

    FIFO semantics come from the queue, as in AWS: SQS hands out no message of a group while an
    earlier receive of that group is in flight, so no two in-flight batches share a message group.
    The mapping checks it for every batch it receives (`group_violations`, logged as errors).
    """

    def __init__(
        self,
        load: Callable[[], LocalFunction],
        sqs,
        queue_url: str,
        queue_arn: str,
        stop: threading.Event,
        concurrency: int,
        batch_size: int = 10,
        name: str = "sqs",
    ):
        super().__init__(name=f"esm-{name}", daemon=True)
        self.sqs, self.queue_url, self.queue_arn, self.stop = sqs, queue_url, queue_arn, stop
        self.batch_size = batch_size
        self.containers: queue.Queue[LocalFunction] = queue.Queue()
        for _ in range(concurrency):
            self.containers.put(load())
        self.concurrency = concurrency
        self.lock = threading.Lock()
        self.in_flight: dict[str, int] = {}  # message group -> batches holding it
        self.group_violations = 0
        self.batches = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                container = self.containers.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                received = receive(self.sqs, self.queue_url, self.batch_size, wait_seconds=1)
            except Exception:
                log.exception("SQS event source mapping of %s failed; retrying", container.name)
                received = []
                self.stop.wait(1)
            if not received:
                self.containers.put(container)
                continue
            groups = self.hold(received)
            threading.Thread(
                target=self.handle, args=(container, received, groups), name=f"{self.name}-batch", daemon=True
            ).start()

    def hold(self, received: list[dict[str, Any]]) -> set[str]:
        groups = {m.get("Attributes", {}).get("MessageGroupId") for m in received} - {None}
        with self.lock:
            self.batches += 1
            for group in groups:
                if self.in_flight.get(group):
                    self.group_violations += 1
                    log.error("message group %s received while a batch of it is in flight", group)
                self.in_flight[group] = self.in_flight.get(group, 0) + 1
        return groups

    def handle(self, container: LocalFunction, received: list[dict[str, Any]], groups: set[str]) -> None:
        try:
            invoke_batch(
                container, self.sqs, self.queue_url, self.queue_arn, received, lambda: self.release(groups)
            )
        except Exception:
            log.exception("SQS event source mapping of %s failed on a batch", container.name)
        finally:
            self.containers.put(container)

    def release(self, groups: set[str]) -> None:
        with self.lock:
            for group in groups:
                self.in_flight[group] -= 1
                if not self.in_flight[group]:
                    del self.in_flight[group]
