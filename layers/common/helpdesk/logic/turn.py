"""One dialog turn: an inbound WhatsApp message in, the conversation moved on, replies out.

Reads the phone's partition, stores media the dialog can use, runs the pure dialog, commits every
write of the turn at once (with the replies as an outbox; a transaction when it touches several
items, a conditional put when only the conversation changes), then sends the replies and marks the
outbox sent. The turn is idempotent by WhatsApp message id: a redelivered message finds
its id in the conversation and at most re-sends an outbox that a crash left unsent.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import datetime

from aws_lambda_powertools import Logger

from helpdesk import media, texts
from helpdesk.domain import dialog
from helpdesk.domain.conversation import (
    ConversationState,
    CreateTicket,
    DialogSettings,
    LinkCompany,
    MarkDeleted,
    PostAction,
    RateTicket,
    ReactToAction,
    RegisterRequester,
    ReopenTicket,
    Reply,
    ResetCredentials,
    Step,
)
from helpdesk.domain.corrections import CHANGES
from helpdesk.domain.credentials import generate_password, hash_password
from helpdesk.domain.menus import split_menu
from helpdesk.domain.messages import Attachment, InboundMessage
from helpdesk.logic import turn_input
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import phones, ratings, saved, tickets
from helpdesk.storage.phones import CompanyLink, Conversation, TableDialogContext
from helpdesk.storage.tickets import Action, Ticket
from helpdesk.storage.transaction import ConcurrentUpdate, TurnWrite

logger = Logger(child=True)

RECENT_MESSAGE_IDS = 20
CONFLICT_ATTEMPTS = 3
SECRET_FILLS = frozenset({"password"})


def handle_inbound(message: InboundMessage, services: Services) -> None:
    """Runs the turn; a transaction cancelled by a concurrent writer is run again from the read."""
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return run_turn(message, services)
        except ConcurrentUpdate:
            if attempt == CONFLICT_ATTEMPTS:
                raise  # SQS redelivers it after the visibility timeout
            logger.warning(
                "turn conflicted with another writer; running it again", extra={"attempt": attempt}
            )
            time.sleep(random.uniform(0.02, 0.1) * attempt)


def run_turn(message: InboundMessage, services: Services) -> None:
    snapshot = phones.load_phone(message.phone)
    conversation = snapshot.conversation
    if conversation is not None:
        # A crash between commit and send left replies behind: they go out before anything new.
        deliver_outbox(conversation, message.instance, services)
        if message.message_id in conversation.recent_message_ids:
            logger.info("duplicate message ignored", extra={"message_id": message.message_id})
            return

    now = services.clock()
    state, paused = current_state(conversation, now, services.config.conversation_ttl_minutes)
    known = turn_input.circumstances(message, snapshot, now, paused, services)
    turn = turn_input.prepare_input(message, state, known, services)
    limits = DialogSettings(
        portal_url=services.config.portal_url,
        max_media_bytes=services.config.media_max_bytes,
        privacy_contact=services.config.privacy_contact,
    )
    context = TableDialogContext(snapshot, now, limits, instance=message.instance)
    result = dialog.handle(state, turn, context)
    if message.kind in CHANGES and not result.effects and state in (None, result.state):
        logger.info("a change of a message nothing holds", extra={"kind": message.kind.value})
        return  # an edit, delete or reaction that touches nothing: nothing to write or say

    write = TurnWrite()
    conversation = phones.conversation_of(snapshot)
    fills, secret_fills = apply_effects(result.effects, context, message, now, write, services, conversation)
    conversation = next_conversation(conversation, message, result.state, result.replies, fills, now)
    phones.save_conversation(write, conversation)
    write.count_stats(
        message.instance,
        now,
        message.phone,
        received=1,
        sent=len(result.replies),
        conversations=int(state is None or paused or state.step is Step.ENDED),
        tickets=sum(isinstance(effect, CreateTicket) for effect in result.effects),
    )
    write.commit()
    logger.info(
        "turn committed",
        extra={
            "phone": mask_phone(message.phone),
            "step": result.state.step.value,
            "replies": len(result.replies),
        },
    )
    # Replies go where the message came from, as the gateway named it (not the normalized identity).
    to = message.reply_to or message.phone
    send_replies(result.replies, {**fills, **secret_fills}, message.instance, to, services)
    if result.replies:
        phones.mark_outbox_sent(conversation, message.message_id)


def current_state(
    conversation: Conversation | None, now: datetime, idle_minutes: int
) -> tuple[ConversationState | None, bool]:
    """The stored state (None once the item expired: TTL deletion lags behind) and whether a pause
    interrupted it (idle past the conversation time: the dialog offers a draft back or starts over)."""
    if conversation is None or conversation.expires_at <= now:
        return None, False
    state = ConversationState.from_dict(conversation.state)
    return state, phones.conversation_idle(conversation, now, idle_minutes)


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
            case RegisterRequester(name=name, email=email, cnpj=cnpj):
                password = generate_password()
                requester = phones.new_requester(
                    phone=message.phone,
                    name=name,
                    email=email,
                    password_hash=hash_password(password),
                    instance=message.instance,
                    now=now,
                    bsuid=message.bsuid,
                    whatsapp_username=message.username,
                )
                phones.register(write, requester)
                phones.link(write, link(context, message.phone, cnpj, now))
                snapshot.requester = requester
                fills["username"], secret_fills["password"] = requester.username, password
            case ResetCredentials():
                assert (
                    snapshot.requester is not None
                )  # the dialog offers recovery to registered requesters only
                password = generate_password()
                phones.reset_credentials(write, snapshot.requester, hash_password(password))
                fills["username"], secret_fills["password"] = snapshot.requester.username, password
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
            case ReopenTicket(ticket_number=number):
                ticket = own_ticket(number, message.phone)
                if ticket is not None and snapshot.requester is not None:
                    ratings.reopen(
                        ticket,
                        status=services.config.reopened_status,
                        author_name=snapshot.requester.name,
                        text=texts.REOPENED_BY_REQUESTER,
                        action_id=f"wa-{message.message_id}",
                        now=now,
                        write=write,
                    )
            case RateTicket(ticket_number=number, rating=rating, comment=comment):
                ticket = own_ticket(number, message.phone)
                if ticket is not None and snapshot.requester is not None:
                    ratings.rate(
                        ticket,
                        rating=rating,
                        comment=comment,
                        author_name=snapshot.requester.name,
                        action_id=f"wa-{message.message_id}",
                        now=now,
                        write=write,
                    )
    return fills, secret_fills


def own_ticket(number: int, phone: str):
    """The ticket, if it is this phone's: the dialog only offers those; never write to another's."""
    ticket = tickets.get_ticket(number)
    return ticket if ticket is not None and ticket.requester_phone == phone else None


def kept(attachments: tuple[Attachment, ...]) -> tuple[Attachment, ...]:
    """The draft's files, moved out of the staging area before the ticket refers to them."""
    return tuple(replace(attachment, key=media.keep(attachment.key)) for attachment in attachments)


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
    ticket = tickets.get_ticket(effect.ticket_number)
    if ticket is None or ticket.requester_phone != message.phone:
        return None  # the dialog only offers the requester's own tickets; never write to another's
    action = requester_action(ticket, snapshot, message, effect.text, effect.attachments, now)
    tickets.add_action(write, ticket, action, now, unique_id=False)
    return action


def next_conversation(conversation: Conversation, message, state, replies, fills, now) -> Conversation:
    conversation.instance = message.instance
    conversation.state = state.to_dict()
    conversation.recent_message_ids = [
        *(conversation.recent_message_ids or [])[-(RECENT_MESSAGE_IDS - 1) :],
        message.message_id,
    ]
    conversation.outbox_message_id = message.message_id
    conversation.outbox = phones.outbox(replies)
    conversation.outbox_sent = not replies
    conversation.outbox_values = fills  # never the password: SECRET_FILLS stay in memory only
    if message.kind not in CHANGES or conversation.last_activity is None:
        # An edit, delete or reaction is not activity: a pause it falls in stays a pause.
        conversation.last_activity = now
        conversation.expires_at = phones.conversation_expiry(now)
    return conversation


def render(reply: Reply, values: dict[str, str]) -> str:
    text = reply.text
    for name in reply.fill:
        text = text.replace("{" + name + "}", values.get(name, ""))
    return text


def send_replies(replies, values: dict[str, str], instance: str, phone: str, services: Services) -> None:
    gateway = services.gateway
    send_menu = getattr(gateway, "send_menu", None)  # tappable menus (Cloud API); the rest get text
    for reply in replies:
        text = render(reply, values)
        question, options = split_menu(text) if callable(send_menu) else (text, ())
        if options and send_menu is not None:
            send_menu(instance, phone, question, options)
        else:
            gateway.send_text(instance, phone, text)


def deliver_outbox(conversation: Conversation, instance: str, services: Services) -> None:
    """Sends the replies of a committed turn whose send did not complete."""
    if conversation.outbox_sent or not conversation.outbox:
        return
    replies = [Reply(r.text, tuple(r.fill or ())) for r in conversation.outbox]
    values = dict(conversation.outbox_values or {})
    if any(SECRET_FILLS & set(reply.fill) for reply in replies):
        # The password was never stored: issue a new one rather than send a stale token.
        password = generate_password()
        phones.reissue_credentials(conversation.phone, hash_password(password))
        values["password"] = password
    logger.info("delivering a pending outbox", extra={"message_id": conversation.outbox_message_id})
    send_replies(replies, values, instance, conversation.phone, services)
    phones.mark_outbox_sent(conversation, conversation.outbox_message_id)
