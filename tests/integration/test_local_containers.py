"""The local stack's containers: each loads its own copy of its function's modules, even when the
pollers start several at the same moment (as a burst makes them)."""

from __future__ import annotations

import sys
import threading

from local.lambdas import load_function


def test_containers_started_at_once_each_get_their_own_modules(aws):
    started = threading.Barrier(6)
    containers, errors = [], []

    def start() -> None:
        started.wait()
        try:
            containers.append(load_function("ProcessorFunction"))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(6)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, as on a busy machine
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    # fifo_batch (the batch's thread pool) is a sibling module: one copy per container.
    copies = {id(c.module.process_fifo_batch.__globals__) for c in containers}
    assert len(copies) == 6
