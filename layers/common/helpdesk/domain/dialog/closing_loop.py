"""Flow 7: after a ticket is closed: was it solved? a rating.

The notifier asks the question when an agent closes a ticket (`ask_fix`), keeping the state it
interrupts in data.resume. An answer moves on; anything else is not an answer (the handlers
return None) and the entrance hands it to the interrupted state (or to a new conversation): the
question is never a trap.
"""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    Effect,
    RateTicket,
    ReopenTicket,
    Step,
    TurnResult,
)
from helpdesk.domain.dialog import files, understood
from helpdesk.domain.dialog.answers import means, yes_no
from helpdesk.domain.dialog.heard import heard
from helpdesk.domain.dialog.moves import again, asking, go, led, tickets_menu
from helpdesk.domain.dialog.states import AFTER_CLOSING, is_consistent, resumed
from helpdesk.domain.menus import Question
from helpdesk.domain.ratings import rating_in
from helpdesk.domain.step_data import StepData
from helpdesk.domain.understanding import words


def ask_fix(current: ConversationState | None, ticket_number: int, cnpj: str) -> ConversationState:
    """The state in which the requester is asked whether the closed ticket is solved."""
    resume = current
    if resume is not None and resume.step in AFTER_CLOSING:  # an older question: dropped
        resume = resumed(resume)
    kept = resume if resume is not None and resume.step is not Step.ENDED else None
    return ConversationState(Step.CONFIRM_FIX, cnpj, StepData(ticket_number=ticket_number, resume=kept))


MIN_REASON_WORDS = 3  # "não" with this many words in all says what is still wrong


def on_fix_answer(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    number = state.data.ticket_number
    assert number is not None  # is_consistent checked it
    answer = yes_no(text)
    if answer is None or ctx.ticket(state.cnpj or "", number) is None:
        return None
    if answer:
        data = StepData(ticket_number=number, resume=state.data.resume)
        return go(Step.ASK_RATING, ctx, cnpj=state.cnpj, data=data, lead=texts.FIX_CONFIRMED)
    # "não, continua dando erro", "não, continua duplicando": what is wrong is the message's text
    if heard(state, text).problem or len(words(text)) >= MIN_REASON_WORDS:
        writing = ConversationState(Step.ASK_ACTION_TEXT, state.cnpj, StepData(ticket_number=number))
        noted = files.on_text(writing, text, ctx)
        return replace(led(noted, texts.ticket_reopened_noted(number)), effects=(ReopenTicket(number),))
    return go(
        Step.ASK_ACTION_TEXT,
        ctx,
        cnpj=state.cnpj,
        data=StepData(ticket_number=number),
        lead=texts.ticket_reopened(number),
        effects=(ReopenTicket(number),),
    )


def on_rating(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    if means(text, "pular"):
        return _resume(state, ctx, texts.RATING_SKIPPED)
    rating = rating_in(text)  # "4", "⭐⭐⭐⭐", "nota 4", "quatro", "5/5"...
    if rating is None:  # asked once more; then the conversation goes on without a rating
        if not state.data.misses:
            return understood.miss(state, ctx, texts.RATING_AGAIN)
        return _resume(state, ctx, texts.RATING_LEFT, going_on=True)
    data = replace(state.data, rating=rating)
    return go(Step.ASK_RATING_COMMENT, ctx, cnpj=state.cnpj, data=data)


def ask_rating_comment(state: ConversationState, ctx: DialogContext) -> Question:
    return Question(texts.ask_rating_comment(state.data.rating or 0))


def on_rating_comment(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    limit = ctx.settings.max_action_length
    if len(text) > limit:
        return again(state, ctx, texts.text_too_long(limit, len(text)))
    comment = None if means(text, "pular") or _no_comment(text) else text
    number, rating = state.data.ticket_number, state.data.rating
    assert number is not None and rating is not None  # is_consistent, on_rating set them
    rate = RateTicket(number, rating, comment)
    return _resume(state, ctx, texts.THANKS_FOR_RATING, effects=(rate,))


# A whole message that declines the comment ("não", "não precisa", "nada", "sem comentários").
_NO_COMMENT = frozenset(
    "nao|nao precisa|nao obrigado|nao obrigada|nada|nada nao|nenhum|sem comentario|sem comentarios|so isso|e isso".split(
        "|"
    )
)


def _no_comment(text: str) -> bool:
    return " ".join(word.strip(".,!?") for word in words(text)) in _NO_COMMENT


def back_to_rating(state: ConversationState, ctx: DialogContext) -> TurnResult:
    """`voltar` from the comment: the rating again (another note replaces the one given)."""
    return go(Step.ASK_RATING, ctx, cnpj=state.cnpj, data=replace(state.data, rating=None))


def _resume(
    state: ConversationState,
    ctx: DialogContext,
    lead: str,
    effects: tuple[Effect, ...] = (),
    *,
    going_on: bool = False,
) -> TurnResult:
    """Back to where the question found the requester (or a goodbye; `going_on`: the tickets
    menu instead), with `lead` first."""
    interrupted = resumed(state)
    if interrupted is None or interrupted.step is Step.ENDED or not is_consistent(interrupted, ctx):
        if going_on and ctx.requester is not None and state.cnpj:
            return tickets_menu(state.cnpj, ctx, lead=lead, effects=effects)
        return go(Step.ENDED, ctx, lead=lead, effects=effects)
    return TurnResult(interrupted, (asking(interrupted, ctx, lead),), effects)
