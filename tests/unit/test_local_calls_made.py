"""The local stack's stand-ins wait for the AWS calls they serve (a table write wakes the stream
pollers) instead of asking moto over and over."""

from __future__ import annotations

import threading
import time

import botocore.session
from botocore.stub import Stubber

from local import calls_made


def dynamodb():
    session = botocore.session.get_session()
    return session.create_client(
        "dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_a_table_write_wakes_a_waiting_poller_and_a_read_does_not():
    calls_made.install()
    client = dynamodb()
    with Stubber(client) as stub:
        stub.add_response("get_item", {})
        stub.add_response("put_item", {})
        seen = calls_made.TABLE_WRITES.count
        client.get_item(TableName="t", Key={"pk": {"S": "a"}})
        assert calls_made.TABLE_WRITES.count == seen

        woke = threading.Event()

        def poller() -> None:
            calls_made.TABLE_WRITES.wait_after(seen, threading.Event(), idle=10)
            woke.set()

        waiting = threading.Thread(target=poller)
        waiting.start()
        client.put_item(TableName="t", Item={"pk": {"S": "a"}})
        waiting.join(5)
        assert woke.is_set() and calls_made.TABLE_WRITES.count == seen + 1


def test_with_no_call_the_wait_ends_after_its_idle_time_or_at_stop():
    signal = calls_made.CallsMade("PutItem")
    started = time.monotonic()
    signal.wait_after(signal.count, threading.Event(), idle=0.1)
    assert 0.1 <= time.monotonic() - started < 1
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    signal.wait_after(signal.count, stop, idle=10)
    assert time.monotonic() - started < 0.5
