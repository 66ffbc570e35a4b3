"""Everything stored under one phone (PHONE#<phone>): the requester's profile, their company
links and the conversation.

A turn reads the partition once (`load_phone`), lets the dialog read a few more items through
`TableDialogContext`, and adds its writes to one `TurnWrite`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import UpdateError

from helpdesk.domain.conversation import (
    CompanyView,
    ConversationState,
    DialogSettings,
    Reply,
    RequesterView,
    RequestTypeView,
    TicketDetail,
    TicketSummary,
)
from helpdesk.domain.hours import BusinessHours
from helpdesk.domain.menus import Menu
from helpdesk.storage import catalog, tickets
from helpdesk.storage.aliases import ADDRESS_SK, address_key
from helpdesk.storage.hours import instance_hours
from helpdesk.storage.models import (
    CompanyLink,
    Conversation,
    IdentityAlias,
    Item,
    Notified,
    Requester,
    SentReply,
)
from helpdesk.storage.transaction import TurnWrite, condition_failed

__all__ = ["CompanyLink", "Conversation", "Requester"]  # the record types callers receive


def phone_pk(phone: str) -> str:
    return f"PHONE#{phone}"


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
        views = sorted(self.links, key=lambda link: link.company_name)
        companies = tuple(CompanyView(x.cnpj, x.company_name) for x in views if x.company_active is not False)
        retired = tuple(
            CompanyView(x.cnpj, x.company_name, False) for x in views if x.company_active is False
        )
        return RequesterView(r.phone, r.name, r.email, r.username, companies, retired)


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


@dataclass
class TableDialogContext:
    """The dialog's read-only view of the table for one phone."""

    snapshot: PhoneSnapshot
    now: datetime
    settings: DialogSettings
    instance: str = ""  # the number the requester wrote to
    _companies: dict[str, CompanyView | None] = field(default_factory=dict, repr=False)
    _tickets: dict[str, list[TicketSummary]] = field(default_factory=dict, repr=False)

    @property
    def phone(self) -> str:
        return self.snapshot.phone

    @property
    def requester(self) -> RequesterView | None:
        return self.snapshot.requester_view()

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
        return tickets.ticket_detail(ticket)


# --- requesters and their companies -------------------------------------------------------------


def get_requester(phone: str) -> Requester | None:
    """Read consistently: a password just reset through the bot must count at once."""
    try:
        return Requester.get(phone_pk(phone), "PROFILE", consistent_read=True)
    except Requester.DoesNotExist:
        return None


def new_requester(
    *,
    phone: str,
    name: str,
    email: str,
    password_hash: str,
    instance: str | None,
    now: datetime,
    bsuid: str | None = None,
    whatsapp_username: str | None = None,
) -> Requester:
    """Portal user name = the identity (the phone digits, or the BSUID of a requester whose phone
    WhatsApp hides): unique by construction, and what the bot sends."""
    return Requester(
        bsuid=bsuid,
        whatsapp_username=whatsapp_username,
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
        gsi2pk=email_key(email),
        gsi2sk=phone,
    )


def email_key(email: str) -> str:
    """The index key the portal finds a requester by when they sign in with their e-mail."""
    return f"EMAIL#{email.strip().lower()}"


def requesters_by_email(email: str, limit: int = 2) -> list[Requester]:
    """Up to `limit` requesters registered with that e-mail (case ignored). Requesters registered
    before the index key existed get it with their next password (`reset_credentials`)."""
    found = Requester.by_gsi2.query(email_key(email), limit=limit)
    return [item for item in found if isinstance(item, Requester)]


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


def register(write: TurnWrite, requester: Requester) -> None:
    """A new requester; a concurrent registration of the same phone cancels the turn."""
    write.save(requester, condition=Requester.pk.does_not_exist())


def link(write: TurnWrite, company_link: CompanyLink) -> None:
    write.save(company_link)


def _new_credentials(password_hash: str) -> list:
    # A new version ends every portal session signed with the old one.
    return [Requester.password_hash.set(password_hash), Requester.credentials_version.add(1)]


def reset_credentials(write: TurnWrite, requester: Requester, password_hash: str) -> None:
    email_index = [Requester.gsi2pk.set(email_key(requester.email)), Requester.gsi2sk.set(requester.phone)]
    write.update(requester, [*_new_credentials(password_hash), *email_index])


def reissue_credentials(phone: str, password_hash: str) -> None:
    """Outside a turn (an outbox re-sent after a crash): the requester must exist."""
    Requester(pk=phone_pk(phone), sk="PROFILE").update(
        actions=_new_credentials(password_hash), condition=Requester.pk.exists()
    )


# --- the conversation ------------------------------------------------------------------------------


def conversation_key(phone: str) -> tuple[str, str]:
    """The (pk, sk) of the phone's conversation item."""
    return phone_pk(phone), "CONVERSATION"


def conversation_and_address(phone: str) -> tuple[Conversation | None, str | None]:
    """The conversation and the address of a requester who changed number or BSUID (storage.aliases),
    in one request (what the notifier reads before sending)."""
    found = {item.sk: item for item in Item.batch_get([conversation_key(phone), address_key(phone)])}
    conversation, address = found.get("CONVERSATION"), found.get(ADDRESS_SK)
    return (
        conversation if isinstance(conversation, Conversation) else None,
        address.phone if isinstance(address, IdentityAlias) else None,
    )


def get_conversation(phone: str) -> Conversation | None:
    try:
        return Conversation.get(*conversation_key(phone))
    except Conversation.DoesNotExist:
        return None


def conversation_of(snapshot: PhoneSnapshot) -> Conversation:
    """The phone's conversation, or a new one (written by the turn that created it)."""
    pk, sk = conversation_key(snapshot.phone)
    return snapshot.conversation or Conversation(pk=pk, sk=sk, phone=snapshot.phone)


def unprompted(conversation: Conversation | None, phone: str, instance: str) -> Conversation:
    """The conversation as read, or one that has had no message (for a state the notifier sets):
    its last activity is the epoch, so neither the Cloud API's 24-hour window nor the link of a
    reply to the last notification reads it as an inbound."""
    if conversation is None:
        never = datetime(1970, 1, 1, tzinfo=UTC)
        conversation = Conversation(pk=phone_pk(phone), sk="CONVERSATION", phone=phone, last_activity=never)
    conversation.instance = conversation.instance or instance
    return conversation


def outbox(replies: Sequence[Reply]) -> list[SentReply]:
    return [
        SentReply(text=reply.text, fill=list(reply.fill), menu=reply.menu.to_dict() if reply.menu else None)
        for reply in replies
    ]


def outbox_replies(conversation: Conversation) -> list[Reply]:
    """The replies of the conversation's outbox, as the turn committed them."""
    return [
        Reply(sent.text, tuple(sent.fill or ()), Menu.from_dict(sent.menu) if sent.menu else None)
        for sent in conversation.outbox or []
    ]


def live_state(conversation: Conversation | None, now: datetime) -> ConversationState | None:
    """The state of a conversation still going on: None once the item expired (TTL deletion lags
    behind). The one reader of a stored state (a turn, the notifier)."""
    if conversation is None or conversation.expires_at <= now:
        return None
    return ConversationState.from_dict(conversation.state)


# The writes a conversation remembers (a turn's message id, the notifier's question of a closing).
RECENT_WRITES = 20


def applied(conversation: Conversation | None, write_id: str) -> bool:
    """Whether the write `write_id` is already on the conversation: a redelivery writes nothing."""
    return conversation is not None and write_id in (conversation.recent_message_ids or [])


def save_conversation(write: TurnWrite, conversation: Conversation, write_id: str) -> None:
    """The one writer of a conversation (a turn, the notifier's question), in `write`: saved with
    its version, so a concurrent writer cancels it (`ConcurrentUpdate` at commit: read again and
    run again), and with `write_id` among its recent writes, so a redelivery finds it `applied`."""
    recent = (conversation.recent_message_ids or [])[-(RECENT_WRITES - 1) :]
    conversation.recent_message_ids = [*recent, write_id]
    write.save(conversation)


# How long a conversation item outlives its last message: a draft survives a pause this long, and
# the Cloud API's 24-hour customer-service window is read from it. Whether the conversation is
# still going on is a separate, logical check (CONVERSATION_TTL_MINUTES after last_activity).
CONVERSATION_KEPT = timedelta(hours=24)


def conversation_expiry(now: datetime) -> datetime:
    return now + CONVERSATION_KEPT


def conversation_idle(conversation: Conversation, now: datetime, idle_minutes: int) -> bool:
    """No message for longer than the conversation time: what it was doing is interrupted."""
    return conversation.last_activity + timedelta(minutes=idle_minutes) <= now


def mark_outbox_sent(conversation: Conversation, message_id: str) -> None:
    try:
        conversation.update(
            actions=[Conversation.outbox_sent.set(True)],
            condition=Conversation.outbox_message_id == message_id,
        )
    except UpdateError as error:
        # The next message's turn already replaced this outbox: nothing left to mark.
        if not condition_failed(error):
            raise


def company_links(cnpj: str) -> list[CompanyLink]:
    """Every requester's link to the company."""
    return list(CompanyLink.by_gsi1.query(f"COMPANY#{cnpj}#REQUESTERS"))


def set_company_active(cnpj: str, active: bool) -> None:
    """Marks the company's links, so each requester's turn knows without reading the company."""
    for link in company_links(cnpj):
        link.update(actions=[CompanyLink.company_active.set(active)])


def delete_company_links(cnpj: str) -> int:
    """Unlinks every requester from a company being deleted; how many were linked."""
    links = company_links(cnpj)
    with CompanyLink.batch_write() as batch:
        for link in links:
            batch.delete(link)
    return len(links)
