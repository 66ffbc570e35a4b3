"""The HTTP plumbing every gateway shares: one Session factory and one error mapping.

Retries (with backoff, honouring Retry-After) happen inside urllib3 for 429 and 5xx only; what is
still failing afterwards becomes a GatewayError (SQS retries the turn later), and any other 4xx a
GatewayRejected (retrying will not help).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util.retry import Retry

from helpdesk.gateways.base import GatewayError, GatewayRejected

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_EXCERPT_CHARS = 200


class _CappedRetry(Retry):
    """Retry that never sleeps longer than `max_retry_after` for a server's Retry-After."""

    max_retry_after: float = 10.0

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.max_retry_after)


class _TimeoutAdapter(HTTPAdapter):
    """An adapter that applies a default timeout to every request that does not pass one."""

    def __init__(self, timeout: float, **kwargs: Any) -> None:
        self._timeout = timeout
        super().__init__(**kwargs)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        timeout = self._timeout if timeout is None else timeout
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )


def new_session(timeout: float, retries: int = 3, backoff_factor: float = 0.5) -> requests.Session:
    """A Session with a default timeout and retries on 429/5xx (POST included: sends are retried)."""
    retry = _CappedRetry(
        total=retries,
        connect=retries,
        read=0,  # a timed-out read may have been processed: let the caller decide
        status=retries,
        other=0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"}),
        backoff_factor=backoff_factor,
        respect_retry_after_header=True,
        raise_on_status=False,  # hand back the last response so it can be mapped below
    )
    session = requests.Session()
    adapter = _TimeoutAdapter(timeout, max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _excerpt(text: str, redact: Iterable[str]) -> str:
    short = " ".join(text.split())[: _EXCERPT_CHARS * 2]
    for secret in redact:
        if secret:
            short = short.replace(secret, "***")
    return short[:_EXCERPT_CHARS]


def _timed_out(exc: requests.RequestException) -> bool:
    """Read timeouts arrive as ConnectionError(MaxRetryError(ReadTimeoutError)) once retries are spent."""
    if isinstance(exc, requests.Timeout):
        return True
    reason = exc.args[0] if exc.args else None
    return isinstance(reason, MaxRetryError) and isinstance(reason.reason, Urllib3Timeout)


def call(
    session: requests.Session,
    method: str,
    url: str,
    *,
    redact: Iterable[str] = (),
    accept: Iterable[int] = (),
    **kwargs: Any,
) -> requests.Response:
    """Performs one request and maps failures to GatewayError / GatewayRejected.

    `redact` lists secrets that must never appear in an error message; `accept` lists 4xx statuses
    the caller handles itself (the response is returned instead of raising).
    """
    path = urlsplit(url).path  # never the query string: signed URLs carry credentials there
    secrets = tuple(redact)
    try:
        response = session.request(method, url, **kwargs)
    except requests.RequestException as exc:
        reason = "timed out" if _timed_out(exc) else type(exc).__name__
        raise GatewayError(f"{method} {path}: {reason}") from exc
    status = response.status_code
    if status < 400 or status in set(accept):
        return response
    message = f"{method} {path} -> {status}: {_excerpt(response.text, secrets)}"
    if status in RETRY_STATUSES or status >= 500:
        raise GatewayError(message)
    raise GatewayRejected(message)


def json_body(response: requests.Response) -> dict:
    """The response's JSON object; a GatewayError when the gateway answered something else."""
    try:
        data = response.json()
    except ValueError as exc:
        raise GatewayError(f"{response.request.method} {urlsplit(response.url).path}: not JSON") from exc
    if not isinstance(data, dict):
        raise GatewayError(f"{response.request.method} {urlsplit(response.url).path}: not a JSON object")
    return data
