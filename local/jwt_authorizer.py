"""API Gateway's JWT authorizer, locally: what the HTTP API checks before an /admin route runs.

Like the deployed authorizer it takes the Authorization header (with or without `Bearer `),
requires an RS256 signature by a key of the pool's JWKS (found by `kid`), the pool's issuer,
`exp` in the future, `nbf`/`iat` not in the future, and the app client id in `aud` (ID tokens) or
`client_id` (access tokens). This product accepts ID tokens only (`token_use` = `id`: the console
sends the ID token, whose `email` names the agent); the admin function repeats that check, so
an access token is refused in AWS too. Anything else is None: the caller answers 401.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Collection
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

log = logging.getLogger("local.jwt")

ALGORITHM = "RS256"
JWKS_REFRESH_SECONDS = 60  # an unknown kid refetches the keys (rotation), at most this often


def http_jwks(url: str) -> Callable[[], dict[str, Any]]:
    def fetch() -> dict[str, Any]:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the local moto URL
            return json.load(response)

    return fetch


class JwtAuthorizer:
    def __init__(
        self,
        issuer: str,
        audience: Collection[str],
        jwks: Callable[[], dict[str, Any]],
        *,
        token_use: str = "id",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer
        self.audience = frozenset(audience)
        self.token_use = token_use
        self._fetch_jwks = jwks
        self._clock = clock
        self._keys: KeySet | None = None
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def claims(self, authorization: str | None) -> dict[str, Any] | None:
        """The token's claims when API Gateway would let it through, else None."""
        token = (authorization or "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if not token or token.count(".") != 2:
            return None
        decoded = self._decode(token, self._key_set())
        # Maybe signed by a key we have not seen yet: refetch once in a while, then decide.
        if decoded is None and self._refresh():
            decoded = self._decode(token, self._key_set())
        if decoded is None:
            return None
        if decoded.header.get("alg") != ALGORITHM:
            return None
        claims = decoded.claims
        return claims if self._valid(claims) else None

    def _valid(self, claims: dict[str, Any]) -> bool:
        now = self._clock()
        expires, not_before, issued = claims.get("exp"), claims.get("nbf"), claims.get("iat")
        if not isinstance(expires, int | float) or expires <= now:
            return False
        if isinstance(not_before, int | float) and not_before > now:
            return False
        if isinstance(issued, int | float) and issued > now:
            return False
        if claims.get("iss") != self.issuer:
            return False
        audience = claims.get("aud") if self.token_use == "id" else claims.get("client_id")
        audiences = audience if isinstance(audience, list) else [audience]
        if not any(isinstance(a, str) and a in self.audience for a in audiences):
            return False
        return claims.get("token_use") == self.token_use

    @staticmethod
    def _decode(token: str, keys: KeySet | None):
        if keys is None:
            return None
        try:
            return jwt.decode(token, keys, algorithms=[ALGORITHM])
        except (JoseError, ValueError, KeyError, TypeError):
            return None

    def _key_set(self) -> KeySet | None:
        if self._keys is None:
            self._refresh()
        return self._keys

    def _refresh(self) -> bool:
        with self._lock:
            if self._fetched_at is not None and self._clock() - self._fetched_at < JWKS_REFRESH_SECONDS:
                return False
            try:
                self._keys = KeySet.import_key_set(self._fetch_jwks())
            except (OSError, ValueError) as error:
                log.warning("JWKS fetch failed: %s", error)
                return False
            finally:
                self._fetched_at = self._clock()
            return True
