"""What a person wants, at any step, in any words (`helpdesk.domain.intents`): a person, to give
up what is being written, their portal access back, help, a ticket by its number.

`heard` reads a message once at its step (`domain.reading`); `wished` answers its intent when the
step's own answer does not come first (a rating at the rating step, a yes or a no where one is
asked, a CNPJ where it is asked). Each intent's answer is a row of `ANSWERS`.

- a person: agents answer on the ticket. About a ticket: its message is asked. Writing a ticket:
  the team answers it once opened. Otherwise a ticket is offered with what was said (or its
  subject asked); the hours come along when the team is away.
- giving up: a draft is dropped only after a yes (`confirming`); with nothing written, nothing
  is kept and the conversation ends.
- access: a new password (it lifts a portal lockout), mid-conversation too.
- help: the words of every step, these included.
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    Reply,
    ResetCredentials,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.dialog import drafts, understood
from helpdesk.domain.dialog.context import away_notice, companies, help_text
from helpdesk.domain.dialog.first_contact import begin
from helpdesk.domain.dialog.heard import ASKS, heard
from helpdesk.domain.dialog.moves import CREDENTIALS, again, end, go, join, led, tickets_menu
from helpdesk.domain.dialog.states import (
    ABOUT_A_TICKET,
    ACTION_DRAFT,
    TICKET_DRAFT,
    discarded,
    draft_label,
    in_the_welcome_burst,
    writing_a_message,
)
from helpdesk.domain.dialog.ticket_detail import asks_how_it_stands, back_to_ticket, open_ticket
from helpdesk.domain.dialog.tickets import how_they_stand
from helpdesk.domain.intents import Intent
from helpdesk.domain.messages import InboundKind
from helpdesk.domain.ratings import rating_in
from helpdesk.domain.reading import Asks, Reading
from helpdesk.domain.step_data import StepData
from helpdesk.domain.understanding import Social, choose, social, yes_or_no


def before_the_step(
    state: ConversationState, text: str, ctx: DialogContext
) -> tuple[ConversationState, TurnResult | None]:
    """What a typed message answers before the step reads it: the question a draft's discard or a
    slip asked, a greeting's next bubble, an intent. Returns the state the step goes on from (a
    question not answered is dropped) and the result, when one of those answered."""
    data = state.data
    if data.confirming:
        answered = confirmed_discard(state, text, ctx)
        if answered is not None:
            return state, answered
        state = replace(state, data=replace(data, confirming=False))
    if data.suggested is not None:
        answer = yes_or_no(text)
        state = replace(state, data=replace(state.data, suggested=None))
        if answer is not None:
            return state, _suggestion_answered(state, data.suggested, answer, ctx)
    if social(text) is Social.GREETING and in_the_welcome_burst(data, ctx.now.timestamp()):
        return state, TurnResult(state, ())  # "Oi" / "bom dia" / "tudo bem?": one welcome
    return state, wished(state, text, ctx)


def _suggestion_answered(
    state: ConversationState, number: str, answer: bool, ctx: DialogContext
) -> TurnResult | None:
    from helpdesk.domain.dialog import STEPS  # the step table names this module's callers

    if answer:
        on_text = STEPS[state.step].on_text
        return on_text(state, number, ctx) if on_text else None
    return understood.miss(state, ctx, texts.INVALID_OPTION)


def wished(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    """The answer to what the message wants, or None when the step answers it (or nothing is wanted)."""
    reading = heard(state, text)
    if (reading.intents or reading.extracted.ticket_numbers) and _the_step_answers(state, reading, ctx):
        return None
    for intent in reading.intents:
        answer = ANSWERS.get(intent)
        result = answer(state, reading, ctx) if answer else None
        if result is not None:
            return result
    numbers = reading.extracted.ticket_numbers
    if numbers and ctx.requester is not None and state.cnpj and state.step not in TICKET_DRAFT | ACTION_DRAFT:
        return _look_up(state, numbers[0], ctx)
    return None


def _the_step_answers(state: ConversationState, reading: Reading, ctx: DialogContext) -> bool:
    """Whether the message is plainly the step's answer: a rating, a yes or a no, a CNPJ where
    asked, or an option of its menu (a type called "Cancelamento" is picked, not a wish to cancel)."""
    if ASKS.get(state.step) is Asks.MENU:
        offered = understood.options(state, ctx)
        picked = choose(reading.text, offered, fuzzy=False).picked
        return picked is not None and any(option.number == picked for option in offered)
    if state.step is Step.ASK_RATING:
        return rating_in(reading.text) is not None
    if state.step in (Step.CONFIRM_FIX,):
        return yes_or_no(reading.text) is not None
    if state.step in (Step.ASK_CNPJ, Step.LINK_CNPJ):
        return bool(reading.extracted.cnpjs)
    return False


# --- the answers ------------------------------------------------------------------------------


def _to_a_person(state: ConversationState, reading: Reading, ctx: DialogContext) -> TurnResult:
    away = away_notice(ctx) if ctx.requester is not None else None
    if ctx.requester is None:  # the registration first; a problem told is kept for the ticket
        kept = _kept_problem(state, reading)
        return again(kept, ctx, join(texts.HUMAN_HERE, texts.HUMAN_AFTER_REGISTRATION))
    number = state.data.ticket_number if state.step in ABOUT_A_TICKET else _named_ticket(state, reading, ctx)
    if state.step in ACTION_DRAFT and number is not None:
        return again(state, ctx, join(texts.human_on_ticket(number), away))
    if number is not None:
        data = StepData(ticket_number=number)
        return go(
            Step.ASK_ACTION_TEXT,
            ctx,
            cnpj=state.cnpj,
            data=data,
            lead=join(texts.human_on_ticket(number), away),
        )
    if state.step in TICKET_DRAFT:
        return again(state, ctx, join(texts.HUMAN_AFTER_DRAFT, away))
    if not state.cnpj:
        return again(state, ctx, texts.HUMAN_HERE)
    if asks_how_it_stands(reading.text):  # "cadê meu chamado? ninguém respondeu": where they stand
        stands = how_they_stand(state.cnpj, ctx, lead=join(texts.HUMAN_HERE, away))
        if stands is not None:
            return stands
    if reading.problem:
        return drafts.start(state.cnpj, reading.told, (), ctx, lead=join(texts.HUMAN_HERE, away))
    return go(Step.ASK_SUBJECT, ctx, cnpj=state.cnpj, lead=join(texts.HUMAN_HERE, away))


def _named_ticket(state: ConversationState, reading: Reading, ctx: DialogContext) -> int | None:
    """The requester's ticket the message names ("... sobre o chamado 1042"), if any."""
    numbers = reading.extracted.ticket_numbers
    if not numbers or not state.cnpj or state.step in TICKET_DRAFT | ACTION_DRAFT:
        return None
    return numbers[0] if ctx.ticket(state.cnpj, numbers[0]) is not None else None


def _give_up(state: ConversationState, reading: Reading, ctx: DialogContext) -> TurnResult:
    label = draft_label(state)
    if label:
        asking = replace(state, data=replace(state.data, confirming=True))
        return TurnResult(asking, (Reply(texts.confirm_discard(label, message=writing_a_message(state))),))
    if ctx.requester is None:
        return end(ctx, lead=texts.REGISTRATION_STOPPED)
    return end(ctx, lead=texts.NOTHING_TO_CANCEL)


def confirmed_discard(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    """The answer to "descartar?": yes drops the draft, no keeps it; None for anything else (the
    question is dropped and the message read as usual)."""
    answer = yes_or_no(text)
    if answer is None:
        return None
    kept = replace(state, data=replace(state.data, confirming=False))
    message = writing_a_message(state)
    if not answer:
        return again(kept, ctx, texts.MESSAGE_KEPT if message else texts.DRAFT_KEPT)
    if message and state.step is not Step.RESUME_DRAFT:  # back to the ticket it was for
        return back_to_ticket(state, ctx)
    if ctx.requester is None or not state.cnpj:
        return led(begin(ctx), discarded(state))
    return tickets_menu(state.cnpj, ctx, lead=discarded(state))


def _recover(state: ConversationState, reading: Reading, ctx: DialogContext) -> TurnResult:
    if ctx.requester is None:
        return again(state, ctx, texts.RECOVERY_UNKNOWN)
    credentials = Reply(texts.access_recovered(ctx.settings.portal_url), fill=CREDENTIALS)
    effects = (ResetCredentials(),)
    if draft_label(state) or state.step in ABOUT_A_TICKET:  # it goes on where it was
        going_on = again(state, ctx, "")
        return TurnResult(going_on.state, (credentials, *going_on.replies), effects)
    cnpj = state.cnpj or (companies(ctx)[0].cnpj if len(companies(ctx)) == 1 else None)
    if cnpj:
        return tickets_menu(cnpj, ctx, before=(credentials,), effects=effects)
    chosen = begin(ctx)
    return TurnResult(chosen.state, (credentials, *chosen.replies), effects)


def _help(state: ConversationState, reading: Reading, ctx: DialogContext) -> TurnResult:
    return again(state, ctx, help_text(ctx))


def _new_ticket(state: ConversationState, reading: Reading, ctx: DialogContext) -> TurnResult | None:
    if ctx.requester is None or not state.cnpj or state.step not in (Step.ACCESS_MENU, Step.TICKET_MENU):
        return None
    if reading.problem:
        return drafts.start(state.cnpj, reading.told, (), ctx)
    return go(Step.ASK_SUBJECT, ctx, cnpj=state.cnpj)


def _look_up(state: ConversationState, number: int, ctx: DialogContext) -> TurnResult:
    opened = open_ticket(state.cnpj or "", number, ctx)
    return opened if opened is not None else again(state, ctx, texts.ticket_not_found(number))


def _kept_problem(state: ConversationState, reading: Reading) -> ConversationState:
    if not reading.problem or state.data.problem:
        return state
    return replace(state, data=replace(state.data, problem=reading.told))


Answer = Callable[[ConversationState, Reading, DialogContext], TurnResult | None]
ANSWERS: dict[Intent, Answer] = {
    Intent.HUMAN: _to_a_person,
    Intent.CANCEL: _give_up,
    Intent.RECOVERY: _recover,
    Intent.NEW_TICKET: _new_ticket,
    Intent.HELP: _help,
}


# Where the first message after a notification is read as the answer to it (unless it picks an
# option there): no conversation, or a menu. A draft or the closing questions take it as theirs.
_AT_A_MENU = frozenset({Step.ACCESS_MENU, Step.TICKETS_MENU, Step.CHOOSE_COMPANY})


def answers_the_notification(state: ConversationState | None, turn: TurnInput, ctx: DialogContext) -> bool:
    """Whether the first message after an agent's notification answers it, as a quoted reply
    would ("já reiniciei e nada", the print the agent asked for): a file, or text that is no
    greeting, thanks, wish or option of the menu shown. "Oi" opens the ticket instead."""
    if state is not None and state.step not in _AT_A_MENU:
        return False
    if turn.kind is InboundKind.MEDIA:
        return True
    text = (turn.text or "").strip()
    if turn.kind is not InboundKind.TEXT or not text or social(text) is not None:
        return False
    reading = heard(state or ConversationState(Step.ENDED), text)
    if reading.intents or reading.extracted.ticket_numbers or reading.extracted.cnpjs:
        return False
    return state is None or understood.missed(state, _picked_or_missed(state, text, ctx))


def _picked_or_missed(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    chosen = understood.choice(state, text, ctx)
    return chosen if isinstance(chosen, TurnResult) else TurnResult(state, ())
