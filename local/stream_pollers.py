"""The DynamoDB stream event source mapping, locally: one reader per stream shared by every mapping
on it; each mapping filters, batches and retries its records, then sends the failed ones to its
on-failure destination, as Lambda does (an S3 bucket gets the whole invocation record, payload
included; an SQS queue only the batch's sequence numbers).
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
import uuid
from typing import Any

from local import calls_made
from local.cfn import StreamSource
from local.event_filter import matches_any
from local.lambdas import ACCOUNT, REGION, LocalFunction

log = logging.getLogger("local.pollers")


def keep_wire_records(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_) -> None:
    """GetRecords' records as the service wrote them, which is how Lambda hands them to a function
    (times as epoch numbers, binary values in base64). botocore would also turn every attribute of
    every image into Python values, a cost the functions' process paid on every read under load."""
    if response_dict["status_code"] != 200:
        return
    body = json.loads(response_dict["body"])
    customized_response_dict["Records"] = body.pop("Records", [])
    response_dict["body"] = json.dumps(body).encode()


class StreamReader:
    """Reads a table's stream once for every event source mapping on it. In AWS each mapping reads
    the stream by itself; here every read costs the functions' process a request, and a read per
    mapping doubled one of the largest costs of the stack under load after moto. Each mapping
    keeps its own records, filters, batches and retries (a failing one holds up no other).

    A read is one GetRecords: it follows each shard's NextShardIterator, and lists the shards
    again every SHARDS_TTL seconds. The last sequence number read is kept too: when an iterator is
    refused (expired, or moto restarted), a fresh one starts right after it."""

    SHARDS_TTL = 5.0

    def __init__(self, streams, stream_arn: str) -> None:
        self.streams, self.stream_arn = streams, stream_arn
        streams.meta.events.register(
            "before-parse.dynamodb-streams.GetRecords", keep_wire_records, unique_id="local-wire-records"
        )
        self.lock = threading.Lock()
        self.checkpoints: dict[str, str] = {}
        self.iterators: dict[str, str] = {}
        self.shards: list[str] = []
        self.shards_listed_at = float("-inf")
        self.subscribers: list[dict[str, collections.deque[dict[str, Any]]]] = []

    def subscribe(self) -> dict[str, collections.deque[dict[str, Any]]]:
        """A mapping's records not taken yet, by shard, in stream order."""
        pending: dict[str, collections.deque[dict[str, Any]]] = {}
        with self.lock:
            self.subscribers.append(pending)
        return pending

    def read(self) -> None:
        """What the stream got since the last read, to every subscriber."""
        with self.lock:
            if time.monotonic() - self.shards_listed_at > self.SHARDS_TTL:
                description = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
                self.shards = [shard["ShardId"] for shard in description["Shards"]]
                self.shards_listed_at = time.monotonic()
            for shard_id in self.shards:
                records = self._records(shard_id)
                if records:
                    self.checkpoints[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
                for pending in self.subscribers:
                    pending.setdefault(shard_id, collections.deque()).extend(records)

    def _records(self, shard_id: str) -> list[dict[str, Any]]:
        iterator = self.iterators.pop(shard_id, None)
        if iterator is not None:
            try:
                response = self.streams.get_records(ShardIterator=iterator, Limit=100)
            except Exception:  # noqa: BLE001 (refused: start again from the checkpoint)
                log.info("stream iterator of %s refused; starting after the last record read", shard_id)
                iterator = None
        if iterator is None:
            position: dict[str, str] = {"ShardIteratorType": "TRIM_HORIZON"}
            if shard_id in self.checkpoints:
                position = {
                    "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                    "SequenceNumber": self.checkpoints[shard_id],
                }
            fresh = self.streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard_id, **position)
            response = self.streams.get_records(ShardIterator=fresh["ShardIterator"], Limit=100)
        if response.get("NextShardIterator"):
            self.iterators[shard_id] = response["NextShardIterator"]
        return response["Records"]


class StreamPoller(threading.Thread):
    """One event source mapping: its filters, batches and retries, over its table's StreamReader
    (one of its own when none is given)."""

    def __init__(
        self,
        function: LocalFunction,
        source: StreamSource,
        streams,
        stream_arn: str,
        stop: threading.Event,
        sqs=None,
        failure_queue_url: str | None = None,
        reader: StreamReader | None = None,
        s3=None,
        failure_bucket: str | None = None,
    ):
        super().__init__(name=f"stream-{function.name}-{source.name}", daemon=True)
        self.function, self.source, self.stop = function, source, stop
        self.stream_arn = stream_arn
        self.sqs, self.failure_queue_url = sqs, failure_queue_url
        self.s3, self.failure_bucket = s3, failure_bucket
        self.mapping_id = str(uuid.uuid4())  # the event source mapping's UUID (the S3 keys' prefix)
        self.reader = reader or StreamReader(streams, stream_arn)
        self.pending = self.reader.subscribe()
        calls_made.install()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                seen = calls_made.TABLE_WRITES.count
                if not self.poll_once():
                    calls_made.TABLE_WRITES.wait_after(seen, self.stop, idle=1.0)
            except Exception:
                log.exception("stream poller of %s failed; retrying", self.function.name)
                self.stop.wait(1)

    def poll_once(self) -> int:
        if not any(self.pending.values()):  # another mapping's read may have brought ours already
            self.reader.read()
        delivered = 0
        for records in self.pending.values():
            taken = [self.record(records.popleft()) for _ in range(len(records))]
            selected = [r for r in taken if matches_any(self.source.filters, r)]
            size = self.source.batch_size
            for start in range(0, len(selected), size):
                self.deliver(selected[start : start + size])
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
        if self.s3 and self.failure_bucket:
            key, record = self.invocation_record(records)
            self.s3.put_object(Bucket=self.failure_bucket, Key=key, Body=json.dumps(record).encode())
        elif self.sqs and self.failure_queue_url:
            record = {k: v for k, v in self.invocation_record(records)[1].items() if k != "payload"}
            self.sqs.send_message(QueueUrl=self.failure_queue_url, MessageBody=json.dumps(record))
        else:
            log.error("%s dropped %d records: no on-failure destination", self.function.name, len(records))
            return
        log.error("%s sent %d records to its on-failure destination", self.function.name, len(records))

    def invocation_record(self, records: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
        """The S3 key and the invocation record Lambda writes for a batch that kept failing."""
        now = time.gmtime()
        shard = records[0].get("eventID", "shard")[:8]
        key = f"aws/lambda/{self.mapping_id}/{shard}/{time.strftime('%Y/%m/%d/%Y-%m-%dT%H.%M.%S', now)}-{uuid.uuid4()}"
        sequence_numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
        return key, {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function.name}",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": self.source.retries + 1,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled",
            },
            "version": "1.0",
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", now),
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "streamArn": self.stream_arn,
                "startSequenceNumber": sequence_numbers[0],
                "endSequenceNumber": sequence_numbers[-1],
                "batchSize": len(records),
            },
            "payload": json.dumps({"Records": records}),
        }
