"""The dialog's reads for one turn (`DialogContext`), over the phone's partition read once
(`storage.phones.load_phone`) and a few more items. Apart from `storage.phones` so that what
reads or writes a phone's items without a dialog turn (the notifier, the console, the portal)
does not load the dialog's contract and the knowledge base."""

from __future__ import annotations

from datetime import datetime

from helpdesk.domain.conversation import (
    ActionView,
    CompanyView,
    DialogSettings,
    RequesterView,
    RequestTypeView,
    TicketDetail,
    TicketSummary,
)
from helpdesk.domain.hours import BusinessHours
from helpdesk.storage import catalog, knowledge, tickets
from helpdesk.storage.hours import instance_hours
from helpdesk.storage.phones import PhoneSnapshot


def requester_view(snapshot: PhoneSnapshot) -> RequesterView | None:
    if snapshot.requester is None:
        return None
    r = snapshot.requester
    views = sorted(snapshot.links, key=lambda link: link.company_name)
    companies = tuple(CompanyView(x.cnpj, x.company_name) for x in views if x.company_active is not False)
    retired = tuple(CompanyView(x.cnpj, x.company_name, False) for x in views if x.company_active is False)
    return RequesterView(r.phone, r.name, r.email, r.username, companies, retired)


def ticket_detail(ticket: tickets.Ticket) -> TicketDetail:
    last = ticket.last_action
    return TicketDetail(
        number=int(ticket.number),
        title=ticket.title,
        status=ticket.status,
        request_type=ticket.request_type_name,
        last_action=ActionView(
            last.author_kind, last.author_name, last.created_at, last.text, int(last.attachment_count)
        )
        if last
        else None,
    )


class TableDialogContext(knowledge.ArticleReads):
    """The dialog's read-only view of the table for one phone."""

    def __init__(
        self, snapshot: PhoneSnapshot, now: datetime, settings: DialogSettings, instance: str = ""
    ) -> None:
        self.snapshot = snapshot
        self.now = now
        self.settings = settings
        self.instance = instance  # the number the requester wrote to
        self._companies: dict[str, CompanyView | None] = {}
        self._tickets: dict[str, list[TicketSummary]] = {}

    @property
    def phone(self) -> str:
        return self.snapshot.phone

    @property
    def requester(self) -> RequesterView | None:
        return requester_view(self.snapshot)

    def find_company(self, cnpj: str) -> CompanyView | None:
        """Read once per turn: the dialog and the turn's effects both ask."""
        if cnpj not in self._companies:
            company = catalog.get_company(cnpj)
            self._companies[cnpj] = (
                CompanyView(company.cnpj, company.name, bool(company.active)) if company else None
            )
        return self._companies[cnpj]

    def request_types(self) -> list[RequestTypeView]:
        return catalog.whatsapp_request_types()

    def business_hours(self) -> BusinessHours | None:
        return instance_hours(self.instance) if self.instance else None

    def tickets(self, cnpj: str) -> list[TicketSummary]:
        """Read once per turn: the menu's words and its question both ask."""
        if self.snapshot.requester is None:
            return []  # tickets are opened by registered requesters only: nothing to read
        if cnpj not in self._tickets:
            self._tickets[cnpj] = [
                TicketSummary(int(t.number), t.title, t.status)
                for t in tickets.requester_tickets(self.phone, cnpj)
            ]
        return self._tickets[cnpj]

    def ticket(self, cnpj: str, number: int) -> TicketDetail | None:
        ticket = tickets.get_ticket(number)
        if ticket is None or ticket.requester_phone != self.phone or ticket.cnpj != cnpj:
            return None
        return ticket_detail(ticket)
