"""Admin API (/admin/...): parse and validate the request, call helpdesk.logic.admin, shape the JSON.

In AWS the HTTP API's Cognito JWT authorizer guards /admin/{proxy+} (locally the admin bearer
token does); every route here also requires the authorizer's claims itself (defense in depth).
Errors are JSON: {"message", "code", "field"}. The routes are documented in docs/openapi.yaml.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from helpdesk import texts
from helpdesk.api import errors
from helpdesk.api.requests import (
    bool_field,
    current_event,
    decode_cursor,
    encode_cursor,
    int_path,
    int_query,
    raw_body,
    text_field,
)
from helpdesk.api.requests import json_object as _json_object
from helpdesk.api.responses import created, no_content
from helpdesk.api.shapes import (
    action_json,
    admin_user_json,
    company_json,
    dashboard_json,
    instance_json,
    request_type_json,
    stats_json,
    ticket_detail_json,
    ticket_json,
)
from helpdesk.aws import cognito
from helpdesk.logic import admin
from helpdesk.logic.admin import agent_tickets, dashboard
from helpdesk.logic.services import Services

logger = Logger(child=True)
router = Router()

DEFAULT_STATS_DAYS = 7
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
DEFAULT_AUTHOR = "Suporte"


def services() -> Services:
    """The live services (the configured gateway, built on first use; the wall clock) for every
    route of this function (service_routes too); a test hands them its own by replacing this."""
    return Services()


# What helpdesk.logic.admin raises, as the API answers it (subclasses before their base).
ERRORS: errors.Translations = {
    admin.InvalidInput: errors.answered_as(errors.InvalidInput),
    admin.NotFound: errors.answered_as(errors.NotFound),
    admin.Conflict: errors.answered_as(errors.Conflict),
    admin.GatewayFailed: errors.answered_as(errors.GatewayFailed),
    admin.AdminError: errors.answered_as(errors.AppError),
    cognito.AdminExists: errors.answered_as(errors.Conflict),
    cognito.AdminNotFound: errors.answered_as(errors.NotFound),
    cognito.AdminDirectoryError: errors.answered_as(errors.InvalidInput),
}


def require_admin_claims(app, next_middleware) -> Response:
    """The authorizer already refused unauthenticated calls; refuse again if its claims are missing.
    Only ID tokens are admitted (API Gateway's JWT authorizer would also take an access token of
    the same client): the console sends the ID token, whose e-mail names the agent."""
    claims = current_event(app).request_context.authorizer.jwt_claim
    if not claims or claims.get("token_use", "id") != "id":
        raise errors.Unauthorized("Autenticação necessária.")
    return next_middleware(app)


ADMIN_ONLY = [require_admin_claims]


def json_object() -> dict:
    return _json_object(router.current_event)


def ticket_number(raw: str) -> int:
    return int_path(raw, errors.InvalidInput("O número do chamado deve ser numérico.", "number"))


def author_name() -> str:
    """The agent as requesters see them: the display name set in the console, else the team's
    name; never the e-mail address."""
    claims = current_event(router).request_context.authorizer.jwt_claim
    username = claims.get("cognito:username") or claims.get("sub")
    return cognito.display_name(username) or claims.get("name") or texts.SUPPORT_TEAM


# --- instances ------------------------------------------------------------------------------


@router.get("/admin/instances", middlewares=ADMIN_ONLY)
def list_instances():
    return {"items": [instance_json(i, with_qr=False) for i in admin.list_instances()]}


@router.post("/admin/instances", middlewares=ADMIN_ONLY)
def create_instance():
    body = json_object()
    instance = admin.create_instance(
        services(),
        name=text_field(body, "name", required=True),
        agent_type=text_field(body, "agent_type") or admin.AgentType.BOT.value,
        api_key=text_field(body, "api_key"),
    )
    return created({**instance_json(instance), "warning": admin.BOT_NUMBER_WARNING})


@router.get("/admin/instances/<name>", middlewares=ADMIN_ONLY)
def get_instance(name: str):
    return instance_json(admin.get_instance(name))


@router.delete("/admin/instances/<name>", middlewares=ADMIN_ONLY)
def delete_instance(name: str):
    admin.delete_instance(services(), name)
    return no_content()


@router.post("/admin/instances/<name>/connect", middlewares=ADMIN_ONLY)
def connect_instance(name: str):
    return instance_json(admin.connect_instance(services(), name))


@router.get("/admin/instances/<name>/stats", middlewares=ADMIN_ONLY)
def instance_stats(name: str):
    days = int_query(router.current_event, "days", DEFAULT_STATS_DAYS, 1, admin.MAX_STATS_DAYS)
    return stats_json(admin.instance_stats(services(), name, days), days)


# --- companies ------------------------------------------------------------------------------


@router.get("/admin/companies", middlewares=ADMIN_ONLY)
def list_companies():
    return {"items": [company_json(c) for c in admin.list_companies()]}


@router.post("/admin/companies", middlewares=ADMIN_ONLY)
def create_company():
    body = json_object()
    active = bool_field(body, "active")
    company = admin.create_company(
        services(),
        cnpj=text_field(body, "cnpj", required=True),
        name=text_field(body, "name", required=True),
        active=True if active is None else active,
    )
    return created(company_json(company))


@router.patch("/admin/companies/<cnpj>", middlewares=ADMIN_ONLY)
def update_company(cnpj: str):
    body = json_object()
    company = admin.update_company(cnpj, name=text_field(body, "name"), active=bool_field(body, "active"))
    return company_json(company)


@router.get("/admin/companies/<cnpj>/impact", middlewares=ADMIN_ONLY)
def company_impact(cnpj: str):
    impact = admin.company_impact(cnpj)
    return {"requesters": impact.requesters, "tickets": impact.tickets, "open_tickets": impact.open_tickets}


@router.delete("/admin/companies/<cnpj>", middlewares=ADMIN_ONLY)
def delete_company(cnpj: str):
    """Only with `confirm` (the CNPJ typed again) and no open ticket: otherwise deactivate it."""
    admin.delete_company(cnpj, router.current_event.get_query_string_value("confirm", None))
    return no_content()


# --- request types --------------------------------------------------------------------------


@router.get("/admin/request-types", middlewares=ADMIN_ONLY)
def list_request_types():
    return {"items": [request_type_json(t) for t in admin.list_request_types()]}


@router.post("/admin/request-types", middlewares=ADMIN_ONLY)
def create_request_type():
    body = json_object()
    whatsapp = bool_field(body, "whatsapp", required=True)
    active = bool_field(body, "active")
    request_type = admin.create_request_type(
        name=text_field(body, "name", required=True),
        kind=text_field(body, "kind", required=True),
        whatsapp=whatsapp,
        active=True if active is None else active,
    )
    return created(request_type_json(request_type))


@router.patch("/admin/request-types/<type_id>", middlewares=ADMIN_ONLY)
def update_request_type(type_id: str):
    body = json_object()
    changes = admin.RequestTypeChanges(
        name=text_field(body, "name"),
        kind=text_field(body, "kind"),
        whatsapp=bool_field(body, "whatsapp"),
        active=bool_field(body, "active"),
    )
    request_type = admin.update_request_type(type_id, changes)
    return request_type_json(request_type)


@router.delete("/admin/request-types/<type_id>", middlewares=ADMIN_ONLY)
def delete_request_type(type_id: str):
    admin.delete_request_type(type_id)
    return no_content()


# --- tickets --------------------------------------------------------------------------------


@router.get("/admin/tickets", middlewares=ADMIN_ONLY)
def list_tickets():
    query = router.current_event.get_query_string_value
    page = admin.list_tickets(
        admin.TicketFilters(
            company=query("company", None), status=query("status", None), phone=query("phone", None)
        ),
        limit=int_query(router.current_event, "limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        start_key=decode_cursor(query("cursor", None)),
    )
    return {"items": [ticket_json(t) for t in page.tickets], "next_cursor": encode_cursor(page.last_key)}


@router.get("/admin/tickets/<number>", middlewares=ADMIN_ONLY)
def get_ticket(number: str):
    found = admin.get_ticket(ticket_number(number))
    return ticket_detail_json(found)


@router.post("/admin/tickets/<number>/actions", middlewares=ADMIN_ONLY)
def post_ticket_action(number: str):
    """An answer: text and/or files (`attachments`: [{filename, mimetype, upload_id}] for files sent
    through /admin/uploads, or [{filename, mimetype, content (base64)}] for small ones), optionally
    with a new `status`."""
    body = json_object()
    visible = bool_field(body, "visible_to_requester")
    action = agent_tickets.answer(
        services(),
        ticket_number(number),
        author_name=text_field(body, "author_name") or author_name(),
        text=text_field(body, "text"),
        files=agent_tickets.parse_files(body.get("attachments")),
        status=text_field(body, "status") or None,
        visible_to_requester=True if visible is None else visible,
        action_id=text_field(body, "action_id"),
    )
    return created(action_json(action))


@router.post("/admin/uploads", middlewares=ADMIN_ONLY)
def start_upload():
    """A file for an answer, larger than one request carries: checked here ({filename, mimetype,
    size}), then sent in parts, then named in the answer's attachments as {upload_id, ...}."""
    body = json_object()
    upload = agent_tickets.start_upload(body.get("filename"), body.get("mimetype"), body.get("size"))
    return created({"upload_id": upload.upload_id, "part_bytes": upload.part_bytes, "parts": upload.parts})


@router.put("/admin/uploads/<upload_id>/parts/<part>", middlewares=ADMIN_ONLY)
def store_upload_part(upload_id: str, part: str):
    """One part: the raw bytes (application/octet-stream), parts numbered from 0."""
    number = int_path(part, errors.InvalidInput("O número da parte deve ser numérico.", "part"))
    agent_tickets.store_part(upload_id, number, raw_body(router.current_event))
    return no_content()


@router.post("/admin/tickets/<number>/status", middlewares=ADMIN_ONLY)
def change_ticket_status(number: str):
    body = json_object()
    action = admin.post_agent_action(
        services(),
        ticket_number(number),
        author_name=text_field(body, "author_name") or author_name(),
        text=text_field(body, "text"),
        status=text_field(body, "status", required=True),
        action_id=text_field(body, "action_id"),
    )
    return created(action_json(action))


@router.get("/admin/ticket-search", middlewares=ADMIN_ONLY)
def search_tickets():
    found = agent_tickets.search(router.current_event.get_query_string_value("q", ""))
    return {"items": [ticket_json(t) for t in found]}


# --- dashboard ------------------------------------------------------------------------------


@router.get("/admin/dashboard", middlewares=ADMIN_ONLY)
def get_dashboard():
    raw = router.current_event.get_query_string_value("days", str(dashboard.PERIODS[0]))
    return dashboard_json(dashboard.build(services(), int(raw) if raw.isdigit() else 0))


# --- admins (the Cognito user pool's users) -------------------------------------------------


@router.get("/admin/admins", middlewares=ADMIN_ONLY)
def list_admins():
    return {"items": [admin_user_json(a) for a in cognito.list_admins()]}


@router.post("/admin/admins", middlewares=ADMIN_ONLY)
def invite_admin():
    invited = cognito.invite(text_field(json_object(), "email", required=True))
    logger.info("admin invited", extra={"admin": invited.username})
    return created(admin_user_json(invited))


@router.patch("/admin/admins/<username>", middlewares=ADMIN_ONLY)
def update_admin(username: str):
    """`enabled` and/or `name` (the display name requesters see on the admin's answers)."""
    body = json_object()
    enabled, name = bool_field(body, "enabled"), text_field(body, "name")
    if enabled is None and name is None:
        raise errors.InvalidInput("Informe o nome exibido ou se o administrador fica ativo.", "enabled")
    if name is not None:
        cognito.set_display_name(username, admin.required_text(name, "name") if name.strip() else "")
    if enabled is None:
        return no_content()
    claims = current_event(router).request_context.authorizer.jwt_claim
    if not enabled and username in (claims.get("cognito:username"), claims.get("sub")):
        raise errors.Conflict("Você não pode desativar a si mesmo.", "username")
    cognito.set_enabled(username, enabled)
    logger.info("admin enabled" if enabled else "admin disabled", extra={"admin": username})
    return no_content()
