"""Times as the table stores them ("2024-05-01T12:00:00.000000+0000"), for code that reads the
items of the table stream rather than through the models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import UTCDateTimeAttribute

_TIME = UTCDateTimeAttribute()


def stored_time(value: datetime) -> str:
    return _TIME.serialize(value)


def iso_time(value: Any) -> Any:
    """A stored time as plain ISO 8601; anything else unchanged."""
    return _TIME.deserialize(value).isoformat() if isinstance(value, str) else value
