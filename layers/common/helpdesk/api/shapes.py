"""The JSON of what the APIs show (docs/openapi.yaml documents the admin's): one function per
thing, shared by every audience that shows it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from helpdesk import qr, texts
from helpdesk.aws import s3
from helpdesk.config import settings
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.domain.phone import is_bsuid

if TYPE_CHECKING:
    from helpdesk.aws import cognito
    from helpdesk.logic import portal, privacy
    from helpdesk.logic.admin import dashboard
    from helpdesk.logic.admin.stats import Counts, InstanceStats
    from helpdesk.logic.admin.tickets import TicketWithActions
    from helpdesk.storage.catalog import Company, Instance, RequestType
    from helpdesk.storage.tickets import Action, Ticket


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


def counts_json(counts: Counts) -> dict[str, int]:
    return {
        "received": counts.received,
        "sent": counts.sent,
        "conversations": counts.conversations,
        "tickets": counts.tickets,
        "failed": counts.failed,
    }


def stats_json(stats: InstanceStats, days: int) -> dict[str, Any]:
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
    # Imported here: the portal and ERP functions load this module but never the admin's logic.
    from helpdesk.logic.admin.request_types import reaches_whatsapp

    return {
        "id": request_type.type_id,
        "name": request_type.name,
        "kind": request_type.kind,
        "whatsapp": bool(request_type.whatsapp),
        "active": bool(request_type.active),
        "reaches_whatsapp": reaches_whatsapp(request_type),
    }


def _ticket_heading(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": int(ticket.number),
        "title": ticket.title,
        "status": ticket.status,
        "request_type": ticket.request_type_name,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
    }


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """A ticket as the admin sees it in a listing."""
    last = ticket.last_action
    return {
        **_ticket_heading(ticket),
        "cnpj": ticket.cnpj,
        "cnpj_formatted": format_cnpj(ticket.cnpj),
        "company_name": ticket.company_name,
        # A requester the Cloud API shows no phone for is known by BSUID: no phone, the BSUID apart.
        "requester_phone": None if is_bsuid(ticket.requester_phone) else ticket.requester_phone,
        "requester_bsuid": ticket.requester_phone if is_bsuid(ticket.requester_phone) else None,
        "requester_name": ticket.requester_name,
        "instance": ticket.instance,
        "source": ticket.source,
        "opened_out_of_hours": bool(ticket.opened_out_of_hours),
        "reopened_count": int(ticket.reopened_count or 0),
        "rating": int(ticket.rating) if ticket.rating is not None else None,
        "rating_comment": ticket.rating_comment,
        "rated_at": iso(ticket.rated_at),
        # Knowledge-base articles offered before it opened, and whether the requester read each.
        "offered_articles": list(ticket.offered_articles or []),
        "last_action": {
            "author_kind": last.author_kind,
            "author_name": last.author_name,
            "created_at": iso(last.created_at),
            "text": last.text,
        }
        if last
        else None,
    }


def ticket_detail_json(found: TicketWithActions) -> dict[str, Any]:
    """A ticket as the admin opens it: every action, internal notes too, oldest first; the
    requester's WhatsApp username and BSUID when WhatsApp showed them."""
    ticket, actions = found.ticket, found.actions
    heading = ticket_json(ticket)
    return {
        **heading,
        "requester_bsuid": heading["requester_bsuid"] or found.requester_bsuid,
        "requester_whatsapp_username": found.requester_username,
        "description": ticket.description,
        "actions": [action_json(a) for a in actions],
    }


def dashboard_json(board: dashboard.Dashboard) -> dict[str, Any]:
    return {
        "days": board.days,
        "totals": board.totals,
        "per_day": board.per_day,
        "instances": [
            {
                "name": i.name,
                "state": i.state,
                "disconnected_at": iso(i.disconnected_at),
                "totals": i.totals,
                "per_day": i.days,
            }
            for i in board.instances
        ],
        "disconnected": board.disconnected,
        "open_by_status": board.open_by_status,
    }


def admin_user_json(user: cognito.Admin) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "enabled": user.enabled,
        "status": user.status,
        "created_at": iso(user.created_at),
        "name": user.name,
    }


def action_json(action: Action) -> dict[str, Any]:
    """An action as the admin and the portal show it, files as short-lived download links."""
    return {
        "id": action.action_id,
        "kind": action.kind,
        "author_kind": action.author_kind,
        "author_name": action.author_name,
        "text": action.text,
        "status": action.status,
        "source": action.source,
        "visible_to_requester": bool(action.visible_to_requester),
        "created_at": action.created_at.isoformat(),
        # For an agent's action: how far its WhatsApp notification got (sent/delivered/read/failed).
        "delivery": ({"status": action.delivery, "at": iso(action.delivery_at)} if action.delivery else None),
        # The requester deleted the WhatsApp message for everyone (the content stays for agents),
        # or reacted to the notification of this answer.
        "deleted_by_requester_at": iso(action.deleted_at),
        "reaction": {"emoji": action.reaction, "at": iso(action.reacted_at)} if action.reaction else None,
        "attachments": [
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "kind": a.kind,
                "size": int(a.size),
                "url": s3.presigned_url(a.key, a.filename),
                # An audio's: pending | done (with its transcript) | unavailable; None otherwise.
                "transcript_status": a.transcript_status,
                "transcript": a.transcript,
                "seconds": int(a.seconds) if a.seconds is not None else None,  # an audio's length
            }
            for a in action.attachments or []
        ],
    }


# --- the portal: what a requester sees of their own tickets (no agent names in the listing) ------


def portal_ticket_json(ticket: Ticket) -> dict[str, Any]:
    last = ticket.last_action
    return {
        **_ticket_heading(ticket),
        "last_action": {"author_kind": last.author_kind, "created_at": iso(last.created_at)}
        if last
        else None,
    }


def portal_tickets_json(found: portal.RequesterTickets) -> dict[str, Any]:
    return {
        "requester": {"name": found.name, "username": found.username},
        "companies": [
            {
                "cnpj": c.cnpj,
                "name": c.name,
                "served": c.served,
                "tickets": [portal_ticket_json(t) for t in c.tickets],
            }
            for c in found.companies
        ],
    }


def portal_new_ticket_json(choices: portal.NewTicketChoices) -> dict[str, Any]:
    """What the portal's new-ticket form offers: the bot's types, then "Outro" (no id)."""
    return {
        "companies": [{"cnpj": cnpj, "name": name} for cnpj, name in choices.companies],
        "not_served": list(choices.not_served),
        "request_types": [{"id": kind.id, "name": kind.name} for kind in choices.request_types],
        "max_subject_length": choices.max_subject,
        "max_description_length": choices.max_description,
        "max_files": choices.max_files,
        "max_upload_bytes": choices.max_upload_bytes,
    }


def portal_ticket_view_json(view: portal.TicketView) -> dict[str, Any]:
    ticket = view.ticket
    return {
        **portal_ticket_json(ticket),
        "description": ticket.description,
        "company": {"cnpj": ticket.cnpj, "name": ticket.company_name},
        "actions": [_requester_sees(action_json(action)) for action in view.actions],
        "links_expire_in": settings().presigned_url_seconds,
    }


def _requester_sees(action: dict[str, Any]) -> dict[str, Any]:
    """An action as its requester sees it: an agent by display name or the team's, never by e-mail;
    a message they deleted on WhatsApp without its content, as WhatsApp shows it to them."""
    if action["author_kind"] == "agent":
        action["author_name"] = texts.agent_name(action["author_name"])
    elif action["deleted_by_requester_at"]:
        action["text"], action["attachments"] = "", []
    return action


# --- LGPD: everything held about a requester, as one document -------------------------------------


def requester_export_json(data: privacy.RequesterData) -> dict[str, Any]:
    requester, conversation, login = data.requester, data.conversation, data.login
    return {
        "exported_at": data.exported_at.isoformat(),
        "phone": data.phone,
        "profile": {
            "name": requester.name,
            "email": requester.email,
            "username": requester.username,
            "whatsapp_bsuid": requester.bsuid,
            "whatsapp_username": requester.whatsapp_username,
            "instance": requester.instance,
            "created_at": iso(requester.created_at),
        }
        if requester
        else None,
        "companies": [
            {"cnpj": link.cnpj, "company_name": link.company_name, "linked_at": iso(link.linked_at)}
            for link in data.links
        ],
        "whatsapp_lids": [{"lid": lid, "linked_at": linked_at.isoformat()} for lid, linked_at in data.lids],
        "whatsapp_aliases": [
            {"kind": kind, "id": identifier, "linked_at": linked_at.isoformat()}
            for kind, identifier, linked_at in data.aliases
        ],
        "tickets": [_exported_ticket(ticket, actions) for ticket, actions in data.tickets],
        "conversation": {
            "state": conversation.state,
            "instance": conversation.instance,
            "last_activity": iso(conversation.last_activity),
            "expires_at": iso(conversation.expires_at),
        }
        if conversation
        else None,
        "portal_login": {"failures": int(login.failures or 0), "locked_until": iso(login.locked_until)}
        if login
        else None,
        "knowledge_offers": [offer.as_dict() for offer in data.offers],
        "files_expire_in_seconds": settings().presigned_url_seconds,
    }


def _exported_ticket(ticket: Ticket, actions: list[Action]) -> dict[str, Any]:
    return {
        "number": int(ticket.number),
        "title": ticket.title,
        "description": ticket.description,
        "status": ticket.status,
        "cnpj": ticket.cnpj,
        "company_name": ticket.company_name,
        "requester_name": ticket.requester_name,
        "instance": ticket.instance,
        "source": ticket.source,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "opened_out_of_hours": bool(ticket.opened_out_of_hours),
        "rating": int(ticket.rating) if ticket.rating is not None else None,
        "rating_comment": ticket.rating_comment,
        "actions": [action_json(action) for action in actions],
    }
