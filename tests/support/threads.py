"""Running code on threads at once, the way races show."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable


def race(targets: list[Callable[[], object]]) -> list[Exception]:
    """Runs each target on a thread of its own, started together, while the interpreter switches
    threads as often as it can (as on a busy machine); returns what the targets raised."""
    errors: list[Exception] = []
    start = threading.Barrier(len(targets))

    def run(target: Callable[[], object]) -> None:
        start.wait()
        try:
            target()
        except Exception as error:  # noqa: BLE001 (returned to the test)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    return errors
