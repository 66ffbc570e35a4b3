"""Flows 1 and 5: the first contact (CNPJ, name, e-mail) and the next ones (company, access)."""

from __future__ import annotations

from dataclasses import replace

from helpdesk import texts
from helpdesk.domain.cnpj import format_cnpj, is_valid, normalize
from helpdesk.domain.conversation import (
    CompanyView,
    ConversationState,
    DialogContext,
    LinkCompany,
    RegisterRequester,
    Reply,
    ResetCredentials,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.dialog import understood
from helpdesk.domain.dialog.context import companies, company_name
from helpdesk.domain.dialog.moves import CREDENTIALS, Back, again, end, go, led, tickets_menu
from helpdesk.domain.dialog.ticket_detail import open_ticket
from helpdesk.domain.menus import Question
from helpdesk.domain.messages import InboundKind
from helpdesk.domain.step_data import StepData
from helpdesk.domain.text import is_valid_email

MAX_NAME_LENGTH = 100


def start(turn: TurnInput, ctx: DialogContext, word: str | None = None) -> TurnResult:
    """A message with no conversation going on. A first message that is a CNPJ answers the question;
    any message right after a notification opens that ticket."""
    if word is not None:
        return led(begin(ctx), texts.HELP if word == "ajuda" else None)
    if ctx.requester is not None and turn.notified is not None:
        opened = open_ticket(turn.notified.cnpj, turn.notified.number, ctx)
        if opened is not None:
            return opened
    cnpj = normalize(turn.text) if turn.kind is InboundKind.TEXT else None
    if ctx.requester is None and cnpj and is_valid(cnpj):
        result = on_cnpj(ConversationState(Step.ASK_CNPJ), cnpj, ctx)
        return replace(result, replies=(Reply(texts.WELCOME), *result.replies))
    return begin(ctx)


def begin(ctx: DialogContext, lead: str | None = None) -> TurnResult:
    """Unknown requester: the CNPJ question. Known: the company (asked only if there are several),
    after `lead` (else the greeting)."""
    if ctx.requester is None:
        return go(Step.ASK_CNPJ, ctx, before=(Reply(texts.WELCOME),))
    greeting = lead or greeting_for(ctx)
    linked = ctx.requester.companies
    if not linked:
        return go(Step.LINK_CNPJ, ctx, lead=greeting)
    if len(linked) == 1:
        return go(Step.ACCESS_MENU, ctx, cnpj=linked[0].cnpj, lead=greeting)
    return go(Step.CHOOSE_COMPANY, ctx, lead=greeting)


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
    """The CNPJ typed (None when it is not a valid one) and the client company registered under it."""
    cnpj = normalize(text)
    if cnpj is None or not is_valid(cnpj):
        return None, None
    return cnpj, ctx.find_company(cnpj)


def on_cnpj(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj, company = _client(text, ctx)
    if cnpj is None:
        return understood.miss(state, ctx, texts.INVALID_CNPJ)
    if company is None:
        return end(ctx, lead=texts.CLIENTS_ONLY)
    if not company.active:
        return end(ctx, lead=texts.companies_not_served([company.name]))
    return go(Step.ASK_NAME, ctx, cnpj=company.cnpj, lead=texts.company_found(company.name))


def on_name(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    name = " ".join(text.split())
    if "\n" in text or len(name) > MAX_NAME_LENGTH or not any(char.isalpha() for char in name):
        return again(state, ctx, texts.INVALID_NAME)
    return go(Step.ASK_EMAIL, ctx, cnpj=state.cnpj, data=StepData(name=name))


def on_email(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    if not is_valid_email(text):
        return understood.miss(state, ctx, texts.INVALID_EMAIL)
    cnpj = state.cnpj or ""
    register = RegisterRequester(name=state.data.name or "", email=text, cnpj=cnpj)
    welcome = Reply(texts.credentials(ctx.settings.portal_url), fill=CREDENTIALS)
    return tickets_menu(cnpj, ctx, before=(welcome,), effects=(register,))


# --- flow 5: second contact ------------------------------------------------------------------


def ask_company(state: ConversationState, ctx: DialogContext) -> Question:
    linked = companies(ctx)
    return texts.choose_company(
        [(company.cnpj, company.name, format_cnpj(company.cnpj)) for company in linked]
    )


def on_company_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
        return choice
    if choice.key == texts.LINK_ANOTHER:
        return go(Step.LINK_CNPJ, ctx)
    return go(Step.ACCESS_MENU, ctx, cnpj=choice.key)


def ask_access(state: ConversationState, ctx: DialogContext) -> Question:
    return texts.access_menu(company_name(state.cnpj or "", ctx))


def on_access_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj = state.cnpj or ""
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
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
        return understood.miss(state, ctx, texts.INVALID_CNPJ)
    if company is None:
        return again(state, ctx, texts.CLIENTS_ONLY)
    if not company.active:
        return again(state, ctx, texts.companies_not_served([company.name]))
    if any(linked.cnpj == company.cnpj for linked in companies(ctx)):
        return tickets_menu(company.cnpj, ctx, lead=texts.company_selected(company.name))
    return tickets_menu(
        company.cnpj, ctx, lead=texts.company_linked(company.name), effects=(LinkCompany(company.cnpj),)
    )


def go_back(step: Step) -> Back:
    """`voltar` to a step of the first flows, which keep no draft but the company."""
    return lambda state, ctx: go(step, ctx, cnpj=state.cnpj, lead=texts.BACK)


def back_from_access(state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    return go(Step.CHOOSE_COMPANY, ctx, lead=texts.BACK) if len(companies(ctx)) > 1 else None


def back_from_link(state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    if state.cnpj:
        return go(Step.ACCESS_MENU, ctx, cnpj=state.cnpj, lead=texts.BACK)
    return back_from_access(state, ctx)
