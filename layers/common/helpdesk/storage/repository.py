"""Reads and writes of the requester side over the single table.

A turn reads one partition (`load_phone`), lets the dialog read a few more items through
`TableDialogContext`, and writes everything it changed in one transaction (`TurnWrite`).
"""

from __future__ import annotations

import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from helpdesk.domain.conversation import (
    NEW_TICKET_STATUS,
    ActionView,
    CompanyView,
    DialogSettings,
    RequesterView,
    RequestTypeView,
    TicketDetail,
    TicketSummary,
)
from helpdesk.domain.hours import BusinessHours
from helpdesk.domain.messages import Attachment
from helpdesk.storage.hours import instance_hours
from helpdesk.storage.models import (
    TICKET_NUMBER_WIDTH,
    Action,
    AttachmentMap,
    Company,
    CompanyLink,
    Conversation,
    Counter,
    Instance,
    Item,
    LastAction,
    Notified,
    Requester,
    RequestType,
    Stats,
    Ticket,
)


class ConcurrentUpdate(Exception):
    """Another writer changed the conversation first: the message is retried from the queue."""


def phone_pk(phone: str) -> str:
    return f"PHONE#{phone}"


def ticket_pk(number: int) -> str:
    return f"TICKET#{number}"


def requester_tickets_key(phone: str, cnpj: str) -> str:
    return f"REQ#{phone}#{cnpj}"


def padded(number: int) -> str:
    return f"{number:0{TICKET_NUMBER_WIDTH}d}"


@dataclass
class PhoneSnapshot:
    """Everything stored under one phone: read in a single query per turn."""

    phone: str
    requester: Requester | None = None
    links: list[CompanyLink] = field(default_factory=list)
    conversation: Conversation | None = None
    notified: Notified | None = None  # the last notifications (see storage.notified)

    def requester_view(self) -> RequesterView | None:
        if self.requester is None:
            return None
        r = self.requester
        companies = tuple(
            sorted((CompanyView(link.cnpj, link.company_name) for link in self.links), key=lambda c: c.name)
        )
        return RequesterView(r.phone, r.name, r.email, r.username, companies)


def load_phone(phone: str) -> PhoneSnapshot:
    snapshot = PhoneSnapshot(phone)
    for item in Item.query(phone_pk(phone)):
        if isinstance(item, Requester):
            snapshot.requester = item
        elif isinstance(item, CompanyLink):
            snapshot.links.append(item)
        elif isinstance(item, Conversation):
            snapshot.conversation = item
        elif isinstance(item, Notified):
            snapshot.notified = item
    return snapshot


# Request types change rarely and every new ticket reads them: a short per-container cache.
_REQUEST_TYPES_TTL = 60.0
_request_types_cache: tuple[float, list[RequestTypeView]] | None = None


def whatsapp_request_types() -> list[RequestTypeView]:
    global _request_types_cache
    if _request_types_cache and time.monotonic() - _request_types_cache[0] < _REQUEST_TYPES_TTL:
        return _request_types_cache[1]
    types = [
        RequestTypeView(t.type_id, t.name)
        for t in RequestType.by_gsi1.query("RTYPES")
        if isinstance(t, RequestType) and t.active and t.whatsapp and t.kind == "synthetic"
    ]
    _request_types_cache = (time.monotonic(), types)
    return types


def forget_request_types() -> None:
    global _request_types_cache
    _request_types_cache = None


def get_company(cnpj: str) -> Company | None:
    try:
        return Company.get(f"COMPANY#{cnpj}", "META")
    except Company.DoesNotExist:
        return None


def get_ticket(number: int) -> Ticket | None:
    try:
        return Ticket.get(ticket_pk(number), "META")
    except Ticket.DoesNotExist:
        return None


def ticket_detail(ticket: Ticket) -> TicketDetail:
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


@dataclass
class TableDialogContext:
    """The dialog's read-only view of the table for one phone."""

    snapshot: PhoneSnapshot
    now: datetime
    settings: DialogSettings
    instance: str = ""  # the number the requester wrote to
    _companies: dict[str, CompanyView | None] = field(default_factory=dict, repr=False)

    @property
    def phone(self) -> str:
        return self.snapshot.phone

    @property
    def requester(self) -> RequesterView | None:
        return self.snapshot.requester_view()

    def find_company(self, cnpj: str) -> CompanyView | None:
        """Read once per turn: the dialog and the turn's effects both ask."""
        if cnpj not in self._companies:
            company = get_company(cnpj)
            self._companies[cnpj] = (
                CompanyView(company.cnpj, company.name) if company and company.active else None
            )
        return self._companies[cnpj]

    def request_types(self) -> list[RequestTypeView]:
        return whatsapp_request_types()

    def business_hours(self) -> BusinessHours | None:
        return instance_hours(self.instance) if self.instance else None

    def tickets(self, cnpj: str) -> list[TicketSummary]:
        if self.snapshot.requester is None:
            return []  # tickets are opened by registered requesters only: nothing to read
        return [
            TicketSummary(int(t.number), t.title, t.status)
            for t in Ticket.by_gsi1.query(requester_tickets_key(self.phone, cnpj), scan_index_forward=False)
        ]

    def ticket(self, cnpj: str, number: int) -> TicketDetail | None:
        ticket = get_ticket(number)
        if ticket is None or ticket.requester_phone != self.phone or ticket.cnpj != cnpj:
            return None
        return ticket_detail(ticket)


def opening_files(number: int) -> list[dict]:
    """The files a ticket was opened with: those of its first action (written with the ticket)."""
    for action in Action.query(ticket_pk(number), Action.sk.startswith("ACTION#"), limit=1):
        return [attachment.as_dict() for attachment in action.attachments or []]
    return []


def allocate_ticket_number() -> int:
    counter = Counter(pk="COUNTER", sk="TICKET")
    counter.update(actions=[Counter.value.add(1)])
    return int(counter.value)


def attachment_maps(attachments: tuple[Attachment, ...] | list[Attachment]) -> list[AttachmentMap]:
    return [AttachmentMap(**a.to_dict()) for a in attachments]


def new_instance(
    *,
    name: str,
    agent_type: str,
    gateway: str,
    now: datetime,
    state: str = "close",
    api_key_hash: str | None = None,
) -> Instance:
    return Instance(
        pk=f"INSTANCE#{name}",
        sk="META",
        name=name,
        agent_type=agent_type,
        gateway=gateway,
        state=state,
        api_key_hash=api_key_hash,
        created_at=now,
        updated_at=now,
        gsi1pk="INSTANCES",
        gsi1sk=name,
    )


def new_company(*, cnpj: str, name: str, now: datetime, active: bool = True) -> Company:
    return Company(
        pk=f"COMPANY#{cnpj}",
        sk="META",
        cnpj=cnpj,
        name=name,
        active=active,
        created_at=now,
        gsi1pk="COMPANIES",
        gsi1sk=name,
    )


def new_request_type(
    *, type_id: str, name: str, kind: str, whatsapp: bool, active: bool = True
) -> RequestType:
    return RequestType(
        pk=f"RTYPE#{type_id}",
        sk="META",
        type_id=type_id,
        name=name,
        kind=kind,
        whatsapp=whatsapp,
        active=active,
        gsi1pk="RTYPES",
        gsi1sk=name,
    )


def new_requester(
    *, phone: str, name: str, email: str, password_hash: str, instance: str | None, now: datetime
) -> Requester:
    """Portal user name = the phone digits: unique by construction, easy to remember."""
    return Requester(
        pk=phone_pk(phone),
        sk="PROFILE",
        phone=phone,
        name=name,
        email=email,
        username=phone,
        password_hash=password_hash,
        created_at=now,
        instance=instance,
        gsi1pk="REQUESTERS",
        gsi1sk=phone,
    )


def company_link(*, phone: str, cnpj: str, company_name: str, now: datetime) -> CompanyLink:
    return CompanyLink(
        pk=phone_pk(phone),
        sk=f"COMPANY#{cnpj}",
        phone=phone,
        cnpj=cnpj,
        company_name=company_name,
        linked_at=now,
        gsi1pk=f"COMPANY#{cnpj}#REQUESTERS",
        gsi1sk=phone,
    )


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
    attachments,
    source: str,
    now: datetime,
    action_id: str | None = None,
    kind: str = "message",
    status: str | None = None,
    visible_to_requester: bool = True,
) -> Action:
    action_id = action_id or uuid.uuid4().hex
    return Action(
        pk=ticket.pk,
        sk=f"ACTION#{now.isoformat()}#{action_id}",
        action_id=action_id,
        ticket_number=int(ticket.number),
        kind=kind,
        author_kind=author_kind,
        author_name=author_name,
        text=text,
        attachments=attachment_maps(attachments),
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


class TurnWrite:
    """Collects the writes of one turn and commits them in a single DynamoDB transaction."""

    def __init__(self) -> None:
        self._saves: list[tuple[Item, object]] = []
        self._updates: list[tuple[Item, list, object]] = []

    def save(self, item: Item, condition=None) -> None:
        self._saves.append((item, condition))

    def update(self, item: Item, actions: list, condition=None) -> None:
        self._updates.append((item, actions, condition))

    def count_stats(self, instance: str, now: datetime, shard_key: str, **increments: int) -> None:
        """Adds to the instance's counters, for the day (UTC) and in total, in the shard of
        `shard_key` (a phone): concurrent turns of other phones rarely touch the same item."""
        increments = {name: n for name, n in increments.items() if n}
        if not increments:
            return
        day, shard = now.date().isoformat(), stats_shard(shard_key)
        for sk, extra in ((f"DAY#{day}#{shard}", [Stats.day.set(day)]), (f"TOTAL#{shard}", [])):
            actions = [getattr(Stats, name).add(n) for name, n in increments.items()]
            self.update(
                Stats(pk=f"STATS#{instance}", sk=sk),
                actions + extra + [Stats.instance.set(instance), Stats.entity.set(Stats)],
            )

    def commit(self) -> None:
        connection = Item._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                for item, condition in self._saves:
                    transaction.save(item, condition=condition)
                for item, actions, condition in self._updates:
                    transaction.update(item, actions=actions, condition=condition)
        except TransactWriteError as error:
            if error.cause_response_code == "TransactionCanceledException":
                raise ConcurrentUpdate(str(error)) from error
            raise


STATS_SHARDS = 16
STAT_NAMES = ("received", "sent", "conversations", "tickets")


def stats_shard(key: str) -> str:
    # DynamoDB cancels concurrent transactions on one item (TransactionConflict): the counters of a
    # busy number are spread over shards, one per phone, summed when read.
    return f"{zlib.crc32(key.encode()) % STATS_SHARDS:02d}"


def _summed(items) -> dict[str, dict[str, int]]:
    """Shards added up, by day ("total" for the totals)."""
    sums: dict[str, dict[str, int]] = {}
    for item in items:
        counts = sums.setdefault(item.day or "total", dict.fromkeys(STAT_NAMES, 0))
        for name in STAT_NAMES:
            counts[name] += int(getattr(item, name) or 0)
    return sums


def stats_totals(instance: str) -> dict[str, int]:
    items = Stats.query(f"STATS#{instance}", Stats.sk.startswith("TOTAL#"))
    return _summed(items).get("total", dict.fromkeys(STAT_NAMES, 0))


def stats_by_day(instance: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]:
    """Counts per day (ISO dates, both included); days with nothing are absent."""
    return _summed(
        Stats.query(f"STATS#{instance}", Stats.sk.between(f"DAY#{first_day}", f"DAY#{last_day}#~"))
    )


def mark_outbox_sent(conversation: Conversation, message_id: str) -> None:
    try:
        conversation.update(
            actions=[Conversation.outbox_sent.set(True)],
            condition=Conversation.outbox_message_id == message_id,
        )
    except UpdateError as error:
        # The next message's turn already replaced this outbox: nothing left to mark.
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


# How long a conversation item outlives its last message: a draft survives a pause this long, and
# the Cloud API's 24-hour customer-service window is read from it. Whether the conversation is
# still going on is a separate, logical check (CONVERSATION_TTL_MINUTES after last_activity).
CONVERSATION_KEPT = timedelta(hours=24)


def conversation_expiry(now: datetime) -> datetime:
    return now + CONVERSATION_KEPT


def conversation_idle(conversation: Conversation, now: datetime, idle_minutes: int) -> bool:
    """No message for longer than the conversation time: what it was doing is interrupted."""
    return conversation.last_activity + timedelta(minutes=idle_minutes) <= now


def get_instance(name: str) -> Instance | None:
    try:
        return Instance.get(f"INSTANCE#{name}", "META")
    except Instance.DoesNotExist:
        return None


# --- the admin console's reads ----------------------------------------------------------------


def ticket_statuses() -> dict[str, int]:
    """How many tickets are in each status: one Query of the TICKETS index partition, reading only
    the status (no scan; its cost grows with the number of tickets, see README)."""
    counts: dict[str, int] = {}
    for ticket in Ticket.by_gsi2.query("TICKETS", attributes_to_get=["entity", "status"]):
        counts[ticket.status] = counts.get(ticket.status, 0) + 1
    return counts


def tickets_newest_first(page_size: int = 100):
    """Every ticket, newest first, read a page at a time as the caller iterates."""
    return Ticket.by_gsi2.query("TICKETS", scan_index_forward=False, page_size=page_size)
