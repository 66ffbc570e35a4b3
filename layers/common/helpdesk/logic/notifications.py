"""An agent's action, told to the requester on WhatsApp (the notifier's first concern).

`notify_requester` runs once per action id (Powertools idempotency on the single table,
`notify_once`): a text with the ticket, the author and the text (plus the action menu when the
requester is looking at that ticket, or how to open it), then each file as media. Outside the
Cloud API's 24-hour window only the template goes (`window`). When the action closes the ticket,
the text (or the template) asks whether it is solved and the conversation waits for the answer
(`fix_question`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from helpdesk import texts
from helpdesk.aws import s3
from helpdesk.domain.conversation import Step
from helpdesk.domain.messages import MediaKind, OutboundMedia
from helpdesk.gateways.base import GatewayRejected
from helpdesk.logic import fix_question, window
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import conversations, idempotency, notified, stats, tickets
from helpdesk.storage import sent as sent_log
from helpdesk.storage.conversations import Conversation
from helpdesk.storage.transaction import TurnWrite

logger = Logger(child=True)

MAX_TEXT = 3000  # WhatsApp caps a text near 4096 characters; the header and menu need room


def notify_once(action: dict[str, Any], services: Services) -> None:
    send_once = idempotency.once(
        idempotency.NOTIFY, notify_requester, table_name=services.config.table_name, data_keyword="action"
    )
    send_once(action=action, services=services)


def notify_requester(action: dict[str, Any], services: Services) -> dict[str, int]:
    number, phone, instance = int(action["ticket_number"]), action["requester_phone"], action["instance"]
    action_id = action["action_id"]
    ticket = tickets.get_ticket(number)
    if ticket is None:
        logger.warning("action of a missing ticket not notified", extra={"ticket_number": number})
        return {"sent": 0}
    gateway = services.gateway
    files = [f for f in action.get("attachments") or [] if f.get("key")]
    as_media = gateway.sends_media
    links = [] if as_media else [_link(f) for f in files]
    now = services.clock()
    # A requester who changed number or BSUID keeps their identity (`phone`) and is reached at `to`.
    conversation, address = conversations.conversation_and_address(phone)
    to = address or phone
    last_inbound = conversation.last_activity if conversation else None
    # Outside the Cloud API's 24-hour window only the template goes (no files); its short text
    # carries the fix question when the configured parameters have room for it.
    templated = window.supports_templates(gateway) and not window.inside(last_inbound, now)
    can_ask = not templated or window.carries_question(services.config)
    asks = bool(action.get("closes")) and can_ask and fix_question.claim(conversation, number, action_id, now)
    text = compose(
        action,
        ticket.title,
        viewing_ticket(conversation, number, now, services.config.conversation_ttl_minutes),
        len(files),
        links,
        asks=asks,
    )
    if asks:
        # The state first: an answer typed right after the message must find the question.
        fix_question.ask(conversation, phone, instance, (number, ticket.cnpj), action_id, now)
    delivery = window.notify(
        gateway,
        services.config,
        instance,
        to,
        text,
        notice(action, ticket.title, asks=asks),
        last_inbound=last_inbound,
        now=now,
    )
    log_sent(delivery, action, ticket.cnpj, now)
    sent_ids = [delivery.sent]
    for attachment in files if as_media and delivery.kind != "template" else ():
        try:
            sent_ids.append(gateway.send_media(instance, to, _outbound_media(attachment)))
        except GatewayRejected:
            # This gateway will not take this file: a link in a text does the job.
            sent_ids.append(gateway.send_text(instance, to, _link(attachment)))
    sent = len(sent_ids)
    remember_notification(phone, number, ticket.cnpj, sent_ids, now)
    write = TurnWrite()
    stats.add_counts(write, instance, services.clock(), phone, sent=sent)
    write.commit()
    logger.info(
        "requester notified",
        extra={
            "ticket_number": number,
            "phone": mask_phone(phone),
            "messages": sent,
            "action_id": action_id,
        },
    )
    return {"sent": sent}


def remember_notification(phone: str, number: int, cnpj: str, sent_ids: list, now: datetime) -> None:
    """Lets the requester's next message find the ticket: a quote of these messages, or a message
    soon after them (see logic.replies). Best effort: a failure here must not make the stream
    retry the record and notify twice."""
    ids = tuple(sent.message_id for sent in sent_ids if sent is not None and sent.message_id)
    try:
        notified.remember(phone, notified.Notification(number, cnpj, ids, now))
    except Exception:
        logger.exception("the notification could not be remembered", extra={"ticket_number": number})


def notice(action: dict[str, Any], title: str, *, asks: bool = False) -> window.Notice:
    """What the template says: the ticket, its title and the start of the agent's text (or, when
    the closing asks, the fix question: a template that said nothing would lose the answer)."""
    text = texts.TEMPLATE_ASK_FIX if asks else (action.get("text") or action.get("status") or "").strip()
    return window.Notice(
        number=int(action["ticket_number"]),
        title=title,
        text=text,
        author=texts.agent_name(action.get("author_name")),
        status=action.get("status") or "",
    )


def log_sent(delivery: window.Delivery, action: dict[str, Any], cnpj: str, now: datetime) -> None:
    """Logs the notification so its receipts reach the action (the admin sees delivered/read).
    Best effort, like remember_notification: a retry of the record would notify twice."""
    message_id = delivery.sent.message_id if delivery.sent else None
    if not message_id:
        return  # a gateway that gave no id: nothing a receipt could name
    try:
        sent_log.record_sent(
            message_id,
            phone=action["requester_phone"],
            instance=action["instance"],
            kind=delivery.kind,
            at=now,
            ticket_number=int(action["ticket_number"]),
            cnpj=cnpj,
            action_id=action.get("action_id"),
            action_key=action.get("sk"),
        )
    except Exception:
        logger.exception(
            "the notification could not be logged", extra={"ticket_number": action["ticket_number"]}
        )


def compose(
    action: dict[str, Any],
    title: str,
    viewing: bool,
    file_count: int,
    links: list[str],
    *,
    asks: bool = False,
) -> str:
    """The notification: header, the news, the files, then the action menu or how to open it (or,
    when the ticket was closed, whether it is solved)."""
    number = int(action["ticket_number"])
    author = texts.action_author("agent", action.get("author_name") or "")
    body = (action.get("text") or "").strip()
    if len(body) > MAX_TEXT:
        body = body[:MAX_TEXT] + "…"
    if action.get("kind") == "status" and action.get("status"):
        news = texts.notify_status_changed(author, action["status"], body)
    else:
        news = texts.notify_new_action(author, body)
    parts = [texts.notify_header(number, title), news]
    if file_count:
        parts.append("\n".join([texts.notify_attachments(file_count), *links]))
    if asks:
        parts.append(texts.ASK_FIX_CONFIRMED)
    else:
        parts.append(texts.action_menu(number) if viewing else texts.notify_how_to_open(number))
    return "\n\n".join(parts)


def viewing_ticket(conversation: Conversation | None, number: int, now: datetime, idle_minutes: int) -> bool:
    """Whether the requester's live conversation shows this ticket's action menu."""
    state = conversations.live_state(conversation, now)
    if (
        conversation is None
        or state is None
        or conversations.conversation_idle(conversation, now, idle_minutes)
    ):
        return False
    return state.step is Step.TICKET_MENU and state.data.ticket_number == number


def _outbound_media(attachment: dict[str, Any]) -> OutboundMedia:
    return OutboundMedia(
        kind=MediaKind(attachment.get("kind") or "document"),
        mimetype=attachment.get("mimetype") or "application/octet-stream",
        filename=attachment.get("filename") or "arquivo",
        url=s3.presigned_url(attachment["key"], attachment.get("filename")),
    )


def _link(attachment: dict[str, Any]) -> str:
    filename = attachment.get("filename") or "arquivo"
    return texts.notify_attachment_link(filename, s3.presigned_url(attachment["key"], filename))
