"""The closing loop's question (issue #15): when an agent closes a ticket, is it solved?

The notifier asks it with the closing's notification (in the text, or in the template's short
text outside the Cloud API's 24-hour window) once per closing (`claim`), and puts the conversation
in the state that waits for the answer (`dialog.ask_fix`, keeping the state it interrupts). That
write goes through the conversation's one writer, guarded like a turn: versioned (a turn that
wrote meanwhile makes it read again and ask on top of it) and idempotent by the closing's action
(a redelivered stream record finds it applied and writes nothing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from helpdesk.domain.conversation import Step
from helpdesk.storage import conversations, ratings
from helpdesk.storage.conversations import Conversation
from helpdesk.storage.transaction import ConcurrentUpdate, TurnWrite

logger = Logger(child=True)

FIX_QUESTION_HOURS = 24  # a closing is often read hours later; past this, no answer = stays closed
CONFLICT_ATTEMPTS = 3  # as a turn's


def write_id(action_id: str) -> str:
    """What the conversation remembers of the question a closing (its action) asked."""
    return f"fix:{action_id}"


def claim(conversation: Conversation | None, number: int, action_id: str, now: datetime) -> bool:
    """Whether this closing asks: the first closing of the ticket since it was (re)opened, or the
    same closing delivered again after its question was stored (it asks again, writes nothing)."""
    return ratings.claim_fix_question(number, now) or conversations.applied(conversation, write_id(action_id))


def ask(
    conversation: Conversation | None,
    phone: str,
    instance: str,
    ticket: tuple[int, str],
    action_id: str,
    now: datetime,
) -> None:
    """Puts the question of ticket (number, cnpj) in the conversation (as read; read again after
    a concurrent turn), keeping the state it interrupts to resume it."""
    from helpdesk.domain import dialog  # only a closing asks: the notifier's other paths skip its import

    number, cnpj = ticket
    applied_as = write_id(action_id)
    for _ in range(CONFLICT_ATTEMPTS):
        if conversations.applied(conversation, applied_as):
            return  # a redelivered closing: asked already
        state = dialog.ask_fix(conversations.live_state(conversation, now), number, cnpj)
        asking = conversations.unprompted(conversation, phone, instance)
        asking.state = state.to_dict()
        asking.expires_at = now + timedelta(hours=FIX_QUESTION_HOURS)
        write = TurnWrite()
        conversations.save_conversation(write, asking, applied_as)
        try:
            write.commit()
            return
        except ConcurrentUpdate:
            conversation = conversations.get_conversation(phone)  # a turn wrote meanwhile: ask on top of it
    logger.warning("the fix question could not be stored", extra={"ticket_number": number})


def waits_for_answer(phone: str, number: int, now: datetime) -> bool:
    """Whether the requester's conversation still waits for the fix answer on this ticket."""
    state = conversations.live_state(conversations.get_conversation(phone), now)
    return state is not None and state.step is Step.CONFIRM_FIX and state.data.ticket_number == number
