"""One error convention for every API route: raise an `AppError`; one handler renders it.

The body is `{"message", "code", "field"}` plus the error's `details` (e.g. the ERP's
`ticket_number`, the portal's `retry_after`). Logic stays free of HTTP: each function's resolver
passes a table from its logic's exceptions to the `AppError` that answers them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from helpdesk.api.http import Response, content_types

# Every error answer is private and final: never cached, never sniffed, never framed.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class AppError(Exception):
    status: int = HTTPStatus.BAD_REQUEST
    code: str = "error"

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = int(status or self.status)
        self.code = code or self.code
        self.headers = dict(headers or {})
        self.details = details

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "field": self.field, **self.details}


class Malformed(AppError):
    """The request is not what any route accepts (not JSON, not an object)."""

    status, code = HTTPStatus.BAD_REQUEST, "malformed"


class InvalidInput(AppError):
    status, code = HTTPStatus.UNPROCESSABLE_ENTITY, "invalid"


class Unauthorized(AppError):
    status, code = HTTPStatus.UNAUTHORIZED, "unauthorized"


class Forbidden(AppError):
    status, code = HTTPStatus.FORBIDDEN, "forbidden"


class NotFound(AppError):
    status, code = HTTPStatus.NOT_FOUND, "not_found"


class Conflict(AppError):
    status, code = HTTPStatus.CONFLICT, "conflict"


class TooManyRequests(AppError):
    status, code = HTTPStatus.TOO_MANY_REQUESTS, "too_many_requests"


class GatewayFailed(AppError):
    status, code = HTTPStatus.BAD_GATEWAY, "gateway_error"


class Unavailable(AppError):
    status, code = HTTPStatus.SERVICE_UNAVAILABLE, "unavailable"


def error_response(error: AppError) -> Response:
    return Response(
        status_code=error.status,
        content_type=content_types.APPLICATION_JSON,
        body=error.body(),
        headers={**SECURITY_HEADERS, **error.headers},
    )


Translations = Mapping[type[Exception], Callable[[Any], AppError]]


def answered_as(kind: type[AppError]) -> Callable[[Any], AppError]:
    """Translates a logic error that carries its own (pt-BR) `message` and `field`."""
    return lambda error: kind(getattr(error, "message", str(error)), getattr(error, "field", None))


def register_error_handler(app: Any, translations: Translations | None = None) -> None:
    """The resolver's only exception handler: `AppError`s as they are, and the exceptions of
    `translations` (logic's own, or a library's) turned into the `AppError` they map to."""

    def handle(error: Exception) -> Response:
        if not isinstance(error, AppError):
            error = next(translate(error) for kind, translate in table.items() if isinstance(error, kind))
        return error_response(error)

    table = dict(translations or {})
    for kind in (AppError, *table):
        app.exception_handler(kind)(handle)
