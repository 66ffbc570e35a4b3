"""Tickets stored straight into the table, as the turn executor stores them, for tests that start
from a ticket that already exists (the `aws` fixture's table must be up)."""

from __future__ import annotations

from datetime import UTC, datetime

from helpdesk.storage import tickets
from helpdesk.storage.models import Requester
from helpdesk.storage.tickets import Ticket


def stored_ticket(
    requester: Requester,
    *,
    cnpj: str,
    company_name: str,
    number: int | None = None,
    title: str = "Chamado",
    description: str = "",
    instance: str = "suporte",
    request_type: tuple[str, str] | None = None,  # (id, name)
    status: str | None = None,
    now: datetime | None = None,
    origin_message_id: str | None = None,
    with_opening: bool = False,
) -> Ticket:
    """Saves a ticket of `requester` (numbered next, unless `number` is given); `with_opening` adds
    the requester's opening action, as a ticket opened on WhatsApp has."""
    now = now or datetime.now(UTC)
    ticket = tickets.new_ticket(
        number=number if number is not None else tickets.allocate_ticket_number(),
        title=title,
        description=description,
        cnpj=cnpj,
        company_name=company_name,
        requester=requester,
        instance=instance,
        request_type_id=request_type[0] if request_type else None,
        request_type_name=request_type[1] if request_type else None,
        now=now,
        origin_message_id=origin_message_id,
    )
    if status is not None:
        ticket.status = status
    opening = None
    if with_opening:
        opening = tickets.new_action(
            ticket=ticket,
            author_kind="requester",
            author_name=requester.name,
            text=description,
            attachments=(),
            source="whatsapp",
            now=now,
        )
        ticket.last_action = tickets.last_action_of(opening)
    ticket.save()
    if opening is not None:
        opening.save()
    return ticket
