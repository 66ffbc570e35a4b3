"""The JSON of what the APIs show (docs/openapi.yaml documents the admin's): one function per
thing, shared by every audience that shows it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from helpdesk import qr
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.logic import admin

if TYPE_CHECKING:
    from helpdesk.storage.models import Company, Instance, RequestType, Ticket


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def qr_json(code: str) -> dict[str, str]:
    rendered = qr.render(code)
    return {"code": code, "png": rendered.png_data_uri, "svg": rendered.svg}


def instance_json(instance: Instance, *, with_qr: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": instance.name,
        "agent_type": instance.agent_type,
        "gateway": instance.gateway,
        "state": instance.state,
        "has_api_key": bool(instance.api_key_hash),
        "pairing_code": instance.pairing_code if instance.state != "open" else None,
        "created_at": iso(instance.created_at),
        "updated_at": iso(instance.updated_at),
        # Since when the gateway reports the number down (close/refused), and its reason code.
        "disconnected_at": iso(instance.disconnected_at),
        "disconnect_reason": int(instance.disconnect_reason)
        if instance.disconnect_reason is not None
        else None,
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


def stats_json(stats: admin.InstanceStats, days: int) -> dict[str, Any]:
    return {
        "instance": stats.instance,
        "days": days,
        "total": counts_json(stats.total),
        "per_day": [{"day": day, **counts_json(counts)} for day, counts in stats.days],
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
    """A ticket as the admin sees it in a listing."""
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
        "opened_out_of_hours": bool(ticket.opened_out_of_hours),
        "reopened_count": int(ticket.reopened_count or 0),
        "rating": int(ticket.rating) if ticket.rating is not None else None,
        "rating_comment": ticket.rating_comment,
        "rated_at": iso(ticket.rated_at),
        "last_action": {
            "author_kind": last.author_kind,
            "author_name": last.author_name,
            "created_at": iso(last.created_at),
            "text": last.text,
        }
        if last
        else None,
    }
