"""Flow 2: the tickets menu of a company (a page of its tickets, 0 for a new one)."""

from __future__ import annotations

from helpdesk import texts
from helpdesk.domain.conversation import ConversationState, DialogContext, Step, TurnResult
from helpdesk.domain.dialog import drafts, understood
from helpdesk.domain.dialog.answers import means
from helpdesk.domain.dialog.context import company_name, page, page_size
from helpdesk.domain.dialog.heard import heard
from helpdesk.domain.dialog.moves import again, go, join, led, tickets_menu
from helpdesk.domain.dialog.states import discarded
from helpdesk.domain.dialog.ticket_detail import asks_how_it_stands, open_ticket
from helpdesk.domain.menus import Question


def ask_ticket_choice(state: ConversationState, ctx: DialogContext) -> Question:
    return tickets_question(state, ctx)


def tickets_question(
    state: ConversationState, ctx: DialogContext, new_row: tuple[str, str, str] | None = None
) -> Question:
    cnpj = state.cnpj or ""
    tickets: list[tuple[int | str, str, str]] = [(t.number, t.title, t.status) for t in ctx.tickets(cnpj)]
    if new_row:
        tickets.insert(0, new_row)
    size, shown_page = page_size(ctx), page(state, ctx)
    start = shown_page * size if shown_page * size < len(tickets) else 0
    shown = tickets[start : start + size]
    return texts.tickets_menu(
        company_name(cnpj, ctx),
        shown,
        first=start + 1,
        total=len(tickets),
        has_more=start + size < len(tickets),
    )


def on_ticket_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj = state.cnpj or ""
    if means(text, "mais"):
        next_page = page(state, ctx) + 1
        if next_page * page_size(ctx) >= len(ctx.tickets(cnpj)):
            return tickets_menu(cnpj, ctx, lead=texts.NO_MORE_TICKETS)
        return tickets_menu(cnpj, ctx, page=next_page)
    chosen = understood.choice(state, text, ctx)
    if isinstance(chosen, TurnResult):
        if understood.missed(state, chosen) and asks_how_it_stands(text):
            return how_they_stand(cnpj, ctx) or chosen
        if understood.missed(state, chosen) and heard(state, text).problem:  # its ticket, never a refusal
            return drafts.start(cnpj, heard(state, text).told, (), ctx)
        return chosen
    if chosen.key == texts.NEW_TICKET:
        return go(Step.ASK_SUBJECT, ctx, cnpj=cnpj)
    number = int(chosen.key)
    opened = open_ticket(cnpj, number, ctx)
    if opened is None:  # not theirs, or not at all: the same answer
        return again(state, ctx, texts.ticket_not_found(number))
    return opened


def back_to_tickets(state: ConversationState, ctx: DialogContext) -> TurnResult:
    return tickets_menu(state.cnpj or "", ctx, lead=discarded(state) or texts.BACK)


def how_they_stand(cnpj: str, ctx: DialogContext, lead: str | None = None) -> TurnResult | None:
    """The answer to "qual o status?" or "cadê meu chamado?": the one ticket there is, shown;
    several: the list, where each one's status is; none: None (nothing to tell)."""
    listed = ctx.tickets(cnpj)
    if len(listed) == 1:
        opened = open_ticket(cnpj, listed[0].number, ctx)
        return led(opened, lead) if opened is not None and lead else opened
    return tickets_menu(cnpj, ctx, lead=join(lead, texts.STATUS_IN_THE_LIST)) if listed else None
