"""Tickets as agents see them: filtered pages, one ticket with its actions, an agent's answer."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from helpdesk.domain import cnpj as cnpjs
from helpdesk.domain.messages import Attachment
from helpdesk.domain.phone import normalize_bsuid, normalize_phone
from helpdesk.domain.text import fold
from helpdesk.logic import ticket_actions
from helpdesk.logic.admin.errors import Conflict, InvalidInput, NotFound, required_text
from helpdesk.logic.services import Services
from helpdesk.storage import phones, stats, statuses, tickets
from helpdesk.storage.tickets import Action, Ticket, TicketPage

STATUS_MAX_CHARS = 40
TEXT_MAX_CHARS = 4000


class TicketFilters(Struct, frozen=True):
    company: str | None = None  # CNPJ, any punctuation
    status: str | None = None
    phone: str | None = None


class TicketWithActions(Struct, frozen=True):
    ticket: Ticket
    actions: list[Action]
    # How WhatsApp named the requester when they registered (Cloud API): their business-scoped
    # user ID and username, the console's only way to tell who a requester without phone is.
    requester_bsuid: str | None = None
    requester_username: str | None = None


def list_tickets(filters: TicketFilters, *, limit: int, start_key: dict | None = None) -> TicketPage:
    """Newest first, filtered, `limit` per page."""
    cnpj = phone = None
    if filters.company:
        cnpj = cnpjs.normalize(filters.company)
        if cnpj is None:
            raise InvalidInput("CNPJ inválido.", "company")
    if filters.phone:
        phone = normalize_bsuid(filters.phone) or normalize_phone(filters.phone)
        if phone is None:
            raise InvalidInput("Telefone inválido.", "phone")
    return tickets.list_tickets(
        cnpj=cnpj, statuses=_spellings(filters.status), phone=phone, limit=limit, start_key=start_key
    )


def _spellings(status: str | None) -> list[str]:
    """Every way the status filter's text is written on tickets, case and accents ignored: the
    managed names and the statuses tickets have (older tickets may carry others)."""
    if not status or not status.strip():
        return []
    known = {*statuses.managed().names, *stats.statuses_in_use(), status.strip()}
    return sorted(name for name in known if fold(name) == fold(status))


def get_ticket(number: int) -> TicketWithActions:
    ticket = tickets.get_ticket(number)
    if ticket is None:
        raise NotFound(f"Chamado {number} não encontrado.", "number")
    requester = phones.get_requester(ticket.requester_phone)
    return TicketWithActions(
        ticket,
        tickets.actions_of(ticket),
        requester_bsuid=requester.bsuid if requester else None,
        requester_username=requester.whatsapp_username if requester else None,
    )


def post_agent_action(
    services: Services,
    number: int,
    *,
    author_name: str,
    text: str | None,
    status: str | None = None,
    visible_to_requester: bool = True,
    action_id: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> Action:
    """An agent's answer (and/or status change, and/or files) on a ticket, through the shared
    ticket actions."""
    managed = statuses.managed()
    if status is not None:
        status = managed.match(required_text(status, "status", STATUS_MAX_CHARS))
        if status is None:
            raise InvalidInput("Escolha um dos status da lista (Status dos chamados).", "status")
        text = (text or "").strip()[:TEXT_MAX_CHARS]
    elif attachments:
        text = (text or "").strip()[:TEXT_MAX_CHARS]
    else:
        text = required_text(text, "text", TEXT_MAX_CHARS)
    closes = managed.is_role("closed", status)
    try:
        return ticket_actions.post_action(
            services,
            number,
            author_kind="agent",
            author_name=author_name,
            text=text,
            source="admin",
            status=status,
            visible_to_requester=visible_to_requester,
            action_id=action_id,
            closes=closes and visible_to_requester,
            attachments=attachments,
        )
    except ticket_actions.TicketNotFound as error:
        raise NotFound(f"Chamado {number} não encontrado.", "number") from error
    except ticket_actions.DuplicateAction as error:
        raise Conflict("Esta ação já foi registrada.", "action_id") from error
