"""The HTTP API, locally: WSGI requests -> API Gateway v2 (payload 2.0) events -> the handlers.

Routes and their authorization come from template.yaml, matched most specific first as API Gateway
does. Routes behind the API's JWT authorizer take a Cognito ID token checked as the authorizer
does (local.jwt_authorizer), whose claims reach the handler; for scripts and tests they also take
the local admin token (`ADMIN_TOKEN`) as a bearer token, which exists only here.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from local.cfn import HttpRoute
from local.jwt_authorizer import JwtAuthorizer
from local.lambdas import Containers, LocalFunction

log = logging.getLogger("local.api")

TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/xml")


LOCAL_ADMIN_CLAIMS = {"sub": "local-admin", "token_use": "id"}


def to_event(
    request: Request, route: HttpRoute, path_parameters: dict[str, str], claims: dict[str, Any] | None = None
) -> dict[str, Any]:
    raw = request.get_data()
    content_type = request.headers.get("content-type", "")
    is_text = not raw or content_type.startswith(TEXT_TYPES)
    try:
        body = raw.decode() if is_text else None
    except UnicodeDecodeError:
        body = None
    now = time.time()
    headers = {name.lower(): value for name, value in request.headers.items() if name.lower() != "cookie"}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode(),
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": request.host,
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.headers.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route.route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": body is None,
        "body": body if body is not None else base64.b64encode(raw).decode(),
    }
    if request.args:
        event["queryStringParameters"] = {key: ",".join(request.args.getlist(key)) for key in request.args}
    if path_parameters:
        event["pathParameters"] = path_parameters
    if request.cookies:
        event["cookies"] = [f"{name}={value}" for name, value in request.cookies.items()]
    if route.authorized:
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": dict(claims or LOCAL_ADMIN_CLAIMS), "scopes": None}
        }
    return event


def to_response(result: dict[str, Any]) -> Response:
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, status=int(result.get("statusCode", 200)))
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = value
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.add(name, value)
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", cookie)
    return response


def json_response(status: int, payload: dict[str, Any]) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


class LocalHttpApi:
    """A WSGI app: mounted apps first (the simulator), then the template's routes."""

    def __init__(
        self, functions: list[LocalFunction], admin_token: str, authorizer: JwtAuthorizer | None = None
    ) -> None:
        pools = [Containers(function) for function in functions]
        routes = [(route, pool) for pool in pools for route in pool.spec.routes]
        self.routes = sorted(routes, key=lambda pair: specificity(pair[0]))
        self.admin_token = admin_token
        self.authorizer = authorizer
        self.mounts: list[tuple[str, Callable]] = []

    def mount(self, prefix: str, app: Callable) -> None:
        """Serves a WSGI app under `prefix` (it sees the rest of the path as PATH_INFO)."""
        self.mounts.append((prefix.rstrip("/"), app))

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        path = environ.get("PATH_INFO", "")
        for prefix, app in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                environ = {**environ, "SCRIPT_NAME": prefix, "PATH_INFO": path[len(prefix) :] or "/"}
                return app(environ, start_response)
        return self.dispatch(Request(environ))(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        for route, function in self.routes:
            path_parameters = route.match(request.method, request.path)
            if path_parameters is None:
                continue
            claims = self.authorized(request) if route.authorized else None
            if route.authorized and claims is None:
                return json_response(401, {"message": "Unauthorized"})
            started = time.perf_counter()
            try:
                result = function.invoke(to_event(request, route, path_parameters, claims))
                response = to_response(result)
            except Exception:
                log.exception("%s failed on %s %s", function.name, request.method, request.path)
                response = json_response(500, {"message": "Internal Server Error"})
            log.info(
                "%s %s %s -> %s (%.0f ms)",
                function.name,
                request.method,
                request.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            return response
        return json_response(404, {"message": "Not Found"})

    def authorized(self, request: Request) -> dict[str, Any] | None:
        """The claims the handler sees, or None (401)."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), self.admin_token):
            return LOCAL_ADMIN_CLAIMS
        return self.authorizer.claims(header) if self.authorizer else None


def specificity(route: HttpRoute) -> tuple[int, int, int]:
    """API Gateway picks the most specific route: no variables before variables, a greedy
    {proxy+} last, longer paths first; an exact method before ANY."""
    return (route.path.count("+}"), route.path.count("{"), -len(route.path), route.method == "ANY")
