"""Polling for what happens in another thread or process."""

from __future__ import annotations

import time


def eventually(
    check, timeout: float = 15.0, interval: float = 0.2, ignoring: tuple[type[BaseException], ...] = ()
):
    """Polls `check` until it returns something truthy; the last value is returned or asserted.
    An exception in `ignoring` counts as "not yet", and is raised if it is still raised at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except ignoring:
            if time.monotonic() > deadline:
                raise
            value = None
        else:
            if value or time.monotonic() > deadline:
                assert value, "condition not met in time"
                return value
        time.sleep(interval)
