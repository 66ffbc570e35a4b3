"""Loads the functions' handlers from their folders and invokes them as Lambda would."""

from __future__ import annotations

import contextvars
import importlib.util
import sys
import threading
import time
import types
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from local import cfn, containers_in_threads
from local.cfn import FunctionSpec

REGION = "us-east-1"
ACCOUNT = "123456789012"

# The function whose handler runs in this context (None in test or tool code): the tests check each
# AWS call against that function's IAM policy (tests/support/iam.py).
RUNNING: contextvars.ContextVar[str | None] = contextvars.ContextVar("running_function", default=None)

# Containers start on the pollers' threads; two loading at once would each remove the other's
# fresh sibling modules from sys.modules (a KeyError, or one container running the other's copy).
_loading = threading.Lock()


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self._deadline - time.monotonic()) * 1000), 0)


@contextmanager
def snapshot_runtime(before_snapshot: list[Callable[[], object]]) -> Iterator[None]:
    """Lambda's SnapStart hooks (`snapshot_restore_py`) as a SnapStart function finds them while it
    loads: what it registers to run before the snapshot runs once it has loaded, as when AWS
    publishes a version, so a container holds what a restored snapshot holds (the admin function's
    route modules). A local container is never restored: after-restore hooks are not kept."""

    def register_before_snapshot(hook: Callable[..., object], *args: Any, **kwargs: Any) -> Callable:
        before_snapshot.append(partial(hook, *args, **kwargs))
        return hook

    def register_after_restore(hook: Callable[..., object], *args: Any, **kwargs: Any) -> Callable:
        return hook

    runtime = types.ModuleType("snapshot_restore_py")
    vars(runtime).update(
        register_before_snapshot=register_before_snapshot, register_after_restore=register_after_restore
    )
    sys.modules["snapshot_restore_py"] = runtime
    try:
        yield
    finally:
        del sys.modules["snapshot_restore_py"]


class LocalFunction:
    """One function of the template, its handler imported from its own folder like Lambda does."""

    def __init__(self, spec: FunctionSpec) -> None:
        containers_in_threads.install()
        self.spec = spec
        module_name, handler_name = spec.handler.rsplit(".", 1)
        path = spec.code_dir / f"{module_name}.py"
        unique = f"_local_{spec.logical_id}_{module_name}"
        with _loading:
            # Lambda runs a handler with its own folder on sys.path (for its sibling modules).
            if str(spec.code_dir) not in sys.path:
                sys.path.insert(0, str(spec.code_dir))
            # Its sibling modules are its own too, as in a container (fifo_batch's thread pool,
            # routers): the previous container keeps its copies, this one imports fresh ones.
            for name, loaded in list(sys.modules.items()):
                if getattr(loaded, "__file__", None) and Path(loaded.__file__).parent == spec.code_dir:
                    del sys.modules[name]
            loader = importlib.util.spec_from_file_location(unique, path)
            module = importlib.util.module_from_spec(loader)
            sys.modules[unique] = module
            before_snapshot: list[Callable[[], object]] = []
            with snapshot_runtime(before_snapshot) if spec.snapstart else nullcontext():
                loader.loader.exec_module(module)
            # Still loading: what the hooks import is this container's own, as what the module did.
            for hook in before_snapshot:
                hook()
        self.module = module
        self._handler = getattr(module, handler_name)

    @property
    def name(self) -> str:
        return self.spec.logical_id

    def invoke(self, event: dict[str, Any]) -> Any:
        context = LambdaContext(self.spec.logical_id, self.spec.memory, self.spec.timeout)
        token = RUNNING.set(self.spec.logical_id)
        try:
            return self._handler(event, context)
        finally:
            RUNNING.reset(token)


class Containers:
    """A function's execution environments, as Lambda keeps them: each handles one event at a time
    (Powertools' resolver keeps the current request on the app), and an event that finds them all
    busy starts another one, a cold start. The local API's server answers each request on a thread
    of its own, so a page loading its assets at once must not share one container."""

    def __init__(self, first: LocalFunction) -> None:
        self.spec = first.spec
        self.idle = [first]
        self.lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.spec.logical_id

    @contextmanager
    def container(self) -> Iterator[LocalFunction]:
        with self.lock:
            taken = self.idle.pop() if self.idle else None  # the warmest first
        taken = taken or LocalFunction(self.spec)
        try:
            yield taken
        finally:
            with self.lock:
                self.idle.append(taken)

    def invoke(self, event: dict[str, Any]) -> Any:
        with self.container() as function:
            return function.invoke(event)


def load_function(logical_id: str) -> LocalFunction:
    """The template's function of that logical id, its handler freshly imported (a new container)."""
    spec = next(s for s in cfn.functions(cfn.load_template()) if s.logical_id == logical_id)
    return LocalFunction(spec)
