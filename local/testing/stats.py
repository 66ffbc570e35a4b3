"""The stats consumer in process: moto's table stream read as the StatsFunction's event source
reads it (the template's filter and batch size, whole batches), optionally every batch twice (a
redelivery after a crash), and the stats read back."""

from __future__ import annotations

from typing import Any

from local import cfn
from local.event_filter import matches_any
from local.lambdas import load_function
from local.testing.streams import records_since


class StatsConsumer:
    def __init__(self, aws, batch_size: int | None = None) -> None:
        # Recent botocore routes stream calls to account-based hosts that moto does not serve.
        self.client = aws.session.client(
            "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
        )
        self.arn = aws.resources.stream_arns["Table"]
        # The last sequence number read per shard. Each read asks a fresh iterator after it, as a
        # checkpointing consumer does: moto answers a failed transaction (a redelivered batch
        # finding its marker) by restoring a copy of the table, and an iterator taken before then
        # keeps reading the discarded copy's stream, which never grows again.
        self.checkpoints: dict[str, str] = {}
        spec = next(s for s in cfn.functions(cfn.load_template()) if s.logical_id == "StatsFunction")
        [self.source] = spec.streams
        self.batch_size = batch_size or self.source.batch_size
        self.function = load_function("StatsFunction")
        self.invocations = 0

    def new_records(self) -> list[dict[str, Any]]:
        records = records_since(self.client, self.arn, self.checkpoints)
        return [r for r in records if matches_any(self.source.filters, r)]

    def drain(self, deliveries: int = 1) -> int:
        """Hands every new record to the handler in batches, each batch `deliveries` times."""
        records = self.new_records()
        for start in range(0, len(records), self.batch_size):
            batch = records[start : start + self.batch_size]
            for _ in range(deliveries):
                self.function.invoke({"Records": batch})
                self.invocations += 1
        return len(records)
