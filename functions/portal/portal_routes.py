"""The requester portal: its static page and its JSON API under /portal (no API authorizer: a
signed session cookie, see helpdesk.logic.portal). State-changing calls also need the
X-Requested-With header (CSRF), besides the SameSite=Strict cookie."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

from aws_lambda_powertools import Logger
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from helpdesk import texts
from helpdesk.api import errors
from helpdesk.api.http import Response, Router
from helpdesk.api.requests import current_event, int_path, json_object
from helpdesk.api.responses import PAGE_CSP, StaticSite, json_response
from helpdesk.api.shapes import (
    action_json,
    portal_new_ticket_json,
    portal_ticket_view_json,
    portal_tickets_json,
)
from helpdesk.aws import s3
from helpdesk.logic import portal
from helpdesk.logic.services import Services

logger = Logger(child=True)
router = Router()

STATIC = Path(__file__).resolve().parent / "static"


def content_security_policy() -> str:
    """The page's CSP, with images and audio also from the media bucket (attachments shown as
    thumbnails, voice notes played)."""
    origin = s3.url_origin()
    return PAGE_CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}; media-src {origin}")


StaticSite(STATIC / "index.html", STATIC, csp=content_security_policy).serve_at(router, "/portal")
COOKIE = "portal_session"
CSRF_HEADER = "x-requested-with"
INSECURE_HOSTS = ("127.0.0.1", "localhost")


def services() -> Services:
    """The live services (the wall clock, the gateway built on first use); a test hands its own by
    replacing this."""
    return Services()


def refused(message: str) -> errors.AppError:
    """A request the page should not have sent: 400 with a message to show."""
    return errors.AppError(message, status=HTTPStatus.BAD_REQUEST, code="invalid")


def _locked(error: portal.Locked) -> errors.AppError:
    return errors.TooManyRequests(
        texts.portal_locked(error.until),
        headers={"Retry-After": str(error.retry_after)},
        retry_after=error.retry_after,
        locked_until=error.until.isoformat(),
    )


# What helpdesk.logic.portal raises, as the page reads it (a pt-BR message to show).
ERRORS: errors.Translations = {
    portal.Locked: _locked,
    portal.InvalidCredentials: lambda error: errors.Unauthorized(
        texts.LAST_TRY if error.last_try else texts.INVALID_LOGIN
    ),
    portal.PortalUnavailable: lambda _: errors.Unavailable("Portal indisponível."),
    portal.NotFound: lambda _: errors.NotFound("Atendimento não encontrado."),
    portal.InvalidAction: lambda error: refused(str(error)),
}


# --- the API --------------------------------------------------------------------------------------


def _secure_cookie() -> bool:
    host = (current_event(router).request_context.domain_name or "").rsplit(":", 1)[0].strip("[]")
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
        raise errors.Forbidden("Requisição recusada.")


def _phone() -> str:
    """The session's phone; 401 without a valid, current session."""
    requester = portal.authenticate(services(), router.current_event.resolved_cookies_field.get(COOKIE))
    if requester is None:
        raise errors.Unauthorized("Sessão expirada. Entre novamente.")
    return requester.phone


def _number(number: str) -> int:
    # Deliberately the answer of a ticket that is not the requester's: nothing to probe.
    return int_path(number, errors.NotFound("Atendimento não encontrado."))


@router.post("/portal/api/login")
def login() -> Response:
    _require_csrf_header()
    body = json_object(router.current_event, optional=False)
    user, password = body.get("user"), body.get("password")
    if not isinstance(user, str) or not isinstance(password, str):
        raise refused("Informe usuário e senha.")
    result = portal.login(services(), user, password)
    return json_response(
        200,
        {"name": result.name, "expires_at": result.session.expires_at},
        cookies=[_session_cookie(result.token, portal.SESSION_SECONDS)],
    )


@router.post("/portal/api/logout")
def logout() -> Response:
    _require_csrf_header()
    return json_response(200, {"ok": True}, cookies=[_session_cookie("", 0)])


@router.get("/portal/api/tickets")
def tickets() -> Response:
    return json_response(200, portal_tickets_json(portal.list_tickets(_phone())))


@router.get("/portal/api/new-ticket")
def new_ticket_form() -> Response:
    return json_response(200, portal_new_ticket_json(portal.new_ticket_choices(_phone())))


@router.post("/portal/api/tickets")
def open_ticket() -> Response:
    """A new ticket, as the bot opens one: {cnpj, title, request_type_id (null: "Outro"),
    description, attachments}."""
    _require_csrf_header()
    phone = _phone()
    body = json_object(router.current_event, optional=False)
    fields = {name: body.get(name) for name in ("cnpj", "title", "request_type_id", "description")}
    if not all(value is None or isinstance(value, str) for value in fields.values()):
        raise refused("Preencha o assunto, o tipo e a descrição como texto.")
    cnpj = fields["cnpj"] or ""
    ticket = portal.open_ticket(
        services(),
        phone,
        cnpj=cnpj,
        title=fields["title"] or "",
        type_id=fields["request_type_id"],
        description=fields["description"] or "",
        files=portal.parse_files(body.get("attachments")),
        offered=portal.offered_from(body.get("offered_articles"), cnpj),
    )
    return json_response(201, {"number": int(ticket.number), "status": ticket.status})


@router.get("/portal/api/articles")
def suggested_articles() -> Response:
    """Knowledge-base suggestions for the new-ticket form: ?cnpj=&type=&q= (at most three)."""
    query = router.current_event.get_query_string_value
    found = portal.suggest(_phone(), query("cnpj", "") or "", query("type", None), query("q", "") or "")
    items = [{"id": a.id, "title": a.title, "body": a.body} for a in found]
    return json_response(200, {"items": items})


@router.post("/portal/api/articles/resolved")
def article_resolved() -> Response:
    """ "Isso resolveu?" yes: {cnpj, offered_articles: [{id, opened}]}; no ticket, a deflection."""
    _require_csrf_header()
    phone = _phone()
    body = json_object(router.current_event, optional=False)
    cnpj = body.get("cnpj")
    if not isinstance(cnpj, str):
        raise refused("Escolha a empresa.")
    return json_response(
        201, {"recorded": portal.resolved(services(), phone, cnpj, body.get("offered_articles"))}
    )


@router.get("/portal/api/tickets/<number>")
def ticket(number: str) -> Response:
    phone = _phone()
    return json_response(200, portal_ticket_view_json(portal.ticket_view(phone, _number(number))))


@router.post("/portal/api/tickets/<number>/actions")
def post_action(number: str) -> Response:
    _require_csrf_header()
    phone = _phone()
    body = json_object(router.current_event, optional=False)
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        raise refused("Mensagem inválida.")
    files = portal.parse_files(body.get("attachments"))
    return json_response(
        201, action_json(portal.post_action(services(), phone, _number(number), text, files))
    )
