"""Every per-process cache, registered in one place so one `reset()` forgets them all.

A Lambda container keeps its clients, sessions, idempotency stores and short-lived lookups
(request types, business hours, instance keys) between invocations. Tests and the local stack
change the environment under a running process: they call `reset()`, never a module's private
names. A new cache is made with `cached` (a `functools.cache` that is registered) or, for a
hand-made one, by registering the function that forgets it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

_forgetters: list[Callable[[], None]] = []


def register(forget: Callable[[], None]) -> Callable[[], None]:
    """Registers a function that empties a cache; returns it (usable as a decorator)."""
    _forgetters.append(forget)
    return forget


def cached[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """`functools.cache`, registered."""
    wrapped = functools.cache(function)
    register(wrapped.cache_clear)
    return wrapped  # type: ignore[return-value]


def reset() -> None:
    """Forgets every registered cache, in the order they were registered."""
    for forget in list(_forgetters):
        forget()
