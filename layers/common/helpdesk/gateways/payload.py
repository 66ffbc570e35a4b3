"""Reading gateway JSON defensively: the helpers both webhook parsers share.

Webhook bodies come from outside; every field may be missing or of another type. These helpers
turn "not what we expected" into WebhookMalformed (for structure the parser needs) or None (for
optional values), so a parser never lets a KeyError or TypeError escape.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from helpdesk.gateways.base import WebhookMalformed


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or WebhookMalformed."""
    try:
        return obj(json.loads(body), "body")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise WebhookMalformed("body is not JSON") from exc


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WebhookMalformed(f"{what} is not an object")
    return value


def items(value: Any, what: str) -> list[Any]:
    """A list that may be absent (an empty list then), never another type."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise WebhookMalformed(f"{what} is not a list")
    return value


def text(value: Any) -> str | None:
    """A non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def integer(value: Any) -> int | None:
    """Numbers arrive as ints, digit strings or protobuf Longs ({"low", "high"}), by version."""
    if isinstance(value, dict):
        low, high = value.get("low"), value.get("high", 0)
        if isinstance(low, int) and isinstance(high, int) and not isinstance(low, bool | float):
            return (high << 32) | (low & 0xFFFFFFFF)
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def iso_time(value: Any) -> int | None:
    """Epoch seconds of an ISO-8601 string ("...Z" allowed), else None."""
    raw = text(value)
    if raw is None:
        return None
    try:
        return int(datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp())
    except (ValueError, OverflowError, OSError):
        return None
