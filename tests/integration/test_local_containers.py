"""The local stack's containers: each loads its own copy of its function's modules, even when the
pollers start several at the same moment (as a burst makes them)."""

from __future__ import annotations

from local.lambdas import load_function
from tests.support.threads import race


def test_containers_started_at_once_each_get_their_own_modules(aws):
    containers = []
    assert race([lambda: containers.append(load_function("ProcessorFunction"))] * 6) == []
    # fifo_batch (the batch's thread pool) is a sibling module: one copy per container.
    copies = {id(c.module.process_fifo_batch.__globals__) for c in containers}
    assert len(copies) == 6
