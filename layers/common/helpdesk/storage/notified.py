"""Which tickets a phone was lately notified about, and by which WhatsApp messages.

One item in the phone's partition (`PHONE#<phone>` / `NOTIFIED`), written by the notifier after it
sends, read by the turn in the same query as the profile and the conversation: a reply quoting one
of these messages, or a message shortly after one, finds its ticket without another read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct
from pynamodb.exceptions import PutError

from helpdesk.storage.models import NotificationMap, Notified, phone_pk
from helpdesk.storage.transaction import condition_failed

KEPT = 10  # notifications remembered per phone; a quote of an older one goes to the sent log
NOTIFIED_TTL = timedelta(days=30)  # as long as the sent log keeps an id
ATTEMPTS = 3


class Notification(Struct, frozen=True):
    ticket_number: int
    cnpj: str
    message_ids: tuple[str, ...]
    at: datetime


def recent(item: Notified | None) -> list[Notification]:
    """The notifications in `item` (from the phone's snapshot), oldest first."""
    if item is None:
        return []
    return [
        Notification(int(entry.ticket_number), entry.cnpj, tuple(entry.message_ids or ()), entry.at)
        for entry in item.recent or []
    ]


def remember(phone: str, notification: Notification) -> None:
    """Adds a notification, dropping the oldest beyond KEPT. Versioned: two notifications to the same
    phone at once (different tickets, different stream shards) both end up in it."""
    entry = NotificationMap(
        ticket_number=notification.ticket_number,
        cnpj=notification.cnpj,
        message_ids=list(notification.message_ids),
        at=notification.at,
    )
    for attempt in range(1, ATTEMPTS + 1):
        try:
            item = Notified.get(phone_pk(phone), "NOTIFIED")
        except Notified.DoesNotExist:
            item = Notified(pk=phone_pk(phone), sk="NOTIFIED", phone=phone)
        item.recent = [*(item.recent or [])[-(KEPT - 1) :], entry]
        item.expires_at = notification.at + NOTIFIED_TTL
        try:
            item.save()
            return
        except PutError as error:
            if not condition_failed(error) or attempt == ATTEMPTS:
                raise
