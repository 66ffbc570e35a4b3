"""Powertools' event handler for the HTTP API, without the rest of its package (see
`helpdesk.lazy_packages`). The project imports the event handler from here only (ruff's banned-api
rule)."""

from __future__ import annotations

# isort: off
from helpdesk import lazy_packages  # noqa: F401 (first: enters the packages imported below)
# isort: on

from aws_lambda_powertools.event_handler import content_types  # noqa: TID251
from aws_lambda_powertools.event_handler.api_gateway import (  # noqa: TID251
    APIGatewayHttpResolver,
    BaseRouter,
    Response,
    Router,
)

__all__ = ["APIGatewayHttpResolver", "BaseRouter", "Response", "Router", "content_types"]
