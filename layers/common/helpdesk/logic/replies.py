"""Which ticket a message answers, from the notifications the phone got (see storage.notified).

- A reply quoting a notification names its ticket: found among the phone's last notifications
  (already read with the phone's partition) or, for an older one, in the sent-message log, and
  only if the log says it was sent to this very phone and the ticket is still this requester's.
- A message that comes after a notification, within the conversation time, is about that ticket
  (the dialog opens it when no conversation is going on).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from helpdesk.domain.conversation import TicketRef
from helpdesk.domain.messages import InboundMessage
from helpdesk.storage import notified
from helpdesk.storage.repository import PhoneSnapshot


def quoted_ticket(message: InboundMessage, snapshot: PhoneSnapshot) -> TicketRef | None:
    if not message.quoted_id:
        return None
    for notification in reversed(notified.recent(snapshot.notified)):
        if message.quoted_id in notification.message_ids:
            return TicketRef(notification.ticket_number, notification.cnpj)
    return None


def notified_ticket(snapshot: PhoneSnapshot, now: datetime, idle_minutes: int) -> TicketRef | None:
    notifications = notified.recent(snapshot.notified)
    if not notifications:
        return None
    last = notifications[-1]
    conversation = snapshot.conversation
    if conversation is not None and conversation.last_activity >= last.at:
        return None  # the requester wrote since: that message already had its chance
    if last.at + timedelta(minutes=idle_minutes) <= now:
        return None
    return TicketRef(last.ticket_number, last.cnpj)
