"""Answers read as people write them, at every menu (see helpdesk.domain.understanding).

- `choice`: the option a message picks at a numbered menu (its number, its title or words of it;
  several matching: the bot asks which, listing only those).
- `miss`: an answer the step did not understand. The step's data counts misses in a row
  (`data.misses`, gone with any understood answer: every move to a step starts its data
  afresh); from the second, the bot lists the options with a word for each and the words that
  work everywhere, instead of repeating the same refusal.
- `small_talk`: thanks, a greeting or "ok" where an answer was expected: a friendly word and the
  question again, never a refusal.
"""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import ConversationState, DialogContext, Reply, Step, TurnResult
from helpdesk.domain.dialog.moves import ask, asking, prompt
from helpdesk.domain.menus import Option
from helpdesk.domain.understanding import Social, choose, key_words, number_in, social

NAVIGATION = frozenset({"menu", "voltar", "ajuda", "sair"})


def options(state: ConversationState, ctx: DialogContext) -> tuple[Option, ...]:
    """The options the step offers: its question's menu, as data (the tickets list: every ticket of
    the company, not only the page shown, so a word of any title finds it)."""
    if state.step is Step.TICKETS_MENU:
        listed = [Option(str(t.number), t.title, str(t.number)) for t in ctx.tickets(state.cnpj or "")]
        return (texts.NEW_TICKET_OPTION, *listed)
    menu = prompt(state, ctx).menu
    return menu.options if menu else ()


def choice(state: ConversationState, text: str, ctx: DialogContext) -> Option | TurnResult:
    """The option `text` picks, or the move when it picks none (or several). A ticket's number is
    taken as typed (its key is the number): the list is read only to match words."""
    typed = number_in(text)
    if state.step is Step.TICKETS_MENU and typed is not None:
        return texts.NEW_TICKET_OPTION if typed == 0 else Option(str(typed), "", str(typed))
    offered = options(state, ctx)
    chosen = choose(text, offered)
    picked = next((option for option in offered if option.number == chosen.picked), None)
    if picked is not None:
        return picked
    if chosen.candidates:
        shown = [option for option in offered if option.number in chosen.candidates]
        return TurnResult(_reset(state), (ask(texts.which_one(shown)),))
    suggested = next((option for option in offered if option.number == chosen.suggested), None)
    if suggested is not None:  # a slip too far to take unasked: asked back
        asked = replace(state, data=replace(state.data, misses=0, suggested=suggested.number))
        return TurnResult(asked, (Reply(texts.did_you_mean(suggested.title)),))
    hint = texts.INVALID_TICKET_CHOICE if state.step is Step.TICKETS_MENU else texts.INVALID_OPTION
    return miss(state, ctx, hint)


def miss(state: ConversationState, ctx: DialogContext, hint: str) -> TurnResult:
    """A hint and the question; from the second miss in a row, the options with their words."""
    misses = state.data.misses + 1
    counted = replace(state, data=replace(state.data, misses=misses))
    if misses < 2:
        return TurnResult(counted, (asking(counted, ctx, hint),))
    offered = options(counted, ctx)
    words = key_words(offered, reserved=NAVIGATION)
    registered = ctx.requester is not None
    if offered:
        listed = list(zip(offered, words, strict=True))
        return TurnResult(counted, (Reply(texts.still_not_understood(listed, registered=registered)),))
    return TurnResult(
        counted, (asking(counted, ctx, hint, texts.still_not_understood([], registered=registered)),)
    )


def missed(before: ConversationState, result: TurnResult) -> bool:
    """Whether `result` is a miss at `before` (its count went up)."""
    after = result.state
    return after.step is before.step and after.data.misses > before.data.misses


def small_talk(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    """Thanks, a greeting or "ok": a friendly word and the question again; None for anything else."""
    kind = social(text)
    if kind is None:
        return None
    calm = _reset(state)
    friendly = texts.SOCIAL_ANSWERS[Social(kind).value]
    return TurnResult(calm, (asking(calm, ctx, friendly),))


def _reset(state: ConversationState) -> ConversationState:
    return replace(state, data=replace(state.data, misses=0))
