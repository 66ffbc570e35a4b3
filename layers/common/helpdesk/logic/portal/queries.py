"""What a logged-in requester reads: their tickets, by company, and one ticket with its actions."""

from __future__ import annotations

from msgspec import Struct

from helpdesk.domain.errors import NotFound
from helpdesk.storage import phones, tickets
from helpdesk.storage.tickets import Action, Ticket


class CompanyTickets(Struct, frozen=True):
    cnpj: str
    name: str
    tickets: list[Ticket]  # newest first
    served: bool = True  # False once the console deactivated the company: no new tickets for it


class RequesterTickets(Struct, frozen=True):
    name: str
    username: str
    companies: list[CompanyTickets]  # by company name


class TicketView(Struct, frozen=True):
    ticket: Ticket
    actions: list[Action]  # only those visible to the requester, oldest first


def list_tickets(phone: str) -> RequesterTickets:
    """The requester's tickets, newest first, grouped by linked company."""
    snapshot = phones.load_phone(phone)
    companies = [
        CompanyTickets(
            link.cnpj,
            link.company_name,
            list(tickets.requester_tickets(phone, link.cnpj)),
            served=link.company_active is not False,
        )
        for link in sorted(snapshot.links, key=lambda link: link.company_name)
    ]
    name = snapshot.requester.name if snapshot.requester else ""
    return RequesterTickets(name=name, username=phone, companies=companies)


def their_ticket(phone: str, number: int) -> Ticket:
    """One of the requester's own tickets; NotFound for any other (or none)."""
    ticket = tickets.own_ticket(phone, number)
    if ticket is None:
        raise NotFound("Atendimento não encontrado.", "number")
    return ticket


def ticket_view(phone: str, number: int) -> TicketView:
    """One of the requester's own tickets with every action visible to them, oldest first."""
    ticket = their_ticket(phone, number)
    return TicketView(
        ticket, [action for action in tickets.actions_of(ticket) if action.visible_to_requester]
    )
