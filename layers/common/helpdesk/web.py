"""Small helpers shared by the HTTP handlers."""

from __future__ import annotations

import base64


def raw_body(event) -> bytes:
    """The request body exactly as sent: signatures are computed over these bytes."""
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode()
