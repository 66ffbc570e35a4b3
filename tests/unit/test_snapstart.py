"""SnapStart: a restored snapshot forgets the per-process caches (clients, secrets) it was taken with."""

from __future__ import annotations

import sys
import types

from helpdesk import caches, snapstart


def test_after_a_restore_every_cache_is_forgotten_and_the_hook_is_registered_only_in_lambda(monkeypatch):
    forgotten = []
    caches.register(lambda: forgotten.append("client"))
    snapstart.refresh_after_restore()
    assert "client" in forgotten
    assert snapstart.register() is False  # no SnapStart runtime here

    hooks = []
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.register_after_restore = hooks.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    assert snapstart.register() is True
    assert hooks == [snapstart.refresh_after_restore]
