"""Admin API (/admin/...): parse and validate the request, call helpdesk.logic.admin, shape the JSON.

In AWS the HTTP API's Cognito JWT authorizer guards /admin/{proxy+} (locally the admin bearer
token does); every route here also requires the authorizer's claims itself (defense in depth).
Errors are JSON: {"message", "code", "field"}. The routes are documented in docs/openapi.yaml.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router

from helpdesk import gateways, qr
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.logic import admin
from helpdesk.logic.ticket_actions import action_json
from helpdesk.storage.models import Company, Instance, RequestType, Ticket

router = Router()

DEFAULT_STATS_DAYS = 7
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
DEFAULT_AUTHOR = "Suporte"


class MalformedRequest(admin.AdminError):
    code = "malformed"


ERROR_STATUS = {
    MalformedRequest: HTTPStatus.BAD_REQUEST,
    admin.InvalidInput: HTTPStatus.UNPROCESSABLE_ENTITY,
    admin.NotFound: HTTPStatus.NOT_FOUND,
    admin.Conflict: HTTPStatus.CONFLICT,
    admin.GatewayFailed: HTTPStatus.BAD_GATEWAY,
}


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    return Response(
        status_code=int(status),
        content_type=content_types.APPLICATION_JSON,
        body={"message": message, "code": code, "field": field},
    )


@router.exception_handler(admin.AdminError)
def admin_error(error: admin.AdminError) -> Response:
    status = ERROR_STATUS.get(type(error), HTTPStatus.BAD_REQUEST)
    return error_response(status, error.code, error.message, error.field)


def require_admin_claims(app, next_middleware) -> Response:
    """The authorizer already refused unauthenticated calls; refuse again if its claims are missing."""
    if not app.current_event.request_context.authorizer.jwt_claim:
        return error_response(HTTPStatus.UNAUTHORIZED, "unauthorized", "Autenticação necessária.")
    return next_middleware(app)


ADMIN_ONLY = [require_admin_claims]


# --- request parsing ------------------------------------------------------------------------


def json_object() -> dict[str, Any]:
    try:
        body = router.current_event.json_body
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("O corpo da requisição não é JSON válido.", "body") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise MalformedRequest("O corpo da requisição deve ser um objeto JSON.", "body")
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise admin.InvalidInput(f"O campo '{name}' é obrigatório.", name)
        return None
    if not isinstance(value, str):
        raise admin.InvalidInput(f"O campo '{name}' deve ser texto.", name)
    return value


def bool_field(body: dict[str, Any], name: str) -> bool | None:
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise admin.InvalidInput(f"O campo '{name}' deve ser true ou false.", name)
    return value


def int_query(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = router.current_event.get_query_string_value(name, None)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise admin.InvalidInput(f"'{name}' deve ser um número entre {minimum} e {maximum}.", name)
    return int(raw)


def ticket_number(raw: str) -> int:
    if not raw.isdigit():
        raise admin.InvalidInput("O número do chamado deve ser numérico.", "number")
    return int(raw)


def encode_cursor(last_key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(last_key).encode()).decode() if last_key else None


def decode_cursor(raw: str | None) -> dict | None:
    if not raw:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (binascii.Error, ValueError):
        key = None
    names = {"pk", "sk", "gsi2pk", "gsi2sk"}
    if not (
        isinstance(key, dict)
        and set(key) == names
        and all(isinstance(v, dict) and isinstance(v.get("S"), str) for v in key.values())
    ):
        raise admin.InvalidInput("Cursor inválido.", "cursor")
    return key


def author_name() -> str:
    claims = router.current_event.request_context.authorizer.jwt_claim
    return claims.get("name") or claims.get("email") or claims.get("cognito:username") or DEFAULT_AUTHOR


# --- response shapes ------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def qr_json(code: str) -> dict[str, str]:
    rendered = qr.render(code)
    return {"code": code, "png": rendered.png_data_uri, "svg": rendered.svg}


def instance_json(instance: Instance, *, with_qr: bool = True) -> dict[str, Any]:
    data = {
        "name": instance.name,
        "agent_type": instance.agent_type,
        "gateway": instance.gateway,
        "state": instance.state,
        "has_api_key": bool(instance.api_key_hash),
        "pairing_code": instance.pairing_code if instance.state != "open" else None,
        "created_at": iso(instance.created_at),
        "updated_at": iso(instance.updated_at),
    }
    if with_qr:
        showing_qr = instance.qr_code and instance.state != "open"
        data["qr"] = qr_json(instance.qr_code) if showing_qr else None
    return data


def counts_json(counts: admin.Counts) -> dict[str, int]:
    return {
        "received": counts.received,
        "sent": counts.sent,
        "conversations": counts.conversations,
        "tickets": counts.tickets,
    }


def company_json(company: Company) -> dict[str, Any]:
    return {
        "cnpj": company.cnpj,
        "cnpj_formatted": format_cnpj(company.cnpj),
        "name": company.name,
        "active": bool(company.active),
        "created_at": iso(company.created_at),
    }


def request_type_json(request_type: RequestType) -> dict[str, Any]:
    return {
        "id": request_type.type_id,
        "name": request_type.name,
        "kind": request_type.kind,
        "whatsapp": bool(request_type.whatsapp),
        "active": bool(request_type.active),
        "reaches_whatsapp": admin.reaches_whatsapp(request_type),
    }


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    last = ticket.last_action
    return {
        "number": int(ticket.number),
        "title": ticket.title,
        "status": ticket.status,
        "request_type": ticket.request_type_name,
        "cnpj": ticket.cnpj,
        "cnpj_formatted": format_cnpj(ticket.cnpj),
        "company_name": ticket.company_name,
        "requester_phone": ticket.requester_phone,
        "requester_name": ticket.requester_name,
        "instance": ticket.instance,
        "source": ticket.source,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "last_action": {
            "author_kind": last.author_kind,
            "author_name": last.author_name,
            "created_at": iso(last.created_at),
            "text": last.text,
        }
        if last
        else None,
    }


def created(body: dict[str, Any]) -> Response:
    return Response(
        status_code=HTTPStatus.CREATED.value, content_type=content_types.APPLICATION_JSON, body=body
    )


def no_content() -> Response:
    return Response(status_code=HTTPStatus.NO_CONTENT.value, body="")


# --- instances ------------------------------------------------------------------------------


@router.get("/admin/instances", middlewares=ADMIN_ONLY)
def list_instances():
    return {"items": [instance_json(i, with_qr=False) for i in admin.list_instances()]}


@router.post("/admin/instances", middlewares=ADMIN_ONLY)
def create_instance():
    body = json_object()
    instance = admin.create_instance(
        gateways.build_gateway(),
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
    admin.delete_instance(gateways.build_gateway(), name)
    return no_content()


@router.post("/admin/instances/<name>/connect", middlewares=ADMIN_ONLY)
def connect_instance(name: str):
    return instance_json(admin.connect_instance(gateways.build_gateway(), name))


@router.get("/admin/instances/<name>/stats", middlewares=ADMIN_ONLY)
def instance_stats(name: str):
    days = int_query("days", DEFAULT_STATS_DAYS, 1, admin.MAX_STATS_DAYS)
    stats = admin.instance_stats(name, days)
    return {
        "instance": stats.instance,
        "days": days,
        "total": counts_json(stats.total),
        "per_day": [{"day": day, **counts_json(counts)} for day, counts in stats.days],
    }


# --- companies ------------------------------------------------------------------------------


@router.get("/admin/companies", middlewares=ADMIN_ONLY)
def list_companies():
    return {"items": [company_json(c) for c in admin.list_companies()]}


@router.post("/admin/companies", middlewares=ADMIN_ONLY)
def create_company():
    body = json_object()
    active = bool_field(body, "active")
    company = admin.create_company(
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


@router.delete("/admin/companies/<cnpj>", middlewares=ADMIN_ONLY)
def delete_company(cnpj: str):
    admin.delete_company(cnpj)
    return no_content()


# --- request types --------------------------------------------------------------------------


@router.get("/admin/request-types", middlewares=ADMIN_ONLY)
def list_request_types():
    return {"items": [request_type_json(t) for t in admin.list_request_types()]}


@router.post("/admin/request-types", middlewares=ADMIN_ONLY)
def create_request_type():
    body = json_object()
    whatsapp = bool_field(body, "whatsapp")
    if whatsapp is None:
        raise admin.InvalidInput("O campo 'whatsapp' é obrigatório.", "whatsapp")
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
    request_type = admin.update_request_type(
        type_id,
        name=text_field(body, "name"),
        kind=text_field(body, "kind"),
        whatsapp=bool_field(body, "whatsapp"),
        active=bool_field(body, "active"),
    )
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
        limit=int_query("limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        start_key=decode_cursor(query("cursor", None)),
    )
    return {"items": [ticket_json(t) for t in page.tickets], "next_cursor": encode_cursor(page.last_key)}


@router.get("/admin/tickets/<number>", middlewares=ADMIN_ONLY)
def get_ticket(number: str):
    found = admin.get_ticket(ticket_number(number))
    return {
        **ticket_json(found.ticket),
        "description": found.ticket.description,
        "actions": [action_json(a) for a in found.actions],
    }


@router.post("/admin/tickets/<number>/actions", middlewares=ADMIN_ONLY)
def post_ticket_action(number: str):
    body = json_object()
    visible = bool_field(body, "visible_to_requester")
    action = admin.post_agent_action(
        ticket_number(number),
        author_name=text_field(body, "author_name") or author_name(),
        text=text_field(body, "text", required=True),
        visible_to_requester=True if visible is None else visible,
        action_id=text_field(body, "action_id"),
    )
    return created(action_json(action))


@router.post("/admin/tickets/<number>/status", middlewares=ADMIN_ONLY)
def change_ticket_status(number: str):
    body = json_object()
    action = admin.post_agent_action(
        ticket_number(number),
        author_name=text_field(body, "author_name") or author_name(),
        text=text_field(body, "text"),
        status=text_field(body, "status", required=True),
        action_id=text_field(body, "action_id"),
    )
    return created(action_json(action))
