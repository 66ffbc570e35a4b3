"""Event source mappings, locally: the SQS FIFO poller and the DynamoDB stream poller.

They build the same events Lambda builds and honour the same contracts: `batchItemFailures`
keeps failed SQS messages for redelivery after the visibility timeout (and the queue's redrive
policy parks them in the DLQ); failed stream records are retried, then sent to the on-failure
destination.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from typing import Any

from local.cfn import StreamSource
from local.event_filter import matches_any
from local.lambdas import REGION, LocalFunction

log = logging.getLogger("local.pollers")


class SqsPoller(threading.Thread):
    def __init__(self, function: LocalFunction, sqs, queue_url: str, queue_arn: str, stop: threading.Event):
        super().__init__(name=f"sqs-{function.name}", daemon=True)
        self.function, self.sqs, self.queue_url, self.queue_arn, self.stop = (
            function,
            sqs,
            queue_url,
            queue_arn,
            stop,
        )

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once(wait_seconds=1)
            except Exception:
                log.exception("SQS poller of %s failed; retrying", self.function.name)
                self.stop.wait(1)

    def poll_once(self, wait_seconds: int = 0) -> int:
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            return 0
        event = {"Records": [self.record(message) for message in received]}
        try:
            result = self.function.invoke(event) or {}
            failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        except Exception:
            log.exception("%s raised: the whole batch will be redelivered", self.function.name)
            failed = {message["MessageId"] for message in received}
        done = [m for m in received if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        log.info("%s processed %d SQS messages (%d failed)", self.function.name, len(received), len(failed))
        return len(received)

    def record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": REGION,
        }


class StreamPoller(threading.Thread):
    """One event source mapping: its own shard iterators, filters and retries."""

    def __init__(
        self,
        function: LocalFunction,
        source: StreamSource,
        streams,
        stream_arn: str,
        stop: threading.Event,
        sqs=None,
        failure_queue_url: str | None = None,
    ):
        super().__init__(name=f"stream-{function.name}-{source.name}", daemon=True)
        self.function, self.source, self.streams = function, source, streams
        self.stream_arn, self.stop = stream_arn, stop
        self.sqs, self.failure_queue_url = sqs, failure_queue_url
        self.iterators: dict[str, str] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                if not self.poll_once():
                    self.stop.wait(0.2)
            except Exception:
                log.exception("stream poller of %s failed; retrying", self.function.name)
                self.stop.wait(1)

    def poll_once(self) -> int:
        shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        delivered = 0
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id not in self.iterators:
                self.iterators[shard_id] = self.streams.get_shard_iterator(
                    StreamArn=self.stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            response = self.streams.get_records(ShardIterator=self.iterators[shard_id], Limit=100)
            self.iterators[shard_id] = response["NextShardIterator"]
            records = [self.record(r) for r in response["Records"]]
            selected = [r for r in records if matches_any(self.source.filters, r)]
            for start in range(0, len(selected), 10):
                self.deliver(selected[start : start + 10])
            delivered += len(selected)
        return delivered

    def record(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {**raw, "eventSourceARN": self.stream_arn, "awsRegion": REGION}

    def deliver(self, records: list[dict[str, Any]]) -> None:
        """Invokes until the batch succeeds; what still fails after the retries goes to the destination."""
        pending = records
        for _attempt in range(self.source.retries + 1):
            try:
                result = self.function.invoke({"Records": pending}) or {}
                failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
            except Exception:
                log.exception("%s raised on a stream batch", self.function.name)
                failed = {r["dynamodb"]["SequenceNumber"] for r in pending}
            log.info(
                "%s processed %d stream records (%d failed)", self.function.name, len(pending), len(failed)
            )
            if not failed:
                return
            # Like Lambda: retry from the first failed record on.
            first = min(i for i, r in enumerate(pending) if r["dynamodb"]["SequenceNumber"] in failed)
            pending = pending[first:]
            self.stop.wait(0.2)
        self.send_to_destination(pending)

    def send_to_destination(self, records: list[dict[str, Any]]) -> None:
        if not (self.sqs and self.failure_queue_url):
            log.error("%s dropped %d records: no on-failure destination", self.function.name, len(records))
            return
        sequence_numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
        self.sqs.send_message(
            QueueUrl=self.failure_queue_url,
            MessageBody=json.dumps(
                {
                    "requestContext": {
                        "functionArn": self.function.name,
                        "condition": "RetryAttemptsExhausted",
                    },
                    "DDBStreamBatchInfo": {
                        "streamArn": self.stream_arn,
                        "startSequenceNumber": sequence_numbers[0],
                        "endSequenceNumber": sequence_numbers[-1],
                        "batchSize": len(records),
                    },
                    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
            ),
        )
        log.error("%s sent %d records to its on-failure destination", self.function.name, len(records))
