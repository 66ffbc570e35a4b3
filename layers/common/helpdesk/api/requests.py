"""Reading a request strictly: a wrong type is an `AppError` naming the field, never a 500."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Literal, cast, overload

from helpdesk.api.errors import AppError, InvalidInput, Malformed
from helpdesk.api.http import BaseRouter
from helpdesk.events import APIGatewayProxyEventV2, BaseProxyEvent


def _label(name: str) -> str:
    """The field's pt-BR label, for an error: the texts package loads on a refusal, not at import."""
    from helpdesk.texts.fields import field_label

    return field_label(name)


def current_event(router: BaseRouter) -> APIGatewayProxyEventV2:
    """The request being handled, as the HTTP API (payload 2.0) sends it to every function."""
    return cast(APIGatewayProxyEventV2, router.current_event)


def raw_body(event: BaseProxyEvent) -> bytes:
    """The request body exactly as sent: signatures are computed over these bytes."""
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode()


def json_value(event: BaseProxyEvent) -> Any:
    """The body as any JSON value (None when absent or `null`)."""
    try:
        return event.json_body
    except (ValueError, UnicodeDecodeError):
        raise Malformed("O corpo da requisição não é JSON válido.", "body") from None


def json_object(event: BaseProxyEvent, *, optional: bool = True) -> dict[str, Any]:
    """The body as a JSON object; an absent body is `{}` when `optional`."""
    body = json_value(event)
    if body is None and optional:
        return {}
    if not isinstance(body, dict):
        raise Malformed("O corpo da requisição deve ser um objeto JSON.", "body")
    return body


def _field(body: dict[str, Any], name: str, kind: type, described: str, required: bool) -> Any:
    value = body.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"Preencha o campo {_label(name)}.", name)
        return None
    if not isinstance(value, kind):
        raise InvalidInput(f"O campo {_label(name)} deve ser {described}.", name)
    return value


@overload
def text_field(body: dict[str, Any], name: str, *, required: Literal[True]) -> str: ...
@overload
def text_field(body: dict[str, Any], name: str, *, required: bool = False) -> str | None: ...
def text_field(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    return _field(body, name, str, "um texto", required)


@overload
def bool_field(body: dict[str, Any], name: str, *, required: Literal[True]) -> bool: ...
@overload
def bool_field(body: dict[str, Any], name: str, *, required: bool = False) -> bool | None: ...
def bool_field(body: dict[str, Any], name: str, *, required: bool = False) -> bool | None:
    return _field(body, name, bool, "sim ou não", required)


def int_query(event: BaseProxyEvent, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = event.get_query_string_value(name, None)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise InvalidInput(f"{_label(name)}: informe um número de {minimum} a {maximum}.", name)
    return int(raw)


def int_path(raw: str, invalid: AppError, max_digits: int = 10) -> int:
    """A numeric path parameter (a ticket number); anything else raises `invalid`."""
    if not raw.isdigit() or len(raw) > max_digits:
        raise invalid
    return int(raw)


# Cursors are the table's last evaluated key of a ticket listing (the gsi2 index), opaque to
# clients: base64 of its JSON, and only that exact key shape is accepted back.
CURSOR_KEYS = {"pk", "sk", "gsi2pk", "gsi2sk"}


def encode_cursor(last_key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(last_key).encode()).decode() if last_key else None


def decode_cursor(raw: str | None) -> dict | None:
    if not raw:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (binascii.Error, ValueError):
        key = None
    if not (
        isinstance(key, dict)
        and set(key) == CURSOR_KEYS
        and all(isinstance(v, dict) and isinstance(v.get("S"), str) for v in key.values())
    ):
        raise InvalidInput("A próxima página da lista expirou: carregue a lista de novo.", "cursor")
    return key
