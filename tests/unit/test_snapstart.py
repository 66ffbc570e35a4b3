"""SnapStart: a restored snapshot forgets the per-process caches (clients, secrets) it was taken
with, and a function's priming (what it would load on first use) runs before the snapshot."""

from __future__ import annotations

import sys
import types

from helpdesk import caches, snapstart


def snapshot_runtime(monkeypatch) -> tuple[list, list]:
    """Lambda's `snapshot_restore_py`, keeping what is registered with it."""
    before, after = [], []
    runtime = types.ModuleType("snapshot_restore_py")
    runtime.register_before_snapshot = before.append  # type: ignore[attr-defined]
    runtime.register_after_restore = after.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime)
    return before, after


def test_after_a_restore_every_cache_is_forgotten_and_the_hook_is_registered_only_in_lambda(monkeypatch):
    forgotten = []
    caches.register(lambda: forgotten.append("client"))
    snapstart.refresh_after_restore()
    assert "client" in forgotten
    assert snapstart.register() is False  # no SnapStart runtime here

    before, after = snapshot_runtime(monkeypatch)
    assert snapstart.register() is True
    assert after == [snapstart.refresh_after_restore]
    assert before == []


def test_a_function_primes_its_snapshot_only_in_lambda(monkeypatch):
    def prime() -> None:
        raise AssertionError("run by the runtime before the snapshot, never by register")

    assert snapstart.register(prime=prime) is False

    before, after = snapshot_runtime(monkeypatch)
    assert snapstart.register(prime=prime) is True
    assert before == [prime]
    assert after == [snapstart.refresh_after_restore]
