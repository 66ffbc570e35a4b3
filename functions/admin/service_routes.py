"""Admin API for closing the loop (issue 15): business hours of a number, rating figures, and the
LGPD export and erasure of a requester. Same conventions as admin_routes (errors, auth)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import admin_routes
from admin_routes import ADMIN_ONLY, DEFAULT_AUTHOR
from aws_lambda_powertools.event_handler.api_gateway import Router

from helpdesk.api.requests import current_event, json_value
from helpdesk.api.shapes import requester_export_json
from helpdesk.domain.hours import ZONE
from helpdesk.logic import admin, privacy
from helpdesk.logic.admin import service_quality
from helpdesk.texts.fields import field_label

router = Router()

DEFAULT_RATING_DAYS = 30


def _who() -> str:
    claims = current_event(router).request_context.authorizer.jwt_claim or {}
    return claims.get("email") or claims.get("cognito:username") or claims.get("name") or DEFAULT_AUTHOR


def _phone(raw: str) -> str:
    try:
        return privacy.valid_phone(raw)
    except privacy.UnknownPhone:
        raise admin.InvalidInput("Telefone inválido.", "phone") from None


def _date_query(name: str, default: date) -> date:
    raw = router.current_event.get_query_string_value(name, None)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise admin.InvalidInput(f"{field_label(name)}: informe uma data (AAAA-MM-DD).", name) from None


# --- business hours --------------------------------------------------------------------------


def hours_json(instance: str, hours) -> dict[str, Any]:
    now = admin_routes.services().clock()
    opening = hours.next_opening(now) if hours else None
    return {
        "instance": instance,
        "hours": hours.to_dict() if hours else None,
        "time_zone": "America/Sao_Paulo",
        "open_now": hours is None or hours.is_open(now),
        "next_opening": opening.astimezone(ZONE).isoformat() if opening else None,
    }


@router.get("/admin/instances/<name>/hours", middlewares=ADMIN_ONLY)
def get_hours(name: str):
    return hours_json(name, service_quality.get_hours(name))


@router.put("/admin/instances/<name>/hours", middlewares=ADMIN_ONLY)
def put_hours(name: str):
    return hours_json(name, service_quality.set_hours(name, json_value(router.current_event)))


@router.delete("/admin/instances/<name>/hours", middlewares=ADMIN_ONLY)
def delete_hours(name: str):
    return hours_json(name, service_quality.set_hours(name, None))


# --- ratings ---------------------------------------------------------------------------------


@router.get("/admin/ratings", middlewares=ADMIN_ONLY)
def rating_figures():
    event = router.current_event
    today = admin_routes.services().clock().astimezone(ZONE).date()
    until = _date_query("to", today)
    since = _date_query("from", until - timedelta(days=DEFAULT_RATING_DAYS - 1))
    report = service_quality.rating_report(
        instance=event.get_query_string_value("instance", None) or None,
        company=event.get_query_string_value("company", None) or None,
        since=since,
        until=until,
    )
    figures = report.figures
    return {
        "from": report.since.isoformat(),
        "to": report.until.isoformat(),
        "instance": report.instance,
        "cnpj": report.cnpj,
        "count": figures.count,
        "average": figures.average,
        "distribution": {str(value): n for value, n in figures.distribution.items()},
    }


# --- LGPD ------------------------------------------------------------------------------------


@router.get("/admin/requesters/<phone>/export", middlewares=ADMIN_ONLY)
def export_requester(phone: str):
    held = privacy.export(admin_routes.services(), _phone(phone))
    if held is None:
        raise admin.NotFound("Nenhum dado deste telefone.", "phone")
    return requester_export_json(held)


@router.get("/admin/erasures", middlewares=ADMIN_ONLY)
def list_erasures():
    return {
        "items": [
            {
                "requester_hash": record.requester_hash,
                "erased_by": record.erased_by,
                "erased_at": record.erased_at.isoformat(),
                **{
                    name: int(record.summary.get(name, 0))
                    for name in ("tickets", "actions", "files", "items")
                },
            }
            for record in privacy.erasure_log()
        ]
    }


@router.post("/admin/requesters/<phone>/erase", middlewares=ADMIN_ONLY)
def erase_requester(phone: str):
    """Irreversible: the body must repeat the phone ({"confirm": "<phone>"})."""
    normalized = _phone(phone)
    body = json_value(router.current_event) or {}
    if not isinstance(body, dict) or privacy.valid_phone_or_none(body.get("confirm")) != normalized:
        raise admin.InvalidInput("Confirme digitando o mesmo telefone: o digitado não confere.", "confirm")
    return privacy.erase(admin_routes.services(), normalized, _who())
