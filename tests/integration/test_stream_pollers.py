"""The local stack's stream poller on moto: it keeps delivering after a cancelled transaction, the
mappings of one stream share its reads, and a read is one GetRecords that survives a refused
iterator without losing or repeating a record."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from helpdesk.storage import stats
from helpdesk.storage.tickets import ticket_pk
from local import cfn
from local.pollers import StreamPoller, StreamReader
from tests.integration.test_admin_api import make_ticket


class Recorder:
    name = "StatsFunction"

    def __init__(self) -> None:
        self.batches: list[list[dict]] = []

    def invoke(self, event: dict) -> None:
        self.batches.append(event["Records"])


def test_the_stream_poller_still_delivers_after_a_cancelled_transaction(aws):
    spec = next(s for s in cfn.functions(cfn.load_template()) if s.logical_id == "StatsFunction")
    [source] = spec.streams
    function = Recorder()
    streams = aws.session.client(
        "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
    )
    poller = StreamPoller(function, source, streams, aws.resources.stream_arns["Table"], threading.Event())

    make_ticket(1)
    assert poller.poll_once() == 1
    batch = function.batches[-1]
    assert stats.add_stream_batch(batch, datetime.now(UTC)) is True
    # The same batch again: its marker's condition cancels the transaction.
    assert stats.add_stream_batch(batch, datetime.now(UTC)) is False

    make_ticket(2)
    assert poller.poll_once() == 1
    [record] = function.batches[-1]
    assert record["dynamodb"]["Keys"]["pk"] == {"S": ticket_pk(2)}


def test_the_mappings_of_one_stream_share_its_reads_and_each_gets_every_record(aws):
    specs = {s.logical_id: s for s in cfn.functions(cfn.load_template())}
    streams = aws.session.client(
        "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
    )
    arn = aws.resources.stream_arns["Table"]
    reader = StreamReader(streams, arn)
    stats_function, other = Recorder(), Recorder()
    [stats_source] = specs["StatsFunction"].streams
    first = StreamPoller(stats_function, stats_source, streams, arn, threading.Event(), reader=reader)
    second = StreamPoller(other, stats_source, streams, arn, threading.Event(), reader=reader)
    reads = []
    real_read = reader.read
    reader.read = lambda: reads.append(1) or real_read()

    make_ticket(1)
    make_ticket(2)
    assert first.poll_once() == 2
    assert second.poll_once() == 2  # from the first one's read
    assert len(reads) == 1
    make_ticket(3)
    assert second.poll_once() == 1 and first.poll_once() == 1
    for function in (stats_function, other):
        keys = [r["dynamodb"]["Keys"]["pk"]["S"] for batch in function.batches for r in batch]
        assert keys == [ticket_pk(1), ticket_pk(2), ticket_pk(3)]


def test_a_read_is_one_get_records_and_a_refused_iterator_resumes_after_the_last_record(aws):
    streams = aws.session.client(
        "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
    )
    reader = StreamReader(streams, aws.resources.stream_arns["Table"])
    pending = reader.subscribe()
    calls: list[str] = []
    streams.meta.events.register("before-call.dynamodbstreams", lambda model, **_: calls.append(model.name))

    def keys() -> list[str]:
        reader.read()
        return [r["dynamodb"]["Keys"]["pk"]["S"] for shard in pending.values() for r in shard]

    make_ticket(1)
    assert keys() == [ticket_pk(1)]
    # As Lambda delivers them: the service's JSON, not botocore's Python values.
    [[record]] = [list(shard) for shard in pending.values()]
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int | float)
    calls.clear()
    make_ticket(2)
    assert keys() == [ticket_pk(1), ticket_pk(2)]
    assert calls == ["GetRecords"]

    from moto.dynamodbstreams.models import dynamodbstreams_backends

    dynamodbstreams_backends["123456789012"]["us-east-1"].shard_iterators.clear()  # as if expired
    make_ticket(3)
    assert keys() == [ticket_pk(1), ticket_pk(2), ticket_pk(3)]
