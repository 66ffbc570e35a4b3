"""The requester portal: its static page and its JSON API under /portal (no API authorizer: a
signed session cookie, see helpdesk.logic.portal). State-changing calls also need the
X-Requested-With header (CSRF), besides the SameSite=Strict cookie."""

from __future__ import annotations

import json
from pathlib import Path

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from helpdesk.logic import portal

logger = Logger(child=True)
router = Router()

SITE = Path(__file__).resolve().parent / "static"
ASSETS = {"portal.js": "text/javascript; charset=utf-8", "portal.css": "text/css; charset=utf-8"}
COOKIE = "portal_session"
CSRF_HEADER = "x-requested-with"
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
INSECURE_HOSTS = ("127.0.0.1", "localhost")


# --- the page -------------------------------------------------------------------------------------


def _static(name: str, content_type: str) -> Response:
    return Response(
        200,
        content_type,
        (SITE / name).read_text(encoding="utf-8"),
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache", "Content-Security-Policy": PAGE_CSP},
    )


@router.get("/portal")
@router.get("/portal/")
def page() -> Response:
    return _static("index.html", "text/html; charset=utf-8")


@router.get("/portal/assets/<name>")
def asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFoundError("Não encontrado.")
    return _static(name, ASSETS[name])


# --- the API --------------------------------------------------------------------------------------


def _json(
    status: int, payload: dict, cookies: list[Cookie] | None = None, headers: dict | None = None
) -> Response:
    return Response(
        status,
        content_types.APPLICATION_JSON,
        json.dumps(payload, ensure_ascii=False),
        headers={**SECURITY_HEADERS, **(headers or {})},
        cookies=cookies,
    )


def _secure_cookie() -> bool:
    host = (router.current_event.request_context.domain_name or "").rsplit(":", 1)[0].strip("[]")
    return host not in INSECURE_HOSTS


def _session_cookie(value: str, max_age: int) -> Cookie:
    return Cookie(
        COOKIE,
        value,
        path="/portal",
        secure=_secure_cookie(),
        http_only=True,
        max_age=max_age,
        same_site=SameSite.STRICT_MODE,
    )


def _require_csrf_header() -> None:
    if not router.current_event.headers.get(CSRF_HEADER):
        raise ForbiddenError("Requisição recusada.")


def _body() -> dict:
    try:
        body = router.current_event.json_body
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequestError("Corpo da requisição inválido.") from error
    if not isinstance(body, dict):
        raise BadRequestError("Corpo da requisição inválido.")
    return body


def _phone() -> str:
    """The session's phone; 401 without a valid, current session."""
    try:
        requester = portal.authenticate(router.current_event.resolved_cookies_field.get(COOKIE))
    except portal.PortalUnavailable as error:
        raise ServiceUnavailableError("Portal indisponível.") from error
    if requester is None:
        raise UnauthorizedError("Sessão expirada. Entre novamente.")
    return requester.phone


def _number(number: str) -> int:
    if not number.isdigit() or len(number) > 10:
        raise NotFoundError("Atendimento não encontrado.")
    return int(number)


@router.post("/portal/api/login")
def login() -> Response:
    _require_csrf_header()
    body = _body()
    user, password = body.get("user"), body.get("password")
    if not isinstance(user, str) or not isinstance(password, str):
        raise BadRequestError("Informe usuário e senha.")
    try:
        result = portal.login(user, password)
    except portal.Locked as locked:
        return _json(
            429,
            {"message": "Muitas tentativas. Tente novamente mais tarde.", "retry_after": locked.retry_after},
            headers={"Retry-After": str(locked.retry_after)},
        )
    except portal.InvalidCredentials:
        return _json(401, {"message": "Usuário ou senha inválidos."})
    except portal.PortalUnavailable as error:
        raise ServiceUnavailableError("Portal indisponível.") from error
    return _json(
        200,
        {"name": result.name, "expires_at": result.session.expires_at},
        cookies=[_session_cookie(result.token, portal.SESSION_SECONDS)],
    )


@router.post("/portal/api/logout")
def logout() -> Response:
    _require_csrf_header()
    return _json(200, {"ok": True}, cookies=[_session_cookie("", 0)])


@router.get("/portal/api/tickets")
def tickets() -> Response:
    return _json(200, portal.list_tickets(_phone()))


@router.get("/portal/api/tickets/<number>")
def ticket(number: str) -> Response:
    phone = _phone()
    try:
        return _json(200, portal.ticket_view(phone, _number(number)))
    except portal.NotFound as error:
        raise NotFoundError("Atendimento não encontrado.") from error


@router.post("/portal/api/tickets/<number>/actions")
def post_action(number: str) -> Response:
    _require_csrf_header()
    phone = _phone()
    body = _body()
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        raise BadRequestError("Mensagem inválida.")
    try:
        files = portal.parse_files(body.get("attachments"))
        action = portal.post_action(phone, _number(number), text, files)
    except portal.NotFound as error:
        raise NotFoundError("Atendimento não encontrado.") from error
    except portal.InvalidAction as error:
        raise BadRequestError(str(error)) from error
    return _json(201, action)
