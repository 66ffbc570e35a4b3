"""Powertools' event handler for the HTTP API, without the rest of its package.

`aws_lambda_powertools.event_handler/__init__` imports every resolver Powertools has (AppSync and
asyncio, Bedrock agents, VPC Lattice, a local HTTP server, ...) to offer them by name: about 20 ms of
an API function's cold start for code it never runs. Here the package is entered without running
that list; its modules import on their own, and the first name asked of the package itself that is
not one of its modules (`from aws_lambda_powertools.event_handler import X`) runs it then, so nothing
else changes. The project imports the event handler from here only (ruff's banned-api rule).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

PACKAGE = "aws_lambda_powertools.event_handler"


def _enter_package_lazily() -> None:
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    completed = False

    def attribute(name: str) -> Any:
        nonlocal completed
        if importlib.util.find_spec(f"{PACKAGE}.{name}") is not None:
            return importlib.import_module(f"{PACKAGE}.{name}")
        if not completed:
            completed = True
            spec.loader.exec_module(package)  # type: ignore[union-attr]
            if name in package.__dict__:
                return package.__dict__[name]
        raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")

    package.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[PACKAGE] = package


_enter_package_lazily()

from aws_lambda_powertools.event_handler import content_types  # noqa: E402, TID251
from aws_lambda_powertools.event_handler.api_gateway import (  # noqa: E402, TID251
    APIGatewayHttpResolver,
    BaseRouter,
    Response,
    Router,
)

__all__ = ["APIGatewayHttpResolver", "BaseRouter", "Response", "Router", "content_types"]
