"""The AWS calls made in the local stack's process that its stand-ins wait for, instead of asking
moto over and over: a stream poller waits for a write to a table, the Transcribe stand-in for a job
started. An idle stack spent 8% of a core on those reads, 3% without the table's. A call made from
another process (a test writing to moto directly) is seen at the waiter's next idle read."""

from __future__ import annotations

import threading
import time


class CallsMade:
    """Counts the calls of some operations (any service, as botocore names them)."""

    def __init__(self, *operations: str) -> None:
        self.operations = frozenset(operations)
        self.count = 0
        self.changed = threading.Condition()

    def made(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_after(self, seen: int, stop: threading.Event, idle: float) -> None:
        """Returns once a call follows the `seen`-th one, `idle` seconds passed, or `stop` is set."""
        deadline = time.monotonic() + idle
        with self.changed:
            while self.count == seen and not stop.is_set() and (left := deadline - time.monotonic()) > 0:
                self.changed.wait(min(left, 0.2))


TABLE_WRITES = CallsMade(
    "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems", "ExecuteStatement"
)
TRANSCRIPTIONS_STARTED = CallsMade("StartTranscriptionJob")
_SIGNALS = (TABLE_WRITES, TRANSCRIPTIONS_STARTED)
_lock = threading.Lock()


def install() -> None:
    """Counts every call botocore makes in this process (pynamodb's included)."""
    import botocore.client

    client = botocore.client.BaseClient
    with _lock:
        if getattr(client._make_api_call, "counts_calls", False):
            return
        make_api_call = client._make_api_call

        def counting(self, operation_name, api_params):
            try:
                return make_api_call(self, operation_name, api_params)
            finally:
                for signal in _SIGNALS:
                    if operation_name in signal.operations:
                        signal.made()

        counting.counts_calls = True  # type: ignore[attr-defined]
        client._make_api_call = counting  # type: ignore[method-assign]
