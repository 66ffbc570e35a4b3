"""Actions posted on a ticket outside the WhatsApp dialog: by agents (ERP, admin console) and by
requesters on the portal. The table stream carries agents' actions to the notifier."""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.domain.messages import Attachment
from helpdesk.logic.services import Services
from helpdesk.storage import statuses, tickets
from helpdesk.storage.tickets import Action
from helpdesk.storage.transaction import ConcurrentUpdate, TurnWrite


class TicketNotFound(Exception):
    pass


class DuplicateAction(Exception):
    """An action with this id exists already (a redelivered event)."""


def post_action(
    services: Services,
    ticket_number: int,
    *,
    author_kind: str,
    author_name: str,
    text: str,
    source: str,
    attachments: Sequence[Attachment] = (),
    action_id: str | None = None,
    visible_to_requester: bool = True,
    status: str | None = None,
    closes: bool = False,
) -> Action:
    """Writes the action and the ticket's summary in one transaction.

    With `status`, the action records a status change and the ticket takes that status; a
    requester's message on a ticket waiting for them moves it to the status where the team must act
    (the managed list's roles); `closes` marks a closing (the notifier then asks the requester whether the problem is solved).
    The same `action_id` twice raises DuplicateAction and writes nothing.
    """
    now = services.clock()
    ticket = tickets.get_ticket(ticket_number)
    if ticket is None:
        raise TicketNotFound(ticket_number)
    action = tickets.new_action(
        ticket=ticket,
        author_kind=author_kind,
        author_name=author_name,
        text=text,
        attachments=attachments,
        source=source,
        now=now,
        action_id=action_id,
        kind="status" if status else "message",
        status=status,
        visible_to_requester=visible_to_requester,
    )
    if closes:
        action.closes = True
    moved = statuses.managed().after_requester_reply(ticket.status) if author_kind == "requester" else None
    write = TurnWrite()
    tickets.add_action(write, ticket, action, now, unique_id=True, new_status=moved)
    try:
        write.commit()
    except ConcurrentUpdate as error:
        if tickets.has_action_id(ticket, action.action_id):
            raise DuplicateAction(action.action_id) from error
        raise
    return action
