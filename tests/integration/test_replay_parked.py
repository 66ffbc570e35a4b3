"""A stream batch that kept failing is parked whole in the stream failure bucket (as the template's
S3 on-failure destination does, emulated by the local stream poller), and `make replay`
(scripts/replay_parked.py) hands it back to its function once the cause is fixed, on moto."""

from __future__ import annotations

import dataclasses
import io
import json
import threading

from local import cfn
from local.pollers import StreamPoller
from scripts.replay_parked import PARKED, REPLAYED, replay
from tests.integration.test_admin_api import make_ticket


class Flaky:
    """A function that fails every batch until it is fixed."""

    name = "NotifierFunction"

    def __init__(self) -> None:
        self.fixed = False
        self.handled: list[list[dict]] = []

    def invoke(self, event: dict) -> dict:
        if not self.fixed:
            raise ConnectionError("the ERP is down")
        self.handled.append(event["Records"])
        return {"batchItemFailures": []}


def keys(s3, bucket: str, prefix: str) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]


def test_a_failed_batch_is_parked_whole_and_replayed_once_fixed(aws):
    [source] = next(
        s for s in cfn.functions(cfn.load_template()) if s.logical_id == "NotifierFunction"
    ).streams
    assert source.on_failure == "StreamFailureBucket"
    bucket = aws.resources.buckets[source.on_failure]
    s3 = aws.session.client("s3")
    streams = aws.session.client(
        "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
    )
    function = Flaky()
    poller = StreamPoller(
        function,
        dataclasses.replace(source, retries=0),  # at once: the retries are the poller's business
        streams,
        aws.resources.stream_arns["Table"],
        threading.Event(),
        s3=s3,
        failure_bucket=bucket,
    )

    make_ticket(1)
    assert poller.poll_once() == 1
    [key] = keys(s3, bucket, PARKED)
    parked = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert parked["requestContext"]["functionArn"].endswith(":function:NotifierFunction")
    assert parked["DDBStreamBatchInfo"]["batchSize"] == 1
    [record] = json.loads(parked["payload"])["Records"]  # the record itself, not only its number
    assert record["dynamodb"]["NewImage"]["entity"] == {"S": "ticket"}

    invoked: list[str] = []

    def invoke(function_arn: str, payload: bytes) -> dict:
        invoked.append(function_arn)
        try:
            return {"Payload": io.BytesIO(json.dumps(function.invoke(json.loads(payload))).encode())}
        except ConnectionError as error:
            return {"FunctionError": "Unhandled", "Payload": io.BytesIO(json.dumps(str(error)).encode())}

    [still_down] = replay(s3, bucket, invoke)
    assert not still_down.ok and "Unhandled" in still_down.detail
    assert keys(s3, bucket, PARKED) == [key]  # kept for the next run

    function.fixed = True
    [outcome] = replay(s3, bucket, invoke)
    assert outcome.ok and outcome.records == 1
    assert function.handled == [[record]]
    assert keys(s3, bucket, PARKED) == [] and keys(s3, bucket, REPLAYED) == [REPLAYED + key]
    assert replay(s3, bucket, invoke) == []  # nothing parked is left
    assert len(invoked) == 2
