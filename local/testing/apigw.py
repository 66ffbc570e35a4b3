"""API Gateway HTTP API (payload 2.0) events, as the deployed API sends them to the handlers
(invoke them with local.lambdas.load_function(logical_id).invoke(event))."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any
from urllib.parse import urlencode

ADMIN_CLAIMS = {"sub": "test-admin", "email": "admin@example.com", "token_use": "id"}
WEBHOOK_TOKEN = "test-webhook-token"  # what the integration `aws` fixture configures


def http_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
    route_key: str | None = None,
) -> dict[str, Any]:
    """An event as the HTTP API sends it (header names in lower case); `claims` puts a JWT authorizer
    context in it. A bytes body goes base64-encoded, as the API passes a binary body."""
    binary = isinstance(body, bytes)
    raw_body = (
        base64.b64encode(body).decode()
        if binary
        else body
        if isinstance(body, str) or body is None
        else json.dumps(body)
    )
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key or f"{method} {path}",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {
            "content-type": "application/octet-stream" if binary else "application/json",
            **{k.lower(): v for k, v in (headers or {}).items()},
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "test",
            "domainName": "test.execute-api.us-east-1.amazonaws.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "pytest",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route_key or f"{method} {path}",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 1767225600000,
        },
        "isBase64Encoded": binary,
        "body": raw_body,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event


def admin_event(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """An authorized call to /admin/{proxy+}."""
    kwargs.setdefault("claims", ADMIN_CLAIMS)
    return http_event(method, path, route_key="ANY /admin/{proxy+}", **kwargs)


def webhook_event(
    body: str | bytes | dict,
    token: str = WEBHOOK_TOKEN,
    path: str = "/webhooks/evolution",
    headers: dict | None = None,
) -> dict[str, Any]:
    """A gateway's POST to the webhook function: a dict body goes as JSON, bytes as (lossy) text."""
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False)
    if isinstance(body, bytes):
        body = body.decode(errors="replace")
    return http_event("POST", path, body=body, headers={"x-webhook-token": token, **(headers or {})})
