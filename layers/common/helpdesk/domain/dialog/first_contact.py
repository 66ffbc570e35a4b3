"""Flows 1 and 5: the first contact (CNPJ, name, e-mail) and the next ones (company, access)."""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.domain.conversation import (
    CompanyView,
    ConversationState,
    DialogContext,
    LinkCompany,
    Reply,
    ResetCredentials,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.dialog import drafts, registration, understood
from helpdesk.domain.dialog.context import companies, company_name, help_text
from helpdesk.domain.dialog.heard import heard
from helpdesk.domain.dialog.moves import CREDENTIALS, Back, again, go, led, tickets_menu
from helpdesk.domain.dialog.ticket_detail import open_ticket
from helpdesk.domain.extraction import extract
from helpdesk.domain.menus import Question
from helpdesk.domain.step_data import StepData
from helpdesk.domain.understanding import number_in

MAX_NAME_LENGTH = 100


def start(turn: TurnInput, ctx: DialogContext, word: str | None = None) -> TurnResult:
    """A message with no conversation going on: the welcome and the first question (any message
    right after a notification opens that ticket)."""
    if word is not None:
        return led(begin(ctx), help_text(ctx) if word == "ajuda" else None)
    if ctx.requester is not None and turn.notified is not None:
        opened = open_ticket(turn.notified.cnpj, turn.notified.number, ctx)
        if opened is not None:
            return opened
    return begin(ctx)  # what the first message carries is then read at the question (dialog.handle)


def begin(ctx: DialogContext, lead: str | None = None) -> TurnResult:
    """Unknown requester: the CNPJ question. Known: the company (asked only if there are several),
    after `lead` (else the greeting)."""
    welcomed = StepData(greeted_at=int(ctx.now.timestamp()))  # the next greetings are its bubbles
    if ctx.requester is None:
        return go(Step.ASK_CNPJ, ctx, data=welcomed, before=(Reply(texts.WELCOME),))
    greeting = lead or greeting_for(ctx)
    linked = ctx.requester.companies
    if not linked:
        return go(Step.LINK_CNPJ, ctx, data=welcomed, lead=greeting)
    if len(linked) == 1:
        return go(Step.ACCESS_MENU, ctx, cnpj=linked[0].cnpj, data=welcomed, lead=greeting)
    return go(Step.CHOOSE_COMPANY, ctx, data=welcomed, lead=greeting)


def no_longer_served(company: CompanyView, ctx: DialogContext) -> TurnResult:
    """The company of the conversation under way was deactivated: said at once, whatever was being
    written is dropped (no ticket or message for it), and the requester's other companies go on."""
    return begin(ctx, lead=texts.companies_not_served([company.name]))


def greeting_for(ctx: DialogContext) -> str | None:
    if ctx.requester is None:
        return None
    retired = [company.name for company in ctx.requester.retired]
    welcome = texts.welcome_back(ctx.requester.name)
    return f"{welcome}\n\n{texts.companies_not_served(retired)}" if retired else welcome


# --- flow 1: first contact -------------------------------------------------------------------


def _client(text: str, ctx: DialogContext) -> tuple[str | None, CompanyView | None]:
    """The CNPJ typed, alone or inside a sentence (None when there is no valid one), and the
    client company registered under it."""
    found = extract(text).cnpjs
    if not found:
        return None, None
    return found[0], ctx.find_company(found[0])


# The registration's questions read what a message carries: see `registration`.
on_cnpj = registration.on_cnpj
on_name = registration.on_name
on_email = registration.on_email


# --- flow 5: second contact ------------------------------------------------------------------


def ask_company(state: ConversationState, ctx: DialogContext) -> Question:
    linked = companies(ctx)
    return texts.choose_company(
        [(company.cnpj, company.name, format_cnpj(company.cnpj)) for company in linked]
    )


def on_company_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
        return (understood.missed(state, choice) and _kept_until_chosen(state, text, ctx)) or choice
    if choice.key == texts.LINK_ANOTHER:
        return go(Step.LINK_CNPJ, ctx, data=_waiting(state.data))
    if state.data.problem or state.data.attachments:  # told before the company: its ticket now
        return drafts.start(choice.key, state.data.problem, state.data.attachments, ctx)
    return go(Step.ACCESS_MENU, ctx, cnpj=choice.key)


def _kept_until_chosen(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    """A problem told where the company is asked: kept for the ticket once it is chosen."""
    reading = heard(state, text)
    if not reading.problem:
        return None
    told = "\n".join(part for part in (state.data.problem, reading.told) if part)
    return again(replace(state, data=replace(state.data, problem=told)), ctx, texts.PROBLEM_KEPT_FOR_COMPANY)


def _waiting(data: StepData) -> StepData:
    """What waits for a company: a problem told, files sent."""
    return StepData(problem=data.problem, attachments=data.attachments)


def ask_access(state: ConversationState, ctx: DialogContext) -> Question:
    return texts.access_menu(company_name(state.cnpj or "", ctx))


def on_access_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj = state.cnpj or ""
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
        typed = number_in(text)
        if understood.missed(state, choice) and typed is not None:  # one of their tickets' numbers
            return open_ticket(cnpj, typed, ctx) or choice
        if understood.missed(state, choice) and heard(state, text).problem:  # a problem told: its ticket
            return drafts.start(cnpj, heard(state, text).told, (), ctx)
        return choice
    if choice.key == texts.RECOVER_ACCESS:
        credentials = Reply(texts.access_recovered(ctx.settings.portal_url), fill=CREDENTIALS)
        return tickets_menu(cnpj, ctx, before=(credentials,), effects=(ResetCredentials(),))
    if choice.key == texts.SEE_TICKETS:
        return tickets_menu(cnpj, ctx)
    return go(Step.LINK_CNPJ, ctx, cnpj=state.cnpj)


def on_link_cnpj(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj, company = _client(text, ctx)
    if cnpj is None:
        return _kept_until_chosen(state, text, ctx) or understood.miss(state, ctx, texts.INVALID_CNPJ)
    if company is None:
        return again(state, ctx, texts.CLIENTS_ONLY)
    if not company.active:
        return again(state, ctx, texts.companies_not_served([company.name]))
    known = any(linked.cnpj == company.cnpj for linked in companies(ctx))
    lead = texts.company_selected(company.name) if known else texts.company_linked(company.name)
    effects = () if known else (LinkCompany(company.cnpj),)
    if state.data.problem or state.data.attachments:  # told before the company: its ticket now
        data = state.data
        return drafts.start(company.cnpj, data.problem, data.attachments, ctx, lead=lead, effects=effects)
    return tickets_menu(company.cnpj, ctx, lead=lead, effects=effects)


def go_back(step: Step) -> Back:
    """`voltar` to a step of the first flows, which keep no draft but the company."""
    return lambda state, ctx: go(step, ctx, cnpj=state.cnpj, lead=texts.BACK)


def back_from_access(state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    return go(Step.CHOOSE_COMPANY, ctx, lead=texts.BACK) if len(companies(ctx)) > 1 else None


def back_from_link(state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    if state.cnpj:
        return go(Step.ACCESS_MENU, ctx, cnpj=state.cnpj, lead=texts.BACK)
    return back_from_access(state, ctx)
