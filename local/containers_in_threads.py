"""What a Lambda container may keep process-wide, kept per thread here, where the local stack runs
its containers as threads of one process.

Powertools' resolvers store the request being handled on their base class
(`BaseRouter.current_event = ...`): one process is one container in Lambda, so that is safe there.
Here two containers answering at once (a page loading its script and its style sheet) would read
each other's request: a browser test got the style sheet's answer to its script. With this, the
class attribute is one per thread, which is one per invocation (a container handles one event at a
time on the thread that called it)."""

from __future__ import annotations

import threading
from typing import Any

_installed = False
_lock = threading.Lock()


class _PerThread:
    """A data descriptor whose value belongs to the thread that set it."""

    def __init__(self, name: str) -> None:
        self.name, self.values = name, threading.local()

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        try:
            return self.values.value
        except AttributeError:
            raise AttributeError(self.name) from None

    def __set__(self, instance: Any, value: Any) -> None:
        self.values.value = value


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        from helpdesk.api.http import BaseRouter

        slot = _PerThread("current_event")
        # Read on an instance (`self.current_event`): the class's own attribute. Assigned on the
        # class (`BaseRouter.current_event = event`): an attribute of its metaclass, the only place
        # that can take a class attribute's assignment.
        BaseRouter.current_event = slot
        BaseRouter.__class__ = type("PerThreadRouterMeta", (type(BaseRouter),), {"current_event": slot})
        _installed = True
