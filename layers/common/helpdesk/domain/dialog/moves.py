"""The three moves every handler ends in, and the replies they build.

`go` (to a step, asking its question), `again` (a hint and the same question) or `end` (goodbye).
`tickets_menu` is `go` to the menu every flow comes back to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    Effect,
    Reply,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.menus import Question
from helpdesk.domain.messages import MediaRefusal
from helpdesk.domain.step_data import StepData

# Placeholders only the executor can fill (see Reply.fill).
CREDENTIALS = ("username", "password")
TICKET_NUMBER = ("ticket_number",)

# What a step's row holds (see STEPS at the entrance). A text handler returns None only where an
# answer is optional: the message then goes to the conversation the question interrupted.
TextHandler = Callable[[ConversationState, str, DialogContext], TurnResult | None]
MediaHandler = Callable[[ConversationState, TurnInput, DialogContext], TurnResult]
Prompt = Callable[[ConversationState, DialogContext], Question]
Back = Callable[[ConversationState, DialogContext], TurnResult | None]


def not_kept(turn: TurnInput, ctx: DialogContext) -> str:
    """Why a file the requester sent did not reach the media bucket."""
    if turn.media_refused is MediaRefusal.TOO_LARGE:
        return texts.media_too_large(ctx.settings.max_media_bytes // (1024 * 1024))
    return texts.MEDIA_UNSUPPORTED if turn.media_refused is not None else texts.MEDIA_FAILED


def prompt(state: ConversationState, ctx: DialogContext) -> Question:
    """The question `state.step` asks (its menu, when it has one, is the step's options)."""
    # Read at call time: the step table names every flow's handlers, and they all move through here.
    from helpdesk.domain.dialog import STEPS

    return STEPS[state.step].ask(state, ctx)


def go(
    step: Step,
    ctx: DialogContext,
    *,
    cnpj: str | None = None,
    data: StepData | None = None,
    lead: str | None = None,
    before: tuple[Reply, ...] = (),
    effects: tuple[Effect, ...] = (),
) -> TurnResult:
    """Move to `step` and ask its question (`lead` opens the same message, `before` goes first)."""
    state = ConversationState(step=step, cnpj=cnpj, data=data or StepData())
    return TurnResult(state, (*before, asking(state, ctx, lead)), effects)


def again(state: ConversationState, ctx: DialogContext, hint: str) -> TurnResult:
    """Stay where we are: a short hint and the same question."""
    return TurnResult(state, (asking(state, ctx, hint),))


def asking(state: ConversationState, ctx: DialogContext, *lead: str | None) -> Reply:
    """The reply that asks `state`'s question (with its menu), `lead` opening it."""
    return ask(prompt(state, ctx), *lead)


def ask(question: Question, *lead: str | None) -> Reply:
    return Reply(join(*lead, question.text), menu=question.menu)


def end(ctx: DialogContext, lead: str | None = None) -> TurnResult:
    return go(Step.ENDED, ctx, lead=lead)


def tickets_menu(cnpj: str, ctx: DialogContext, *, page: int = 0, **kwargs: Any) -> TurnResult:
    """To the tickets menu of the company `cnpj` (every flow comes back to it)."""
    return go(Step.TICKETS_MENU, ctx, cnpj=cnpj, data=StepData(page=page), **kwargs)


def join(*parts: str | None) -> str:
    return "\n\n".join(part for part in parts if part)


def led(result: TurnResult, *lead: str | None) -> TurnResult:
    """`result` with `lead` opening its first message."""
    first, *rest = result.replies
    return replace(result, replies=(replace(first, text=join(*lead, first.text)), *rest))


def untokenized(text: str) -> str:
    """User text going into a Reply with `fill`: it must not smuggle one of the tokens in."""
    for name in (*CREDENTIALS, *TICKET_NUMBER):
        text = text.replace("{" + name + "}", name)
    return text
