"""API Gateway HTTP API (payload 2.0) events, as the deployed API sends them to the handlers."""

from __future__ import annotations

import time
import uuid
from typing import Any


def http_event(
    method: str, path: str, *, body: str | None = None, headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None, route: str | None = None, claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    route_key = f"{method} {route or path}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {"content-type": "application/json", **{k.lower(): v for k, v in (headers or {}).items()}},
        "requestContext": {
            "accountId": "123456789012", "apiId": "test", "domainName": "test.local", "requestId": uuid.uuid4().hex,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
            "routeKey": route_key, "stage": "$default", "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": False,
        "body": body or "",
    }
    if query:
        event["queryStringParameters"] = query
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event
