"""Lambda SnapStart (the synchronous functions, template.yaml): many execution environments are
restored from one snapshot of an initialized one, so what must not be shared between them is
refreshed after each restore. Outside Lambda's runtime (`snapshot_restore_py` is not installed)
nothing is registered.

Refreshed: every per-process cache (`helpdesk.caches`: clients with their open connections, which
the snapshot froze mid-life; settings; the short-lived lookups), Powertools' parameter cache (the
secrets, which may have been rotated since the snapshot), and the `random` module's state (the
retry jitter; `secrets` and `uuid` read the OS afresh and need nothing).
"""

from __future__ import annotations

import random

from helpdesk import caches


def refresh_after_restore() -> None:
    from aws_lambda_powertools.utilities import parameters

    caches.reset()
    parameters.clear_caches()
    random.seed()


def register() -> bool:
    """Registers the refresh with the runtime; False where there is no SnapStart (locally, tests)."""
    try:
        from snapshot_restore_py import register_after_restore  # type: ignore[import-not-found]
    except ImportError:
        return False
    register_after_restore(refresh_after_restore)
    return True
