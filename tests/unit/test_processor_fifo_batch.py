"""The processor's FIFO batch: phones at the same time, each phone in order, a failure holds back
only the rest of its own phone's messages."""

import importlib.util
import threading
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "functions" / "processor" / "fifo_batch.py"
_spec = importlib.util.spec_from_file_location("processor_fifo_batch", PATH)
fifo_batch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fifo_batch)


def record(message_id: str, group: str) -> dict:
    return {"messageId": message_id, "body": "{}", "attributes": {"MessageGroupId": group}}


def test_the_groups_of_a_batch_run_at_the_same_time():
    # Each group waits for the other: handled one after the other, the barrier would time out.
    both = threading.Barrier(2, timeout=5)
    event = {"Records": [record("a1", "A"), record("b1", "B")]}
    result = fifo_batch.process_fifo_batch(event, lambda r: both.wait())
    assert result == {"batchItemFailures": []}


def test_each_group_stays_in_order_while_the_others_interleave():
    seen: dict[str, list[str]] = {}
    lock = threading.Lock()

    def handler(r):
        with lock:
            seen.setdefault(r["attributes"]["MessageGroupId"], []).append(r["messageId"])

    records = [record(f"{g}{i}", g) for i in range(4) for g in "ABC"]
    assert fifo_batch.process_fifo_batch({"Records": records}, handler) == {"batchItemFailures": []}
    assert seen == {g: [f"{g}{i}" for i in range(4)] for g in "ABC"}


@pytest.mark.parametrize("groups", ["A", "AB"])
def test_a_failure_fails_the_rest_of_its_group_only(groups):
    handled = []

    def handler(r):
        if r["messageId"] == "A2":
            raise RuntimeError("gateway down")
        handled.append(r["messageId"])

    records = [record(f"{g}{i}", g) for i in range(1, 5) for g in groups]
    result = fifo_batch.process_fifo_batch({"Records": records}, handler)
    # A3 and A4 must not overtake A2; B goes on.
    assert result == {"batchItemFailures": [{"itemIdentifier": m} for m in ("A2", "A3", "A4")]}
    assert sorted(handled) == sorted(["A1"] + [f"B{i}" for i in range(1, 5) if "B" in groups])
