"""Flow 1, the registration (CNPJ, name, e-mail), as people answer it: in one go or in pieces.

Each question takes its answer from what the message carries (`heard`: a CNPJ inside a sentence,
"sou a Lia", "Lia Prado - lia@acme.com.br") and keeps what answers the later ones, which are then
skipped ("Encontrei a empresa *Acme* ✅ e anotei seu e-mail *lia@...*"). Several CNPJs: the bot
asks which. A problem told (or a file sent) on the way is kept and becomes a ticket's draft once
the requester is registered.
"""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.cnpj import format_cnpj
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    RegisterRequester,
    Reply,
    Step,
    TurnResult,
)
from helpdesk.domain.dialog import drafts, understood
from helpdesk.domain.dialog.heard import heard
from helpdesk.domain.dialog.moves import CREDENTIALS, again, end, go, join, tickets_menu
from helpdesk.domain.dialog.states import in_the_welcome_burst
from helpdesk.domain.reading import Reading
from helpdesk.domain.step_data import StepData
from helpdesk.domain.text import fold, is_valid_email
from helpdesk.domain.understanding import number_in

MAX_NAME_LENGTH = 100
# Short answers that are no name ("fim" after a file, "pronto", "sim").
_NOT_TYPED_NAMES = frozenset("fim pronto sim nao ok nada oi ola".split())
MAX_TYPED_NAME_WORDS = 6


def on_cnpj(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    reading = heard(state, text)
    data = _carried(state.data, reading)
    cnpjs = reading.extracted.cnpjs or _chosen(state.data.cnpj_choices, text)
    if len(cnpjs) > 1:
        asking = replace(state, data=replace(data, cnpj_choices=cnpjs, misses=0))
        return TurnResult(asking, (Reply(texts.which_cnpj([format_cnpj(cnpj) for cnpj in cnpjs])),))
    if not cnpjs:
        kept = replace(state, data=data)
        if data != state.data:  # a name, an e-mail or a problem came first: noted, the CNPJ asked
            if _more_of_the_problem(state.data, data, ctx):
                return TurnResult(kept, ())  # its next bubble: kept, already acknowledged
            wrong = texts.INVALID_CNPJ if reading.extracted.bad_cnpjs else None
            return again(kept, ctx, join(_noted(state.data, data), wrong))
        typed_digits = reading.extracted.bad_cnpjs or any(char.isdigit() for char in text)
        return understood.miss(kept, ctx, texts.INVALID_CNPJ if typed_digits else texts.CNPJ_FIRST)
    company = ctx.find_company(cnpjs[0])
    if company is None:
        return end(ctx, lead=texts.CLIENTS_ONLY)
    if not company.active:
        return end(ctx, lead=texts.companies_not_served([company.name]))
    lead = texts.company_found_and_noted(company.name, data.name, data.email)
    kept_data = StepData(name=data.name, email=data.email, problem=data.problem, attachments=data.attachments)
    if data.name and data.email:
        return register(company.cnpj, kept_data, ctx, lead=lead)
    step = Step.ASK_EMAIL if data.name else Step.ASK_NAME
    return go(step, ctx, cnpj=company.cnpj, data=kept_data, lead=lead)


def on_name(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    reading = heard(state, text)
    data = _carried(replace(state.data, name=None), reading)
    name = data.name or _typed_name(text, reading)
    if name is None or len(name) > MAX_NAME_LENGTH:
        kept = replace(state, data=replace(data, name=None))
        if data.problem != state.data.problem or data.email != state.data.email:
            return again(kept, ctx, _noted(state.data, kept.data))
        return again(kept, ctx, texts.INVALID_NAME)
    data = replace(data, name=name)
    if data.email:
        return register(state.cnpj or "", data, ctx, lead=texts.noted(None, data.email))
    broken_email = texts.INVALID_EMAIL if "@" in text else None  # "lia@acme", "lia.prado@"
    return go(Step.ASK_EMAIL, ctx, cnpj=state.cnpj, data=data, lead=broken_email)


def on_email(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    reading = heard(state, text)
    data = _carried(state.data, reading)
    emails = [email for email in reading.extracted.emails if is_valid_email(email)]
    if not emails:
        if data.problem != state.data.problem:
            return again(replace(state, data=data), ctx, texts.PROBLEM_KEPT)
        return understood.miss(state, ctx, texts.INVALID_EMAIL)
    return register(state.cnpj or "", replace(data, email=emails[0]), ctx)


def register(cnpj: str, data: StepData, ctx: DialogContext, *, lead: str | None = None) -> TurnResult:
    """The requester registered (credentials sent), then the ticket a problem told on the way
    starts, or the tickets menu."""
    effect = RegisterRequester(name=data.name or "", email=data.email or "", cnpj=cnpj)
    welcome = Reply(join(lead, texts.credentials(ctx.settings.portal_url)), fill=CREDENTIALS)
    if data.problem or data.attachments:
        return drafts.start(cnpj, data.problem, data.attachments, ctx, before=(welcome,), effects=(effect,))
    return tickets_menu(cnpj, ctx, before=(welcome,), effects=(effect,))


def _carried(data: StepData, reading: Reading) -> StepData:
    """`data` with what the message answered ahead of its question (never replacing an answer)."""
    carried = reading.extracted
    emails = [email for email in carried.emails if is_valid_email(email)]
    if carried.name and not data.name:
        data = replace(data, name=carried.name)
    if emails and not data.email:
        data = replace(data, email=emails[0])
    told = reading.told if reading.problem else None  # a property: read once
    if told and told not in (data.problem or ""):
        data = replace(data, problem="\n".join(part for part in (data.problem, told) if part))
    return data


def _more_of_the_problem(before: StepData, after: StepData, ctx: DialogContext) -> bool:
    """The problem, already told and acknowledged, told on in the bubbles of the first message."""
    only_the_problem = replace(after, problem=before.problem) == before
    return bool(before.problem) and only_the_problem and in_the_welcome_burst(before, ctx.now.timestamp())


def _noted(before: StepData, after: StepData) -> str:
    """What the bot says it kept from a message that did not answer its question."""
    name = after.name if after.name != before.name else None
    email = after.email if after.email != before.email else None
    said = texts.noted(name, email) if name or email else None
    return join(said, texts.PROBLEM_KEPT if after.problem != before.problem else None)


def _chosen(choices: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The CNPJ picked by its number among several sent before."""
    number = number_in(text)
    if choices and number is not None and 1 <= number <= len(choices):
        return (choices[number - 1],)
    return ()


def _typed_name(text: str, reading: Reading) -> str | None:
    """A name as typed, when the reading found none but the message is only a short line of
    words ("Zé 🙂", "Maria (financeiro)"): not a question, a wish, an e-mail or a problem."""
    name = " ".join(word for word in text.split() if "@" not in word).strip(" ,;:-–")  # a broken e-mail apart
    if "\n" in text.strip() or "?" in name or reading.intents or reading.problem or reading.social:
        return None
    if fold(name).strip(".!") in _NOT_TYPED_NAMES:
        return None
    if reading.extracted.emails or len(name.split()) > MAX_TYPED_NAME_WORDS:
        return None
    return name if any(char.isalpha() for char in name) else None
