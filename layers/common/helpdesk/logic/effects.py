"""The dialog's effects carried out in one turn's write: a requester registered (or a new password),
a company linked, a ticket opened, an action posted (and the messages it saved remembered), an action
marked deleted or reacted to, a closed ticket reopened or rated.

Every write goes into the turn's `TurnWrite` (committed at once with the conversation), and ids
come from the WhatsApp message, so a redelivered message cannot write twice. A new effect is
carried out here and in tests/unit/dialog_world.py's `World.apply`; tests/integration/
test_dialog_contract.py proves they agree.
"""

from __future__ import annotations

from datetime import datetime

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.aws import s3
from helpdesk.domain.conversation import (
    CreateTicket,
    LinkCompany,
    MarkDeleted,
    PostAction,
    RateTicket,
    ReactToAction,
    RecordOffer,
    RegisterRequester,
    ReopenTicket,
    ResetCredentials,
)
from helpdesk.domain.credentials import generate_password, hash_password
from helpdesk.domain.messages import Attachment, InboundMessage
from helpdesk.logic.services import Services
from helpdesk.storage import offers, phones, ratings, saved, statuses, tickets
from helpdesk.storage.dialog_context import TableDialogContext
from helpdesk.storage.phones import CompanyLink, Conversation
from helpdesk.storage.tickets import Action, Ticket
from helpdesk.storage.transaction import TurnWrite


def apply_effects(
    effects,
    context: TableDialogContext,
    message: InboundMessage,
    now: datetime,
    write: TurnWrite,
    services: Services,
    conversation: Conversation,
) -> tuple[dict[str, str], dict[str, str]]:
    """Adds each effect's writes to the turn; returns the values its replies show (plain, secret).
    What the turn saves from the requester's messages is noted on `conversation` (storage.saved)."""
    snapshot = context.snapshot
    fills: dict[str, str] = {}
    secret_fills: dict[str, str] = {}
    for effect in effects:
        match effect:
            case RegisterRequester() | ResetCredentials():
                fills["username"], secret_fills["password"] = _credentials(
                    effect, context, message, now, write
                )
            case LinkCompany(cnpj=cnpj):
                phones.link(write, link(context, message.phone, cnpj, now))
            case CreateTicket():
                effect = replace(effect, attachments=kept(effect.attachments))
                ticket, opening = create_ticket(effect, snapshot, message, now, write)
                saved.remember(conversation, effect.message_ids, int(ticket.number), opening, now)
                fills["ticket_number"] = str(ticket.number)
            case PostAction():
                effect = replace(effect, attachments=kept(effect.attachments))
                action = post_action(effect, snapshot, message, now, write)
                if action is not None:
                    saved.remember(conversation, effect.message_ids, effect.ticket_number, action, now)
            case MarkDeleted(action=ref):
                saved.mark_deleted(write, ref, now)
                saved.forget_deleted(conversation, message.target_id or "")
            case ReactToAction(action=ref, emoji=emoji):
                saved.react(write, ref, emoji, message.message_id, now)
            case ReopenTicket() | RateTicket():
                _after_closing(effect, snapshot, message, now, write, services)
            case RecordOffer():
                offers.record(
                    write,
                    phone=message.phone,
                    instance=message.instance,
                    offered_at=effect.offered_at,
                    cnpj=effect.cnpj,
                    articles=effect.articles,
                    outcome=effect.outcome,
                    now=now,
                )
    return fills, secret_fills


def _credentials(
    effect: RegisterRequester | ResetCredentials,
    context: TableDialogContext,
    message: InboundMessage,
    now: datetime,
    write: TurnWrite,
) -> tuple[str, str]:
    """Registers the requester (or gives them a new password); their username and password."""
    snapshot = context.snapshot
    password = generate_password()
    if isinstance(effect, RegisterRequester):
        requester = phones.new_requester(
            phone=message.phone,
            name=effect.name,
            email=effect.email,
            password_hash=hash_password(password),
            instance=message.instance,
            now=now,
            bsuid=message.bsuid,
            whatsapp_username=message.username,
        )
        phones.register(write, requester)
        phones.link(write, link(context, message.phone, effect.cnpj, now))
        snapshot.requester = requester
        return requester.username, password
    assert snapshot.requester is not None  # the dialog offers recovery to registered requesters only
    phones.reset_credentials(write, snapshot.requester, hash_password(password))
    return snapshot.requester.username, password


def _after_closing(
    effect: ReopenTicket | RateTicket, snapshot, message: InboundMessage, now, write: TurnWrite, services
) -> None:
    """The requester's answer to "was it solved?": the ticket reopened, or rated."""
    ticket = tickets.own_ticket(message.phone, effect.ticket_number)
    if ticket is None or snapshot.requester is None:
        return
    action_id = f"wa-{message.message_id}"
    if isinstance(effect, ReopenTicket):
        ratings.reopen(
            ticket,
            status=statuses.managed().reopened,
            author_name=snapshot.requester.name,
            text=texts.REOPENED_BY_REQUESTER,
            action_id=action_id,
            now=now,
            write=write,
        )
        return
    ratings.rate(
        ticket,
        rating=effect.rating,
        comment=effect.comment,
        author_name=snapshot.requester.name,
        action_id=action_id,
        now=now,
        write=write,
    )


def kept(attachments: tuple[Attachment, ...]) -> tuple[Attachment, ...]:
    """The draft's files, moved out of the staging area before the ticket refers to them."""
    return tuple(replace(attachment, key=s3.keep(attachment.key)) for attachment in attachments)


def link(context: TableDialogContext, phone: str, cnpj: str, now: datetime) -> CompanyLink:
    company = context.find_company(cnpj)
    return phones.company_link(
        phone=phone, cnpj=cnpj, company_name=company.name if company else cnpj, now=now
    )


def create_ticket(effect: CreateTicket, snapshot, message, now, write: TurnWrite) -> tuple[Ticket, Action]:
    company = next((c for c in snapshot.links if c.cnpj == effect.cnpj), None)
    chosen = effect.request_type_id
    return tickets.open_numbered_ticket(
        write,
        requester=snapshot.requester,
        cnpj=effect.cnpj,
        company_name=company.company_name if company else effect.cnpj,
        instance=message.instance,
        title=effect.title,
        description=effect.description,
        request_type=(chosen, effect.request_type_name or "") if chosen else None,
        attachments=effect.attachments,
        source="whatsapp",
        action_id=f"wa-{message.message_id}",  # a redelivered message cannot add it twice
        now=now,
        origin_message_id=message.message_id,
        opened_out_of_hours=effect.out_of_hours,
        offered_articles=effect.offered_articles,
    )


def requester_action(
    ticket: Ticket, snapshot, message: InboundMessage, text: str, attachments, now
) -> Action:
    """What the requester said on a ticket; its id comes from the WhatsApp message, so a
    redelivered message cannot add it twice."""
    return tickets.new_action(
        ticket=ticket,
        author_kind="requester",
        author_name=snapshot.requester.name,
        text=text,
        attachments=attachments,
        source="whatsapp",
        now=now,
        action_id=f"wa-{message.message_id}",
    )


def post_action(effect: PostAction, snapshot, message, now, write: TurnWrite) -> Action | None:
    ticket = tickets.own_ticket(message.phone, effect.ticket_number)
    if ticket is None:
        return None  # the dialog only offers the requester's own tickets; never write to another's
    action = requester_action(ticket, snapshot, message, effect.text, effect.attachments, now)
    moved = statuses.managed().after_requester_reply(ticket.status)  # waiting for them: the team's turn
    tickets.add_action(write, ticket, action, now, unique_id=False, new_status=moved)
    return action
