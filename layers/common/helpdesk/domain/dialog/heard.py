"""A message read once at its step (`helpdesk.domain.reading`): what the step asks decides how."""

from __future__ import annotations

from helpdesk.caches import register
from helpdesk.domain.conversation import ConversationState, Step
from helpdesk.domain.dialog.states import REGISTRATION
from helpdesk.domain.reading import Asks, Reading, read

# What each step asks, for reading a message there (a step not listed asks for text).
ASKS: dict[Step, Asks] = {
    Step.ASK_CNPJ: Asks.CNPJ,
    Step.LINK_CNPJ: Asks.CNPJ,
    Step.ASK_NAME: Asks.NAME,
    Step.ASK_EMAIL: Asks.EMAIL,
    Step.CHOOSE_COMPANY: Asks.MENU,
    Step.ACCESS_MENU: Asks.MENU,
    Step.TICKETS_MENU: Asks.MENU,
    Step.ASK_TYPE: Asks.MENU,
    Step.TICKET_MENU: Asks.MENU,
    Step.RESUME_DRAFT: Asks.MENU,
    Step.CONFIRM_FIX: Asks.YES_NO,
    Step.ASK_RATING: Asks.RATING,
}
# Where a problem described starts a ticket (or is kept for one: during the registration, and as
# the description of the one being drafted where its type is asked).
STARTS_A_TICKET = frozenset(
    {
        Step.TICKETS_MENU,
        Step.ACCESS_MENU,
        Step.CHOOSE_COMPANY,
        Step.LINK_CNPJ,
        Step.CONFIRM_FIX,
        Step.ASK_TYPE,
    }
    | REGISTRATION
)


# The last reading: a turn asks for it at the entrance and again in its step, for free.
_last: dict[tuple[str, Asks, bool], Reading] = {}


@register
def _forget() -> None:
    _last.clear()


def heard(state: ConversationState, text: str) -> Reading:
    """The message read at `state`'s step (once per turn: the steps ask again for free)."""
    key = (text, ASKS.get(state.step, Asks.TEXT), state.step in STARTS_A_TICKET)
    reading = _last.get(key)
    if reading is None:
        reading = read(text, key[1], problems=key[2])
        _last.clear()
        _last[key] = reading
    return reading


def carries_something(state: ConversationState, text: str) -> bool:
    """Whether a first message says more than hello: a field, a problem, a wish, a ticket."""
    reading = heard(state, text)
    carried = reading.extracted
    return bool(
        carried.cnpjs
        or carried.bad_cnpjs
        or carried.emails
        or carried.name
        or carried.ticket_numbers
        or reading.problem
        or reading.intents
    )
