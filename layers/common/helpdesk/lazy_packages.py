"""Powertools packages entered without running their `__init__`, the list of everything they offer.

`aws_lambda_powertools.event_handler/__init__` imports every resolver Powertools has (AppSync and
asyncio, Bedrock agents, VPC Lattice, a local HTTP server...) and `utilities.data_classes/__init__`
all of its 40 event classes, even when a function imports one module of them. That is 10-20 ms of
each cold start for code the function never runs. `utilities.idempotency/__init__` imports its
DynamoDB store, which imports boto3 whole (40-60 ms): the store is imported where one is made.

`enter_lazily(package)` puts the package in `sys.modules` without running that list: its modules
still import on their own, a name the list re-exports (`from package import S3Event`, as
Powertools' own modules write) imports just the module that defines it, and any other name runs
the whole list then, so nothing else changes.

Importing this module enters those packages; it must come before them (`helpdesk.api.http`,
`helpdesk.events`, `helpdesk.stream_batch` and `helpdesk.storage.idempotency` do it, and ruff's
banned-api rule sends every import of them there).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import threading
from typing import Any

LAZY_PACKAGES = (
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.utilities.data_classes",
    "aws_lambda_powertools.utilities.idempotency",
)


def enter_lazily(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None and spec.origin is not None
    package = importlib.util.module_from_spec(spec)
    origin = spec.origin
    reexported: dict[str, str] | None = None
    completed = False
    running = threading.RLock()  # the local stack's containers are threads of one process

    def complete() -> None:
        nonlocal completed
        with running:
            if not completed:
                completed = True
                spec.loader.exec_module(package)  # type: ignore[union-attr]

    def attribute(attr: str) -> Any:
        nonlocal reexported
        if reexported is None:
            reexported = _reexports(origin, name)
        if attr in reexported:
            return getattr(importlib.import_module(reexported[attr]), attr)
        if importlib.util.find_spec(f"{name}.{attr}") is not None:
            return importlib.import_module(f"{name}.{attr}")
        complete()
        if attr in package.__dict__:
            return package.__dict__[attr]
        raise AttributeError(f"module {name!r} has no attribute {attr!r}")

    package.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[name] = package


def _reexports(init_path: str, package: str) -> dict[str, str]:
    """Name -> defining module, for each `from .module import Name` (or its absolute form) in a
    package's `__init__`."""
    with open(init_path, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    names: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.level == 1:
            module = f"{package}.{node.module}"
        elif node.level == 0 and node.module.startswith(f"{package}."):
            module = node.module
        else:
            continue
        for alias in node.names:
            names[alias.asname or alias.name] = module
    return names


for _package in LAZY_PACKAGES:
    enter_lazily(_package)
