"""The Cloud API's 24-hour customer service window, for notifications (issue #13).

Meta delivers free-form messages only within 24 hours of the requester's last message; outside it
only an approved template goes out (anything else is refused with error 131047). The notifier
checks the last inbound time it already read (the conversation's `last_activity`) and sends the
template when the window is closed or unknown; a 131047 refusal of a text (the clock of Meta and
ours disagree, or the conversation item is gone) is answered with the template, never a retry.
Gateways without templates (Evolution, the simulator) have no window: they always get the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from helpdesk.config import Settings
from helpdesk.gateways.base import OutsideWindow, SentMessage, WhatsAppGateway

WINDOW = timedelta(hours=24)
# Template parameters: no newline or tab, at most 4 spaces in a row (Meta refuses the message).
_PARAM_CHARS = {"number": 12, "title": 60, "text": 120, "author": 40, "status": 40}
PARAM_NAMES = tuple(_PARAM_CHARS)


@dataclass(frozen=True)
class Notice:
    """What a template can say about an agent's action."""

    number: int
    title: str
    text: str
    author: str = ""
    status: str = ""


@dataclass(frozen=True)
class Delivery:
    sent: SentMessage | None
    kind: str  # "notification" (the full text) | "template"


def supports_templates(gateway: WhatsAppGateway) -> bool:
    return callable(getattr(gateway, "send_template", None))


def inside(last_inbound: datetime | None, now: datetime) -> bool:
    return last_inbound is not None and now - last_inbound < WINDOW


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
    send = gateway.send_template  # type: ignore[attr-defined]
    return Delivery(
        send(instance, to, config.cloud_template_name, config.cloud_template_language, params), "template"
    )


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
