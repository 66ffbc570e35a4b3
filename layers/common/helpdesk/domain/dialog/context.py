"""What the questions read from the context: the requester's companies, the page, business hours."""

from __future__ import annotations

from helpdesk import texts
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.domain.conversation import CompanyView, ConversationState, DialogContext
from helpdesk.domain.hours import ZONE as REQUESTER_ZONE


def help_text(ctx: DialogContext) -> str:
    """What `ajuda` says: the words that work, or before the registration what it asks and why."""
    return texts.HELP if ctx.requester is not None else texts.HELP_FIRST_CONTACT


def companies(ctx: DialogContext) -> tuple[CompanyView, ...]:
    return ctx.requester.companies if ctx.requester else ()


def retired(cnpj: str | None, ctx: DialogContext) -> CompanyView | None:
    """The requester's company `cnpj` when the console deactivated it (its link says so: read with
    the requester, no extra read)."""
    retired_companies = ctx.requester.retired if ctx.requester else ()
    return next((company for company in retired_companies if company.cnpj == cnpj), None)


def company_name(cnpj: str, ctx: DialogContext) -> str:
    for company in companies(ctx):
        if company.cnpj == cnpj:
            return company.name
    found = ctx.find_company(cnpj)
    return found.name if found else format_cnpj(cnpj)


def page_size(ctx: DialogContext) -> int:
    return max(1, ctx.settings.page_size)


def page(state: ConversationState, ctx: DialogContext) -> int:
    shown = state.data.page
    return shown if shown is not None and shown >= 0 else 0


def away_notice(ctx: DialogContext) -> str | None:
    """When the team is away: when it will look (the next opening). None during business hours."""
    hours = ctx.business_hours()
    if hours is None or hours.is_open(ctx.now):
        return None
    opening = hours.next_opening(ctx.now)
    return texts.out_of_hours(
        opening.astimezone(REQUESTER_ZONE) if opening else None, ctx.now.astimezone(REQUESTER_ZONE)
    )
