"""Lambda SnapStart (the synchronous functions, template.yaml): many execution environments are
restored from one snapshot of an initialized one, so what must not be shared between them is
refreshed after each restore, and what a function loads on first use (the admin function's route
modules) is loaded before the snapshot, once, instead of after every restore. Outside Lambda's
runtime (`snapshot_restore_py` is not installed) nothing is registered.

Refreshed: every per-process cache (`helpdesk.caches`: clients with their open connections, which
the snapshot froze mid-life; settings; the short-lived lookups), Powertools' parameter cache (the
secrets, which may have been rotated since the snapshot), and the `random` module's state (the
retry jitter; `secrets` and `uuid` read the OS afresh and need nothing).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from helpdesk import caches


def refresh_after_restore() -> None:
    from aws_lambda_powertools.utilities import parameters

    caches.reset()
    parameters.clear_caches()
    random.seed()


def register(prime: Callable[[], None] | None = None) -> bool:
    """Registers the refresh with the runtime, and `prime` to run before the snapshot is taken;
    False where there is no SnapStart (locally, tests)."""
    try:
        from snapshot_restore_py import (  # type: ignore[import-not-found]
            register_after_restore,
            register_before_snapshot,
        )
    except ImportError:
        return False
    if prime is not None:
        register_before_snapshot(prime)
    register_after_restore(refresh_after_restore)
    return True
