"""API Gateway HTTP API (payload 2.0) events for calling a handler in-process, and the admin
function loaded the way Lambda loads it (its folder on sys.path, for its sibling modules)."""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
ADMIN_CLAIMS = {"sub": "test-admin", "email": "admin@example.com"}


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
    """An event as the HTTP API sends it; `claims` puts a JWT authorizer context in it."""
    raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key or f"{method} {path}",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "test",
            "domainName": "test.execute-api.us-east-1.amazonaws.com",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                     "userAgent": "pytest"},
            "requestId": uuid.uuid4().hex,
            "routeKey": route_key or f"{method} {path}",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 1767225600000,
        },
        "isBase64Encoded": False,
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


class LambdaContext:
    function_name = "AdminFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:AdminFunction"
    aws_request_id = "test-request"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def load_function(folder: str, module: str = "app"):
    """functions/<folder>/<module>.py under a unique module name (every function has an app.py)."""
    code_dir = ROOT / "functions" / folder
    if str(code_dir) not in sys.path:
        sys.path.insert(0, str(code_dir))
    unique = f"_test_{folder}_{module}"
    if unique not in sys.modules:
        spec = importlib.util.spec_from_file_location(unique, code_dir / f"{module}.py")
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[unique] = loaded
        spec.loader.exec_module(loaded)
    return sys.modules[unique]
