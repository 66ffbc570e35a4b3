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

from dataclasses import replace

from helpdesk import texts
from helpdesk.domain.conversation import ConversationState, DialogContext, Reply, Step, TurnResult
from helpdesk.domain.dialog.moves import join, prompt
from helpdesk.domain.menus import split_menu
from helpdesk.domain.understanding import Social, choose, key_words, number_in, social

NAVIGATION = frozenset({"menu", "voltar", "ajuda", "sair"})


def options(state: ConversationState, ctx: DialogContext) -> list[tuple[int, str]]:
    """The options the step offers, by the number that answers each."""
    if state.step is Step.TICKETS_MENU:
        listed = [(ticket.number, ticket.title) for ticket in ctx.tickets(state.cnpj or "")]
        return [(0, "Criar novo atendimento"), *listed]
    _, offered = split_menu(prompt(state, ctx))
    return [(int(number), title) for number, title in offered]


def choice(state: ConversationState, text: str, ctx: DialogContext) -> int | TurnResult:
    """The number of the option `text` picks, or the move when it picks none (or several). A
    ticket's number is taken as typed: the list is read only to match words."""
    if state.step is Step.TICKETS_MENU and number_in(text) is not None:
        return number_in(text) or 0
    offered = options(state, ctx)
    chosen = choose(text, offered)
    numbers = {number for number, _ in offered}
    if chosen.picked is not None and (chosen.picked in numbers or state.step is Step.TICKETS_MENU):
        return chosen.picked
    if chosen.candidates:
        shown = [(str(number), title) for number, title in offered if number in chosen.candidates]
        return TurnResult(_reset(state), (Reply(texts.which_one(shown)),))
    hint = texts.INVALID_TICKET_CHOICE if state.step is Step.TICKETS_MENU else texts.INVALID_OPTION
    return miss(state, ctx, hint)


def miss(state: ConversationState, ctx: DialogContext, hint: str) -> TurnResult:
    """A hint and the question; from the second miss in a row, the options with their words."""
    misses = state.data.misses + 1
    counted = replace(state, data=replace(state.data, misses=misses))
    if misses < 2:
        return TurnResult(counted, (Reply(join(hint, prompt(counted, ctx))),))
    offered = options(counted, ctx)
    words = key_words([title for _, title in offered], reserved=NAVIGATION)
    listed = [(str(number), title, word) for (number, title), word in zip(offered, words, strict=True)]
    if listed:
        return TurnResult(counted, (Reply(texts.still_not_understood(listed)),))
    return TurnResult(counted, (Reply(join(hint, texts.still_not_understood([]), prompt(counted, ctx))),))


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
    return TurnResult(calm, (Reply(join(friendly, prompt(calm, ctx))),))


def _reset(state: ConversationState) -> ConversationState:
    return replace(state, data=replace(state.data, misses=0))
