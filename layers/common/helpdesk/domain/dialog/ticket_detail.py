"""Flow 4: one ticket, its detail and the actions the requester posts on it."""

from __future__ import annotations

from datetime import UTC

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    PostAction,
    Step,
    TicketDetail,
    TurnResult,
)
from helpdesk.domain.dialog import understood
from helpdesk.domain.dialog.context import away_notice
from helpdesk.domain.dialog.moves import end, go, join, tickets_menu
from helpdesk.domain.dialog.states import attachments, discarded
from helpdesk.domain.hours import ZONE as REQUESTER_ZONE
from helpdesk.domain.menus import Question
from helpdesk.domain.step_data import StepData
from helpdesk.domain.understanding import words

MAX_SHOWN_ACTION_TEXT = 1000  # the last action is cut in the ticket detail (WhatsApp caps ~4096)


def open_ticket(cnpj: str, number: int, ctx: DialogContext) -> TurnResult | None:
    """The ticket's detail and its menu; None when the company has no such ticket."""
    ticket = ctx.ticket(cnpj, number)
    if ticket is None:
        return None
    return go(Step.TICKET_MENU, ctx, cnpj=cnpj, data=StepData(ticket_number=number), lead=_detail(ticket))


# Words asking how a ticket stands ("qual o status?", "alguma novidade?"): folded.
_HOW_IT_STANDS = frozenset(
    "status situacao andamento novidade novidades noticia noticias previsao retorno resposta cade".split()
)


def asks_how_it_stands(text: str) -> bool:
    return any(word.strip(".,!?") in _HOW_IT_STANDS for word in words(text))


def ask_ticket_action(state: ConversationState, ctx: DialogContext) -> Question:
    return texts.ask_ticket_action(_number(state))


def on_ticket_action(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
        return choice
    if choice.key == texts.NEW_MESSAGE:
        data = StepData(ticket_number=_number(state))
        return go(Step.ASK_ACTION_TEXT, ctx, cnpj=state.cnpj, data=data)
    if choice.key == texts.BACK_TO_TICKETS:
        return tickets_menu(state.cnpj or "", ctx)
    return end(ctx)


def ask_action_text(state: ConversationState, ctx: DialogContext) -> Question:
    return Question(texts.ask_action_text(_number(state)))


def post_action(state: ConversationState, ctx: DialogContext) -> TurnResult:
    number = _number(state)
    text = state.data.text or ""
    post = PostAction(ticket_number=number, text=text, attachments=attachments(state))
    return go(
        Step.TICKET_MENU,
        ctx,
        cnpj=state.cnpj,
        data=StepData(ticket_number=number),
        lead=join(texts.action_posted(number), away_notice(ctx)),
        effects=(post,),
    )


def back_to_ticket(state: ConversationState, ctx: DialogContext) -> TurnResult:
    data = StepData(ticket_number=_number(state))
    return go(Step.TICKET_MENU, ctx, cnpj=state.cnpj, data=data, lead=discarded(state) or texts.BACK)


def _number(state: ConversationState) -> int:
    """The ticket the step is about (is_consistent checked there is one)."""
    number = state.data.ticket_number
    assert number is not None
    return number


def _detail(ticket: TicketDetail) -> str:
    action = ticket.last_action
    if action is None:
        last = texts.NO_ACTIONS_YET
    else:
        when = action.created_at if action.created_at.tzinfo else action.created_at.replace(tzinfo=UTC)
        shown = action.text
        if len(shown) > MAX_SHOWN_ACTION_TEXT:
            shown = shown[:MAX_SHOWN_ACTION_TEXT] + "…"
        author = texts.action_author(action.author_kind, action.author_name)
        last = texts.last_action(author, when.astimezone(REQUESTER_ZONE), shown, action.attachment_count)
    return texts.ticket_detail(ticket.number, ticket.title, ticket.status, ticket.request_type, last)
