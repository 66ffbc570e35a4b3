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
from helpdesk.storage import sent as sent_log
from helpdesk.storage.phones import PhoneSnapshot


def quoted_ticket(message: InboundMessage, snapshot: PhoneSnapshot) -> TicketRef | None:
    if not message.quoted_id:
        return None
    for notification in reversed(notified.recent(snapshot.notified)):
        if message.quoted_id in notification.message_ids:
            return TicketRef(notification.ticket_number, notification.cnpj)
    # An older notification: the sent-message log says where it went (one read). A message sent
    # to another phone is never taken as this requester's ticket.
    record = sent_log.find_sent(message.quoted_id)
    if record is None or record.phone != message.phone or record.ticket_number is None or not record.cnpj:
        return None
    return TicketRef(record.ticket_number, record.cnpj)


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
