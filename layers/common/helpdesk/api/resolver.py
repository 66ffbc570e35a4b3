"""How each API function builds its resolver and handler, so the three differ only in routes
and in their error table."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.shared.json_encoder import Encoder

from helpdesk.api.errors import NotFound, Translations, error_response, register_error_handler
from helpdesk.api.http import APIGatewayHttpResolver, Router

# pt-BR text stays readable (and shorter) on the wire.
serialize = partial(json.dumps, separators=(",", ":"), ensure_ascii=False, cls=Encoder)


def http_api(*routers: Router, errors: Translations | None = None) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(serializer=serialize)
    for router in routers:
        app.include_router(router)
    register_error_handler(app, errors)
    # A path no route takes gets the same JSON error as any other (the library's is "Not found").
    app.not_found(lambda _error: error_response(NotFound("Endereço não encontrado na API.")))
    return app


def lambda_handler(app: APIGatewayHttpResolver, logger: Logger) -> Callable[[dict, Any], dict]:
    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    def handler(event: dict, context: Any) -> dict:
        return app.resolve(event, context)

    return handler
