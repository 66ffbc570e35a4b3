"""Polling for what happens in another thread or process."""

from __future__ import annotations

import time


def eventually(check, timeout: float = 15.0, interval: float = 0.2):
    """Polls `check` until it returns something truthy; the last value is returned or asserted."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "condition not met in time"
            return value
        time.sleep(interval)
