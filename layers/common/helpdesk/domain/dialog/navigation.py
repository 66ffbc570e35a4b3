"""The words understood at every step (`sair`, `menu`, `voltar`, `ajuda`, `meus dados`), and the
draft offered back after a pause."""

from __future__ import annotations

from helpdesk import texts
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.domain.conversation import ConversationState, DialogContext, Reply, Step, TurnInput, TurnResult
from helpdesk.domain.dialog import understood
from helpdesk.domain.dialog.answers import means
from helpdesk.domain.dialog.context import help_text
from helpdesk.domain.dialog.first_contact import begin
from helpdesk.domain.dialog.moves import Back, again, asking, led, tickets_menu, untokenized
from helpdesk.domain.dialog.states import discarded, draft_label, is_consistent, restored
from helpdesk.domain.menus import Option, Question
from helpdesk.domain.messages import InboundKind
from helpdesk.domain.understanding import says_goodbye, yes_or_no

NAVIGATION = ("sair", "menu", "voltar", "ajuda")


def navigation_word(turn: TurnInput) -> str | None:
    """The navigation word the message is; a goodbye ("tchau", "até mais") is `sair`."""
    if turn.kind is not InboundKind.TEXT:
        return None
    word = next((word for word in NAVIGATION if means(turn.text, word)), None)
    return "sair" if word is None and says_goodbye(turn.text) else word


def navigate(state: ConversationState, word: str, ctx: DialogContext, back: Back | None) -> TurnResult:
    """`ajuda`, `voltar` (to `back`, the step's previous question) or `menu` (`sair` ends at the entrance)."""
    if word == "ajuda":
        return again(state, ctx, help_text(ctx))
    if word == "voltar":
        previous = back(state, ctx) if back else None
        return previous if previous is not None else again(state, ctx, texts.NOTHING_BEFORE)
    # "menu": the tickets menu of the company in use; without one, the start.
    if ctx.requester is None or not state.cnpj:
        return begin(ctx)
    return tickets_menu(state.cnpj, ctx, lead=discarded(state))


# --- a pause: the draft is offered back ------------------------------------------------------


def ask_resume(state: ConversationState, ctx: DialogContext) -> Question:
    return texts.resume_offer(untokenized(draft_label(state) or ""))


def on_resume_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    choice = understood.choice(state, text, ctx)
    key = choice.key if isinstance(choice, Option) else None
    if isinstance(choice, TurnResult) and understood.missed(state, choice):
        # "sim" continues the draft, "não" starts over
        key = {True: texts.CONTINUE_DRAFT, False: texts.START_OVER}.get(yes_or_no(text))  # type: ignore[arg-type]
    if key == texts.CONTINUE_DRAFT:
        draft = restored(state)
        assert draft is not None  # is_consistent checked it
        files = len(draft.data.attachments)
        return TurnResult(draft, (asking(draft, ctx, texts.resumed(files)),))
    if key == texts.START_OVER:
        return led(begin(ctx), discarded(state))
    assert isinstance(choice, TurnResult)
    return choice


# --- personal data (LGPD) --------------------------------------------------------------------


def my_data(state: ConversationState | None, ctx: DialogContext) -> TurnResult:
    """What is held about the requester, then the conversation goes on where it was."""
    contact = ctx.settings.privacy_contact
    requester = ctx.requester
    if requester is None:
        summary = texts.my_data_unknown(contact)
    else:
        companies = [f"{c.name} ({format_cnpj(c.cnpj)})" for c in requester.companies]
        count = sum(len(ctx.tickets(c.cnpj)) for c in requester.companies)
        summary = texts.my_data(requester.name, requester.email, requester.phone, companies, count, contact)
    if state is None or state.step is Step.ENDED or not is_consistent(state, ctx):
        return TurnResult(ConversationState(Step.ENDED), (Reply(summary),))
    return TurnResult(state, (Reply(summary), asking(state, ctx)))
