"""Portal session tokens, pure: `v1.<payload>.<mac>`.

The payload (base64url JSON) holds the phone, the requester's `credentials_version` and an expiry
(epoch seconds); the mac is HMAC-SHA256 over `v1.<payload>` with the portal's session key. The
logic accepts a token only while its `credentials_version` equals the stored one, so access
recovery through the bot (which bumps the version) ends every older session at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime

from msgspec import Struct

TOKEN_VERSION = "v1"  # nosec B105 # the token format's version, no secret
MAX_TOKEN_CHARS = 1024


class Session(Struct, frozen=True):
    phone: str
    credentials_version: int
    expires_at: int  # epoch seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, signed: str) -> str:
    return _b64(hmac.new(key, signed.encode(), hashlib.sha256).digest())


def sign(session: Session, key: bytes) -> str:
    payload = {"p": session.phone, "v": session.credentials_version, "exp": session.expires_at}
    signed = f"{TOKEN_VERSION}.{_b64(json.dumps(payload, separators=(',', ':')).encode())}"
    return f"{signed}.{_mac(key, signed)}"


def decode(token: str | None, key: Callable[[], bytes], now: datetime) -> Session | None:
    """The token's session when the signature holds and it has not expired. `key` is asked only
    for a well-formed token (a garbled cookie is refused even where no key is configured)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    version, _, rest = token.partition(".")
    payload, _, mac = rest.partition(".")
    if version != TOKEN_VERSION or not payload or not mac:
        return None
    if not hmac.compare_digest(_mac(key(), f"{version}.{payload}").encode(), mac.encode()):
        return None
    try:
        data = json.loads(_unb64(payload))
        session = Session(str(data["p"]), int(data["v"]), int(data["exp"]))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    return session if session.expires_at > now.timestamp() else None
