"""The Cloud API's 24-hour customer service window, for notifications (issue #13).

Meta delivers free-form messages only within 24 hours of the requester's last message; outside it
only an approved template goes out (anything else is refused with error 131047). The notifier
checks the last inbound time it already read (the conversation's `last_activity`) and sends the
template when the window is closed or unknown; a 131047 refusal of a text (the clock of Meta and
ours disagree, or the conversation item is gone) is answered with the template, never a retry.
Gateways without templates (Evolution, the simulator) have no window: they always get the text.

Meta may also accept the text and refuse it later: a `failed` status with error 131047 on a logged
notification wakes the notifier through the table stream (the sent log's MODIFY), which sends the
template once for that action (`reengage`).

A closing asks whether the problem is solved (issue #15) in the template too: its short text (the
`text` parameter) carries the question instead of the agent's words, and the conversation waits
for the answer as it does inside the window, so "1"/"2" (or a quick-reply button) closes the loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger
from msgspec import Struct

from helpdesk import texts
from helpdesk.config import Settings
from helpdesk.gateways.base import OutsideWindow, SentMessage, WhatsAppGateway
from helpdesk.logic import fix_question
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import aliases, idempotency, tickets
from helpdesk.storage import sent as sent_log

logger = Logger(child=True)

WINDOW = timedelta(hours=24)
# Template parameters: no newline or tab, at most 4 spaces in a row (Meta refuses the message).
_PARAM_CHARS = {"number": 12, "title": 60, "text": 120, "author": 40, "status": 40}
PARAM_NAMES = tuple(_PARAM_CHARS)


class Notice(Struct, frozen=True):
    """What a template can say about an agent's action."""

    number: int
    title: str
    text: str
    author: str = ""
    status: str = ""


class Delivery(Struct, frozen=True):
    sent: SentMessage | None
    kind: str  # "notification" (the full text) | "template"


def supports_templates(gateway: WhatsAppGateway) -> bool:
    return gateway.sends_templates


def inside(last_inbound: datetime | None, now: datetime) -> bool:
    return last_inbound is not None and now - last_inbound < WINDOW


def carries_question(config: Settings) -> bool:
    """Whether the configured template has room for the fix question (its `text` parameter)."""
    return "text" in config.cloud_template_params


def template_params(names: Sequence[str], notice: Notice) -> list[str]:
    values = {
        "number": str(notice.number),
        "title": notice.title,
        "text": notice.text,
        "author": notice.author,
        "status": notice.status,
    }
    params = []
    for name in names:
        if name not in _PARAM_CHARS:
            raise ValueError(f"CLOUD_TEMPLATE_PARAMS: unknown parameter {name!r}; expected {PARAM_NAMES}")
        value = " ".join(values[name].split()) or "-"  # Meta refuses an empty parameter
        limit = _PARAM_CHARS[name]
        params.append(value if len(value) <= limit else value[: limit - 1].rstrip() + "…")
    return params


def send_template(gateway: WhatsAppGateway, config: Settings, instance: str, to: str, notice: Notice):
    params = template_params(config.cloud_template_params, notice)
    sent = gateway.send_template(
        instance, to, config.cloud_template_name, config.cloud_template_language, params
    )
    return Delivery(sent, "template")


def notify(
    gateway: WhatsAppGateway,
    config: Settings,
    instance: str,
    to: str,
    text: str,
    notice: Notice,
    *,
    last_inbound: datetime | None,
    now: datetime,
) -> Delivery:
    """The notification as text inside the window, as the template outside it (Cloud API only)."""
    if not supports_templates(gateway):
        return Delivery(gateway.send_text(instance, to, text), "notification")
    if not inside(last_inbound, now):
        return send_template(gateway, config, instance, to, notice)
    try:
        return Delivery(gateway.send_text(instance, to, text), "notification")
    except OutsideWindow:
        return send_template(gateway, config, instance, to, notice)


def reengage_once(refused: dict, services: Services) -> None:
    """The template for a notification Meta refused after accepting it (131047): once per action."""
    send_once = idempotency.once(
        idempotency.REENGAGE,
        lambda refused, services: reengage(refused, services.gateway, services.config, services.clock()),
        table_name=services.config.table_name,
        data_keyword="refused",
    )
    send_once(refused=refused, services=services)


def reengage(image: dict, gateway: WhatsAppGateway, config: Settings, now: datetime) -> dict[str, int]:
    """Sends the template for a notification refused with 131047 (run once per action)."""
    record = sent_log.from_image(image)
    ticket = tickets.get_ticket(record.ticket_number) if record.ticket_number is not None else None
    if ticket is None or not supports_templates(gateway):
        return {"sent": 0}
    number = int(ticket.number)
    # The refused text may have asked whether the closing solved it: the template asks instead.
    asked = fix_question.waits_for_answer(record.phone, number, now)
    text = texts.TEMPLATE_ASK_FIX if asked else sent_log.notified_text(record)
    notice = Notice(number=number, title=ticket.title, text=text)
    to = aliases.address_of(record.phone) or record.phone  # a changed number or BSUID (logic.identity)
    delivery = send_template(gateway, config, record.instance, to, notice)
    if delivery.sent is not None and delivery.sent.message_id:
        sent_log.record_sent(
            delivery.sent.message_id,
            phone=record.phone,
            instance=record.instance,
            kind=delivery.kind,
            at=now,
            ticket_number=record.ticket_number,
            action_id=record.action_id,
            action_key=record.action_key,
        )
    logger.info(
        "refused notification re-sent as the template",
        extra={"ticket_number": record.ticket_number, "phone": mask_phone(record.phone)},
    )
    return {"sent": 1}
