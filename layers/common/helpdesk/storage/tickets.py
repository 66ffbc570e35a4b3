"""Tickets, their actions, the markers that keep action ids unique, and the ticket counter.

A ticket is TICKET#<number> / META; its actions share the partition (ACTION#<iso time>#<id>), so
one query returns them in time order. gsi1 lists a requester's tickets per company, gsi2 all
tickets by number.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from msgspec import Struct
from pynamodb.exceptions import DoesNotExist

from helpdesk.domain import transcripts
from helpdesk.domain.messages import Attachment
from helpdesk.domain.statuses import NEW_TICKET_STATUS
from helpdesk.storage.models import (
    TICKET_NUMBER_WIDTH,
    Action,
    AttachmentMap,
    Counter,
    LastAction,
    Marker,
    Requester,
    Ticket,
    ticket_pk,
)
from helpdesk.storage.transaction import TurnWrite

if TYPE_CHECKING:  # the dialog's draft types: the functions that only read tickets never load them
    from helpdesk.domain.step_data import OfferedArticle

__all__ = ["Action", "Ticket", "ticket_pk"]  # the record types callers receive


def requester_tickets_key(phone: str, cnpj: str) -> str:
    return f"REQ#{phone}#{cnpj}"


def padded(number: int) -> str:
    return f"{number:0{TICKET_NUMBER_WIDTH}d}"


def get_ticket(number: int) -> Ticket | None:
    try:
        return Ticket.get(ticket_pk(number), "META")
    except Ticket.DoesNotExist:
        return None


def own_ticket(phone: str, number: int) -> Ticket | None:
    """The ticket, if it is this requester's: never show or write to another's."""
    ticket = get_ticket(number)
    return ticket if ticket is not None and ticket.requester_phone == phone else None


def requester_tickets(phone: str, cnpj: str) -> list[Ticket]:
    """A requester's tickets with one company, newest first."""
    return list(Ticket.by_gsi1.query(requester_tickets_key(phone, cnpj), scan_index_forward=False))


def actions_of(ticket: Ticket) -> list[Action]:
    """Every action of the ticket, oldest first."""
    return list(Action.query(ticket.pk, Action.sk.startswith("ACTION#")))


class TicketPage(Struct, frozen=True):
    tickets: list[Ticket]
    last_key: dict | None  # DynamoDB's key to resume after the last ticket; None at the end


def list_tickets(
    *,
    cnpj: str | None = None,
    statuses: Sequence[str] = (),
    phone: str | None = None,
    limit: int,
    start_key: dict | None = None,
) -> TicketPage:
    """Newest first over gsi2 (TICKETS, by number), filtered (`statuses`: any of them), `limit` per
    page."""
    conditions = [
        condition
        for condition, wanted in (
            (Ticket.cnpj == cnpj, cnpj),
            (Ticket.status.is_in(*statuses), statuses),
            (Ticket.requester_phone == phone, phone),
        )
        if wanted
    ]
    condition = None
    for each in conditions:
        condition = each if condition is None else condition & each
    results = Ticket.by_gsi2.query(
        "TICKETS",
        scan_index_forward=False,
        filter_condition=condition,
        limit=limit,
        page_size=max(limit, 25),
        last_evaluated_key=start_key,
    )
    tickets = list(results)
    return TicketPage(tickets, results.last_evaluated_key if len(tickets) == limit else None)


def opening_files(number: int) -> list[dict]:
    """The files a ticket was opened with: those of its first action (written with the ticket)."""
    for action in Action.query(ticket_pk(number), Action.sk.startswith("ACTION#"), limit=1):
        return [attachment.as_dict() for attachment in action.attachments or []]
    return []


def allocate_ticket_number() -> int:
    counter = Counter(pk="COUNTER", sk="TICKET")
    counter.update(actions=[Counter.value.add(1)])
    return int(counter.value)


def attachment_maps(attachments: Sequence[Attachment]) -> list[AttachmentMap]:
    """The files as stored; an audio's transcript starts pending unless it came with one."""
    return [
        AttachmentMap(**{**a.to_dict(), "transcript_status": transcripts.initial_status(a)})
        for a in attachments
    ]


def new_ticket(
    *,
    number: int,
    title: str,
    description: str,
    cnpj: str,
    company_name: str,
    requester: Requester,
    instance: str,
    request_type_id: str | None,
    request_type_name: str | None,
    now: datetime,
    origin_message_id: str | None,
    source: str = "whatsapp",
    opened_out_of_hours: bool = False,
) -> Ticket:
    return Ticket(
        pk=ticket_pk(number),
        sk="META",
        number=number,
        title=title,
        description=description,
        status=NEW_TICKET_STATUS,
        request_type_id=request_type_id,
        request_type_name=request_type_name,
        cnpj=cnpj,
        company_name=company_name,
        requester_phone=requester.phone,
        requester_name=requester.name,
        instance=instance,
        source=source,
        origin_message_id=origin_message_id,
        opened_out_of_hours=opened_out_of_hours,
        created_at=now,
        updated_at=now,
        gsi1pk=requester_tickets_key(requester.phone, cnpj),
        gsi1sk=padded(number),
        gsi2pk="TICKETS",
        gsi2sk=padded(number),
    )


def new_action(
    *,
    ticket: Ticket,
    author_kind: str,
    author_name: str,
    text: str,
    attachments: Sequence[Attachment],
    source: str,
    now: datetime,
    action_id: str | None = None,
    kind: str = "message",
    status: str | None = None,
    visible_to_requester: bool = True,
) -> Action:
    action_id = action_id or uuid.uuid4().hex
    maps = attachment_maps(attachments)
    return Action(
        pk=ticket.pk,
        sk=f"ACTION#{now.isoformat()}#{action_id}",
        action_id=action_id,
        ticket_number=int(ticket.number),
        kind=kind,
        author_kind=author_kind,
        author_name=author_name,
        text=text,
        attachments=maps,
        # Wakes the transcriber (its stream filter): an audio waits for its transcript.
        transcribe=any(m.transcript_status == transcripts.TranscriptStatus.PENDING for m in maps) or None,
        visible_to_requester=visible_to_requester,
        source=source,
        status=status,
        requester_phone=ticket.requester_phone,
        instance=ticket.instance,
        created_at=now,
    )


def last_action_of(action: Action) -> LastAction:
    return LastAction(
        author_kind=action.author_kind,
        author_name=action.author_name,
        created_at=action.created_at,
        text=action.text,
        attachment_count=len(action.attachments or []),
    )


def open_numbered_ticket(
    write: TurnWrite,
    *,
    requester: Requester,
    cnpj: str,
    company_name: str,
    instance: str,
    title: str,
    description: str,
    request_type: tuple[str, str] | None,
    attachments: Sequence[Attachment],
    source: str,
    action_id: str,
    now: datetime,
    origin_message_id: str | None = None,
    opened_out_of_hours: bool = False,
    offered_articles: Sequence[OfferedArticle] = (),
) -> tuple[Ticket, Action]:
    """How a requester's ticket is opened, on WhatsApp or the portal: numbered from the one counter,
    with its opening action (the description and files) in the same write. The table stream then
    tells the ERP (`ticket.created`)."""
    type_id, type_name = request_type or (None, None)
    ticket = new_ticket(
        number=allocate_ticket_number(),
        title=title,
        description=description,
        cnpj=cnpj,
        company_name=company_name,
        requester=requester,
        instance=instance,
        request_type_id=type_id,
        request_type_name=type_name,
        now=now,
        origin_message_id=origin_message_id,
        source=source,
        opened_out_of_hours=opened_out_of_hours,
    )
    if offered_articles:  # the agent sees what the requester already read
        ticket.offered_articles = [
            {"id": a.id, "title": a.title, "opened": a.opened} for a in offered_articles
        ]
    opening = new_action(
        ticket=ticket,
        author_kind="requester",
        author_name=requester.name,
        text=description,
        attachments=attachments,
        source=source,
        now=now,
        action_id=action_id,
    )
    open_ticket(write, ticket, opening)
    return ticket, opening


def open_ticket(write: TurnWrite, ticket: Ticket, opening: Action) -> None:
    """A new ticket with its first action (its description), both created, never overwritten."""
    ticket.last_action = last_action_of(opening)
    write.save(ticket, condition=Ticket.pk.does_not_exist())
    write.save(opening, condition=Ticket.pk.does_not_exist())


def add_action(
    write: TurnWrite,
    ticket: Ticket,
    action: Action,
    now: datetime,
    *,
    unique_id: bool,
    new_status: str | None = None,
) -> None:
    """The action, and the ticket's summary: updated time, last visible action, new status (the
    action's, or `new_status` for a message that moves the ticket on: a requester's reply).

    With `unique_id`, a marker item makes the action id unique on the ticket (the id is only the
    tail of the sort key): the same id twice cancels the transaction (see `has_action_id`).
    """
    updates = [Ticket.updated_at.set(now)]
    if action.visible_to_requester:
        updates.append(Ticket.last_action.set(last_action_of(action)))
    if status := action.status or new_status:
        updates.append(Ticket.status.set(status))
    write.save(action, condition=Action.pk.does_not_exist())
    if unique_id:
        write.save(
            Marker(pk=ticket.pk, sk=f"ACTIONID#{action.action_id}", created_at=now),
            condition=Marker.pk.does_not_exist(),
        )
    write.update(ticket, updates, condition=Ticket.pk.exists())


def has_action_id(ticket: Ticket, action_id: str) -> bool:
    try:
        Marker.get(ticket.pk, f"ACTIONID#{action_id}")
        return True
    except DoesNotExist:
        return False


# --- the admin console's reads ----------------------------------------------------------------


def tickets_newest_first(page_size: int = 100):
    """Every ticket, newest first, read a page at a time as the caller iterates."""
    return Ticket.by_gsi2.query("TICKETS", scan_index_forward=False, page_size=page_size)


def company_ticket_statuses(cnpj: str) -> list[str]:
    """The status of each of the company's tickets (every ticket read: a console operation)."""
    found = Ticket.by_gsi2.query(
        "TICKETS", filter_condition=Ticket.cnpj == cnpj, attributes_to_get=["status"], page_size=500
    )
    return [ticket.status for ticket in found]
