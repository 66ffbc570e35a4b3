"""The requester dialog: one pure function from (state, message, context) to (state, replies, effects).

Read it top-down:

1. `handle`, the entry, in order of precedence: the navigation words (`sair`, `menu`, `voltar`,
   `ajuda`: a whole message, any case or accents) win over any answer, even one the step would
   take (a subject "Menu" has to say more than the word); then a reply quoting a notification goes
   to its ticket; then a pause offers to resume a draft; then a new conversation starts over (or
   opens the ticket just notified); then the step's row of the `STEPS` table decides.
2. `STEPS`: for every step, the question it asks, what answers it (typed text, files) and where
   `voltar` goes.
3. The handlers, grouped by flow, and the prompt renderers behind the questions.

Every handler ends in one of three moves: `_go` (to a step, asking its question), `_again` (a hint
and the same question) or `_end` (goodbye). Nothing here performs I/O, draws random numbers or
reads the clock: reads go through `ctx`, writes come back as effects.

`state.data` per step (drafts only, JSON-able, never a password):

- TICKETS_MENU: {"page": int}
- ASK_EMAIL: {"name"}
- ASK_SUBJECT: {} (or the draft, after `voltar`)
- ASK_TYPE: {"title", "types": [{"id", "name"}]}  (the types exactly as offered)
- ASK_DESCRIPTION: {"title", "type_id", "type_name"}
- TICKET_MEDIA: {"title", "type_id", "type_name", "description", "attachments": [Attachment dicts]}
- TICKET_MENU: {"ticket_number": int}
- ASK_ACTION_TEXT: {"ticket_number"} (+ "text", "attachments" after `voltar`)
- ACTION_MEDIA: {"ticket_number", "text", "attachments": [Attachment dicts]}
- CONFIRM_FIX, ASK_RATING: {"ticket_number", "resume": the interrupted state's dict or None}
- ASK_RATING_COMMENT: {"ticket_number", "rating", "resume"}
- RESUME_DRAFT: {"draft": ConversationState dict}
- the others: {}

`voltar` keeps a draft: going back keeps every key, and each answer replaces only its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from helpdesk import texts
from helpdesk.domain.cnpj import format_cnpj, is_valid, normalize
from helpdesk.domain.conversation import (
    MEDIA_STEPS,
    NEW_TICKET_STATUS,
    CompanyView,
    ConversationState,
    CreateTicket,
    DialogContext,
    Effect,
    LinkCompany,
    MediaRefusal,
    PostAction,
    RateTicket,
    RegisterRequester,
    ReopenTicket,
    Reply,
    ResetCredentials,
    Step,
    TicketDetail,
    TicketRef,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.hours import ZONE as REQUESTER_ZONE
from helpdesk.domain.messages import Attachment, InboundKind
from helpdesk.domain.text import fold, is_valid_email

# Placeholders only the executor can fill (see Reply.fill).
CREDENTIALS = ("username", "password")
TICKET_NUMBER = ("ticket_number",)

MAX_NAME_LENGTH = 100
MAX_FILES = 20  # per ticket or action: keeps the conversation record small
MAX_SHOWN_ACTION_TEXT = 1000  # the last action is cut in the ticket detail (WhatsApp caps ~4096)

TextHandler = Callable[[ConversationState, str, DialogContext], TurnResult]
MediaHandler = Callable[[ConversationState, TurnInput, DialogContext], TurnResult]
Prompt = Callable[[ConversationState, DialogContext], str]
Back = Callable[[ConversationState, DialogContext], TurnResult | None]

NAVIGATION = ("sair", "menu", "voltar", "ajuda")


@dataclass(frozen=True)
class StepSpec:
    ask: Prompt  # the question the step asks (asked again, after a hint, on anything unexpected)
    on_text: TextHandler | None = None  # a typed answer (non-empty, stripped)
    on_media: MediaHandler | None = None  # a file; only MEDIA_STEPS take files
    back: Back | None = None  # `voltar`: the previous question (None: there is none)


# --- entry -----------------------------------------------------------------------------------


def handle(state: ConversationState | None, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """Answer one inbound message."""
    word = _navigation_word(turn)
    if word == "sair":
        return _end(ctx)
    if turn.kind is InboundKind.TEXT and _means(turn.text, "meus dados"):
        return _my_data(state, ctx)
    if state is not None and state.step is Step.ENDED:
        state = None
    if state is not None and turn.paused:
        waiting = _paused(state)
        offer = (
            waiting is not None and waiting.step is Step.RESUME_DRAFT and state.step is not Step.RESUME_DRAFT
        )
        if waiting is not None and offer and word is None and turn.replying_to is None:
            return _go(waiting.step, ctx, cnpj=waiting.cnpj, data=waiting.data, lead=_greeting(ctx))
        state = waiting
    if word is None and turn.replying_to is not None and ctx.requester is not None:
        answer = _answer_notification(state, turn.replying_to, turn, ctx)
        if answer is not None:
            return answer
    if state is None:
        return _start(turn, ctx, word)
    if not _is_consistent(state, ctx):  # a draft the context no longer supports: begin again
        return _begin(ctx)
    if word is not None:
        return _navigate(state, word, ctx)
    return _answer(state, turn, ctx)


def _answer(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """The step's row of the table answers the message."""
    spec = STEPS[state.step]
    if state.step in _AFTER_CLOSING and turn.kind is not InboundKind.TEXT:
        return handle(_resumed(state), turn, ctx)  # a file or a sticker is not an answer either
    if turn.kind is InboundKind.OTHER:
        return _again(state, ctx, texts.UNREADABLE)
    if turn.kind is InboundKind.MEDIA:
        if spec.on_media is None:
            return _again(state, ctx, texts.TEXT_EXPECTED)
        return spec.on_media(state, turn, ctx)
    text = (turn.text or "").strip()
    if not text or spec.on_text is None:
        return _again(state, ctx, texts.EMPTY_TEXT)
    return spec.on_text(state, text, ctx)


def keeps_files(state: ConversationState | None, turn: TurnInput) -> bool:
    """Whether a file in `turn` can be kept: the executor downloads media only then."""
    if turn.replying_to is not None:
        return True
    return state is not None and not turn.paused and state.step in MEDIA_STEPS


def prompt(state: ConversationState, ctx: DialogContext) -> str:
    """The question `state.step` asks."""
    return STEPS[state.step].ask(state, ctx)


# --- the three moves -------------------------------------------------------------------------


def _go(
    step: Step,
    ctx: DialogContext,
    *,
    cnpj: str | None = None,
    data: dict[str, Any] | None = None,
    lead: str | None = None,
    before: tuple[Reply, ...] = (),
    effects: tuple[Effect, ...] = (),
) -> TurnResult:
    """Move to `step` and ask its question (`lead` opens the same message, `before` goes first)."""
    state = ConversationState(step=step, cnpj=cnpj, data=data or {})
    return TurnResult(state, (*before, Reply(_join(lead, prompt(state, ctx)))), effects)


def _again(state: ConversationState, ctx: DialogContext, hint: str) -> TurnResult:
    """Stay where we are: a short hint and the same question."""
    return TurnResult(state, (Reply(_join(hint, prompt(state, ctx))),))


def _end(ctx: DialogContext, lead: str | None = None) -> TurnResult:
    return _go(Step.ENDED, ctx, lead=lead)


def _join(*parts: str | None) -> str:
    return "\n\n".join(part for part in parts if part)


def _led(result: TurnResult, *lead: str | None) -> TurnResult:
    """`result` with `lead` opening its first message."""
    first, *rest = result.replies
    return replace(result, replies=(Reply(_join(*lead, first.text), first.fill), *rest))


# --- starting over ---------------------------------------------------------------------------


def _start(turn: TurnInput, ctx: DialogContext, word: str | None = None) -> TurnResult:
    """A message with no conversation going on. A first message that is a CNPJ answers the question;
    any message right after a notification opens that ticket."""
    if word is not None:
        return _led(_begin(ctx), texts.HELP if word == "ajuda" else None)
    if ctx.requester is not None and turn.notified is not None:
        opened = _open_ticket(turn.notified.cnpj, turn.notified.number, ctx)
        if opened is not None:
            return opened
    cnpj = normalize(turn.text) if turn.kind is InboundKind.TEXT else None
    if ctx.requester is None and cnpj and is_valid(cnpj):
        result = _on_cnpj(ConversationState(Step.ASK_CNPJ), cnpj, ctx)
        return replace(result, replies=(Reply(texts.WELCOME), *result.replies))
    return _begin(ctx)


def _begin(ctx: DialogContext) -> TurnResult:
    """Unknown requester: the CNPJ question. Known: the company (asked only if there are several)."""
    if ctx.requester is None:
        return _go(Step.ASK_CNPJ, ctx, before=(Reply(texts.WELCOME),))
    greeting = _greeting(ctx)
    companies = ctx.requester.companies
    if not companies:
        return _go(Step.LINK_CNPJ, ctx, lead=greeting)
    if len(companies) == 1:
        return _go(Step.ACCESS_MENU, ctx, cnpj=companies[0].cnpj, lead=greeting)
    return _go(Step.CHOOSE_COMPANY, ctx, lead=greeting)


def _greeting(ctx: DialogContext) -> str | None:
    return texts.welcome_back(ctx.requester.name) if ctx.requester else None


_REGISTRATION = frozenset({Step.ASK_CNPJ, Step.ASK_NAME, Step.ASK_EMAIL})
_WITHOUT_COMPANY = frozenset({Step.ASK_CNPJ, Step.CHOOSE_COMPANY, Step.LINK_CNPJ})
_AFTER_CLOSING = frozenset({Step.CONFIRM_FIX, Step.ASK_RATING, Step.ASK_RATING_COMMENT})
_ABOUT_A_TICKET = frozenset({Step.TICKET_MENU, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA}) | _AFTER_CLOSING


def _is_consistent(state: ConversationState, ctx: DialogContext) -> bool:
    if (ctx.requester is None) != (state.step in _REGISTRATION):
        return False
    if not state.cnpj and state.step not in _WITHOUT_COMPANY:
        return False
    if state.step is Step.RESUME_DRAFT:
        draft = _restored(state)
        return draft is not None and draft.step is not Step.RESUME_DRAFT and _is_consistent(draft, ctx)
    return state.step not in _ABOUT_A_TICKET or isinstance(state.data.get("ticket_number"), int)


# --- navigation: the words of every step -----------------------------------------------------


def _navigate(state: ConversationState, word: str, ctx: DialogContext) -> TurnResult:
    if word == "ajuda":
        return _again(state, ctx, texts.HELP)
    if word == "voltar":
        back = STEPS[state.step].back
        previous = back(state, ctx) if back else None
        return previous if previous is not None else _again(state, ctx, texts.NOTHING_BEFORE)
    # "menu": the tickets menu of the company in use; without one, the start.
    if ctx.requester is None or not state.cnpj:
        return _begin(ctx)
    return _tickets_menu(state.cnpj, ctx, lead=_discarded(state))


def _discarded(state: ConversationState) -> str | None:
    """The notice owed when leaving `state` drops what the requester wrote."""
    return texts.DRAFT_DISCARDED if _draft_label(state) else None


def _draft_label(state: ConversationState) -> str | None:
    """What names the draft in progress (its subject, or the ticket's number), if there is one."""
    data = state.data
    if state.step in _TICKET_DRAFT and data.get("title"):
        return str(data["title"])
    if state.step in _ACTION_DRAFT and (data.get("text") or data.get("attachments")):
        return str(data["ticket_number"])
    if state.step is Step.RESUME_DRAFT:
        draft = _restored(state)
        return _draft_label(draft) if draft else None
    return None


# --- a pause: the draft is offered back ------------------------------------------------------


def _paused(state: ConversationState) -> ConversationState | None:
    """After a pause a draft waits for the requester's decision; anything else is over."""
    if state.step is Step.RESUME_DRAFT:
        return state  # the offer still waits for an answer
    if state.step in _AFTER_CLOSING:  # asked by the notifier, long after the last message: it waits
        inner = _resumed(state)
        waiting = _paused(inner) if inner is not None else None
        return replace(state, data={**state.data, "resume": waiting.to_dict() if waiting else None})
    if _draft_label(state) is None:
        return None
    return ConversationState(Step.RESUME_DRAFT, cnpj=state.cnpj, data={"draft": state.to_dict()})


def _ask_resume(state: ConversationState, ctx: DialogContext) -> str:
    return texts.resume_offer(_untokenized(_draft_label(state) or ""))


def _on_resume_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    match _option(text, 2):
        case 1:
            draft = _restored(state)
            assert draft is not None  # _is_consistent checked it
            files = len(draft.data.get("attachments") or [])
            return TurnResult(draft, (Reply(_join(texts.resumed(files), prompt(draft, ctx))),))
        case 2:
            return _led(_begin(ctx), texts.DRAFT_DISCARDED)
    return _again(state, ctx, texts.INVALID_OPTION)


def _restored(state: ConversationState) -> ConversationState | None:
    try:
        return ConversationState.from_dict(state.data["draft"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


# --- a reply quoting a notification ----------------------------------------------------------


def _answer_notification(
    state: ConversationState | None, ref: TicketRef, turn: TurnInput, ctx: DialogContext
) -> TurnResult | None:
    """The quoted reply is the text (or file) of a new action on that ticket. None when the
    conversation is already writing to that ticket: then the reply is simply its next answer."""
    if turn.kind is InboundKind.OTHER:
        return None
    if state is not None and state.step in _ACTION_DRAFT:
        if state.data.get("ticket_number") == ref.number and state.cnpj == ref.cnpj:
            return None  # already writing to that ticket
    asking = ConversationState(Step.ASK_ACTION_TEXT, cnpj=ref.cnpj, data={"ticket_number": ref.number})
    discarded = _discarded(state) if state is not None else None
    return _led(_answer(asking, turn, ctx), discarded, texts.replying_to_ticket(ref.number))


# --- flow 1: first contact -------------------------------------------------------------------


def _client(text: str, ctx: DialogContext) -> tuple[str | None, CompanyView | None]:
    """The CNPJ typed (None when it is not a valid one) and the client company registered under it."""
    cnpj = normalize(text)
    if cnpj is None or not is_valid(cnpj):
        return None, None
    return cnpj, ctx.find_company(cnpj)


def _on_cnpj(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj, company = _client(text, ctx)
    if cnpj is None:
        return _again(state, ctx, texts.INVALID_CNPJ)
    if company is None:
        return _end(ctx, lead=texts.CLIENTS_ONLY)
    return _go(Step.ASK_NAME, ctx, cnpj=company.cnpj, lead=texts.company_found(company.name))


def _on_name(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    name = " ".join(text.split())
    if "\n" in text or len(name) > MAX_NAME_LENGTH or not any(char.isalpha() for char in name):
        return _again(state, ctx, texts.INVALID_NAME)
    return _go(Step.ASK_EMAIL, ctx, cnpj=state.cnpj, data={"name": name})


def _on_email(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    if not is_valid_email(text):
        return _again(state, ctx, texts.INVALID_EMAIL)
    cnpj = state.cnpj or ""
    register = RegisterRequester(name=state.data.get("name") or "", email=text, cnpj=cnpj)
    welcome = Reply(texts.credentials(ctx.settings.portal_url), fill=CREDENTIALS)
    return _tickets_menu(cnpj, ctx, before=(welcome,), effects=(register,))


# --- flow 5: second contact ------------------------------------------------------------------


def _on_company_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    companies = _companies(ctx)
    choice = _option(text, len(companies) + 1)
    if choice is None:
        return _again(state, ctx, texts.INVALID_OPTION)
    if choice == len(companies) + 1:
        return _go(Step.LINK_CNPJ, ctx)
    return _go(Step.ACCESS_MENU, ctx, cnpj=companies[choice - 1].cnpj)


def _on_access_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj = state.cnpj or ""
    match _option(text, 3):
        case 1:
            credentials = Reply(texts.access_recovered(ctx.settings.portal_url), fill=CREDENTIALS)
            return _tickets_menu(cnpj, ctx, before=(credentials,), effects=(ResetCredentials(),))
        case 2:
            return _tickets_menu(cnpj, ctx)
        case 3:
            return _go(Step.LINK_CNPJ, ctx, cnpj=state.cnpj)
    return _again(state, ctx, texts.INVALID_OPTION)


def _on_link_cnpj(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj, company = _client(text, ctx)
    if cnpj is None:
        return _again(state, ctx, texts.INVALID_CNPJ)
    if company is None:
        return _again(state, ctx, texts.CLIENTS_ONLY)
    if any(linked.cnpj == company.cnpj for linked in _companies(ctx)):
        return _tickets_menu(company.cnpj, ctx, lead=texts.company_selected(company.name))
    return _tickets_menu(
        company.cnpj, ctx, lead=texts.company_linked(company.name), effects=(LinkCompany(company.cnpj),)
    )


# --- flow 2: the tickets menu ----------------------------------------------------------------


def _tickets_menu(cnpj: str, ctx: DialogContext, *, page: int = 0, **kwargs: Any) -> TurnResult:
    return _go(Step.TICKETS_MENU, ctx, cnpj=cnpj, data={"page": page}, **kwargs)


def _on_ticket_choice(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    cnpj = state.cnpj or ""
    if _means(text, "mais"):
        page = _page(state, ctx) + 1
        if page * _page_size(ctx) >= len(ctx.tickets(cnpj)):
            return _tickets_menu(cnpj, ctx, lead=texts.NO_MORE_TICKETS)
        return _tickets_menu(cnpj, ctx, page=page)
    number = _number(text)
    if number is None:
        return _again(state, ctx, texts.INVALID_TICKET_CHOICE)
    if number == 0:
        return _go(Step.ASK_SUBJECT, ctx, cnpj=cnpj)
    opened = _open_ticket(cnpj, number, ctx)
    if opened is None:  # not theirs, or not at all: the same answer
        return _again(state, ctx, texts.ticket_not_found(number))
    return opened


def _open_ticket(cnpj: str, number: int, ctx: DialogContext) -> TurnResult | None:
    ticket = ctx.ticket(cnpj, number)
    if ticket is None:
        return None
    return _go(Step.TICKET_MENU, ctx, cnpj=cnpj, data={"ticket_number": number}, lead=_detail(ticket))


# --- flow 3: a new ticket --------------------------------------------------------------------


def _on_subject(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    limit = ctx.settings.max_subject_length
    if "\n" in text:
        return _again(state, ctx, texts.MULTILINE_SUBJECT)
    if len(text) > limit:
        return _again(state, ctx, texts.subject_too_long(limit, len(text)))
    types = [{"id": kind.id, "name": kind.name} for kind in ctx.request_types()]
    if not types:  # nothing to choose from: no question
        data = {**state.data, **_draft(text, None)}
        return _go(Step.ASK_DESCRIPTION, ctx, cnpj=state.cnpj, data=data)
    return _go(Step.ASK_TYPE, ctx, cnpj=state.cnpj, data={**state.data, "title": text, "types": types})


def _on_type(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    types = state.data.get("types") or []
    choice = len(types) + 1 if _means(text, "outro") else _option(text, len(types) + 1)
    if choice is None:
        return _again(state, ctx, texts.INVALID_OPTION)
    chosen = types[choice - 1] if choice <= len(types) else None  # the last option is "Outro"
    kept = {key: value for key, value in state.data.items() if key != "types"}
    data = {**kept, **_draft(state.data.get("title"), chosen)}
    return _go(Step.ASK_DESCRIPTION, ctx, cnpj=state.cnpj, data=data)


def _draft(title: str | None, request_type: dict[str, str] | None) -> dict[str, Any]:
    return {
        "title": title or "",
        "type_id": request_type["id"] if request_type else None,
        "type_name": request_type["name"] if request_type else None,
    }


def _create_ticket(state: ConversationState, ctx: DialogContext) -> TurnResult:
    cnpj, data = state.cnpj or "", state.data
    title = data.get("title") or ""
    away = _away_notice(ctx)
    create = CreateTicket(
        cnpj=cnpj,
        title=title,
        description=data.get("description") or "",
        request_type_id=data.get("type_id"),
        request_type_name=data.get("type_name"),
        attachments=_attachments(state),
        out_of_hours=away is not None,
    )
    created = Reply(_join(texts.ticket_created(_untokenized(title)), away), fill=TICKET_NUMBER)
    # The new ticket is not stored yet: the menu lists it by the number the executor fills in.
    menu_state = ConversationState(step=Step.TICKETS_MENU, cnpj=cnpj, data={"page": 0})
    new_row = ("{ticket_number}", _untokenized(title), NEW_TICKET_STATUS)
    menu = Reply(_tickets_menu_text(menu_state, ctx, new_row), fill=TICKET_NUMBER)
    return TurnResult(menu_state, (created, menu), (create,))


def _back_to_subject(state: ConversationState, ctx: DialogContext) -> TurnResult:
    return _go(Step.ASK_SUBJECT, ctx, cnpj=state.cnpj, data=state.data, lead=texts.BACK)


def _back_to_type(state: ConversationState, ctx: DialogContext) -> TurnResult:
    types = [{"id": kind.id, "name": kind.name} for kind in ctx.request_types()]
    if not types:
        return _back_to_subject(state, ctx)
    return _go(Step.ASK_TYPE, ctx, cnpj=state.cnpj, data={**state.data, "types": types}, lead=texts.BACK)


# --- flow 4: one ticket ----------------------------------------------------------------------


def _on_ticket_action(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    match _option(text, 3):
        case 1:
            data = {"ticket_number": state.data["ticket_number"]}
            return _go(Step.ASK_ACTION_TEXT, ctx, cnpj=state.cnpj, data=data)
        case 2:
            return _tickets_menu(state.cnpj or "", ctx)
        case 3:
            return _end(ctx)
    return _again(state, ctx, texts.INVALID_OPTION)


def _post_action(state: ConversationState, ctx: DialogContext) -> TurnResult:
    number = state.data["ticket_number"]
    text = state.data.get("text") or ""
    post = PostAction(ticket_number=number, text=text, attachments=_attachments(state))
    return _go(
        Step.TICKET_MENU,
        ctx,
        cnpj=state.cnpj,
        data={"ticket_number": number},
        lead=_join(texts.action_posted(number), _away_notice(ctx)),
        effects=(post,),
    )


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


def _back_to_ticket(state: ConversationState, ctx: DialogContext) -> TurnResult:
    data = {"ticket_number": state.data["ticket_number"]}
    return _go(Step.TICKET_MENU, ctx, cnpj=state.cnpj, data=data, lead=_discarded(state) or texts.BACK)


# --- the text of a ticket or an action, and its files ----------------------------------------
#
# Both flows write a text (the description, the action's text) then take files until "Fim". Where
# the text is asked a file may come instead (its caption, or what it is, stands for the text);
# where files are asked any other text is added to it. Nothing the requester sends is dropped
# silently: it is kept, or refused with the reason.


@dataclass(frozen=True)
class _Writing:
    key: str  # where the text goes in state.data
    files_step: Step
    limit: Callable[[DialogContext], int]
    finish: Callable[[ConversationState, DialogContext], TurnResult]


_TICKET_WRITING = _Writing(
    "description", Step.TICKET_MEDIA, lambda ctx: ctx.settings.max_description_length, _create_ticket
)
_ACTION_WRITING = _Writing(
    "text", Step.ACTION_MEDIA, lambda ctx: ctx.settings.max_action_length, _post_action
)
_WRITING = {
    Step.ASK_DESCRIPTION: _TICKET_WRITING,
    Step.TICKET_MEDIA: _TICKET_WRITING,
    Step.ASK_ACTION_TEXT: _ACTION_WRITING,
    Step.ACTION_MEDIA: _ACTION_WRITING,
}
_TICKET_DRAFT = frozenset({Step.ASK_SUBJECT, Step.ASK_TYPE, Step.ASK_DESCRIPTION, Step.TICKET_MEDIA})
_ACTION_DRAFT = frozenset({Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA})


def _on_text(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """The description or the action's text: it replaces any earlier one (after `voltar`)."""
    writing = _WRITING[state.step]
    limit = writing.limit(ctx)
    if len(text) > limit:
        return _again(state, ctx, texts.text_too_long(limit, len(text)))
    data = {**state.data, writing.key: text, "attachments": state.data.get("attachments") or []}
    return _go(writing.files_step, ctx, cnpj=state.cnpj, data=data)


def _on_file_for_text(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file where the text is asked: kept, its caption (or what it is) as the text."""
    writing = _WRITING[state.step]
    refused = _file_refusal(state, turn, ctx)
    if refused is not None:
        return refused
    attachment = turn.attachment
    assert attachment is not None  # _file_refusal checked it
    text = (turn.caption or "").strip() or texts.FILE_AS_TEXT[attachment.kind.value]
    limit = writing.limit(ctx)
    if len(text) > limit:
        return _again(state, ctx, texts.caption_too_long(limit))
    files = [*(state.data.get("attachments") or []), attachment.to_dict()]
    data = {**state.data, writing.key: text, "attachments": files}
    lead = texts.file_kept(attachment.filename)
    return _go(writing.files_step, ctx, cnpj=state.cnpj, data=data, lead=lead)


def _on_files_text(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """`Fim` ends the step; any other text is added to the draft's text on a new line."""
    writing = _WRITING[state.step]
    if _means(text, "fim"):
        return writing.finish(state, ctx)
    added = _appended(state, writing, text, ctx)
    if added is None:
        return TurnResult(state, (Reply(texts.no_room_for_text(writing.limit(ctx))),))
    return TurnResult(added, (Reply(texts.TEXT_ADDED),))


def _on_file(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file in a files step: kept (with its caption added to the text), or explained."""
    refused = _file_refusal(state, turn, ctx)
    if refused is not None:
        return refused
    attachment = turn.attachment
    assert attachment is not None  # _file_refusal checked it
    kept = state
    caption = (turn.caption or "").strip()
    if caption:
        writing = _WRITING[state.step]
        added = _appended(state, writing, caption, ctx)
        if added is None:
            return TurnResult(state, (Reply(texts.caption_too_long(writing.limit(ctx))),))
        kept = added
    files = [*(kept.data.get("attachments") or []), attachment.to_dict()]
    kept = replace(kept, data={**kept.data, "attachments": files})
    return TurnResult(kept, (Reply(texts.file_received(attachment.filename, len(files))),))


def _file_refusal(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult | None:
    if turn.media_refused is MediaRefusal.TOO_LARGE:
        return _again(state, ctx, texts.media_too_large(ctx.settings.max_media_bytes // (1024 * 1024)))
    if turn.media_refused is not None:
        return _again(state, ctx, texts.MEDIA_UNSUPPORTED)
    if turn.attachment is None:
        return _again(state, ctx, texts.MEDIA_FAILED)
    if len(state.data.get("attachments") or []) >= MAX_FILES:
        return _again(state, ctx, texts.too_many_files(MAX_FILES))
    return None


def _appended(state: ConversationState, writing: _Writing, text: str, ctx: DialogContext):
    """The state with `text` added to the draft's text, or None when it would not fit."""
    current = str(state.data.get(writing.key) or "")
    joined = f"{current}\n{text}" if current else text
    if len(joined) > writing.limit(ctx):
        return None
    return replace(state, data={**state.data, writing.key: joined})


def _back_to_text(state: ConversationState, ctx: DialogContext) -> TurnResult:
    step = Step.ASK_DESCRIPTION if state.step is Step.TICKET_MEDIA else Step.ASK_ACTION_TEXT
    return _go(step, ctx, cnpj=state.cnpj, data=state.data, lead=texts.BACK)


def _attachments(state: ConversationState) -> tuple[Attachment, ...]:
    return tuple(Attachment.from_dict(raw) for raw in state.data.get("attachments") or [])


# --- flow 7: after a ticket is closed: was it solved? a rating ----------------------------------
#
# The notifier asks the question when an agent closes a ticket (`ask_fix`), keeping the state it
# interrupts in data["resume"]. An answer moves on; anything else is not an answer and is handled
# by the interrupted state (or as a new conversation): the question is never a trap.


def ask_fix(current: ConversationState | None, ticket_number: int, cnpj: str) -> ConversationState:
    """The state in which the requester is asked whether the closed ticket is solved."""
    resume = current
    if resume is not None and resume.step in _AFTER_CLOSING:  # an older question: dropped
        resume = _resumed(resume)
    kept = resume.to_dict() if resume is not None and resume.step is not Step.ENDED else None
    return ConversationState(Step.CONFIRM_FIX, cnpj, {"ticket_number": ticket_number, "resume": kept})


def _on_fix_answer(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    number = state.data["ticket_number"]
    answer = _yes_no(text)
    if answer is None or ctx.ticket(state.cnpj or "", number) is None:
        return _not_an_answer(state, text, ctx)
    if answer:
        data = {"ticket_number": number, "resume": state.data.get("resume")}
        return _go(Step.ASK_RATING, ctx, cnpj=state.cnpj, data=data, lead=texts.FIX_CONFIRMED)
    return _go(
        Step.ASK_ACTION_TEXT,
        ctx,
        cnpj=state.cnpj,
        data={"ticket_number": number},
        lead=texts.ticket_reopened(number),
        effects=(ReopenTicket(number),),
    )


def _on_rating(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    if _means(text, "pular"):
        return _resume(state, ctx, texts.RATING_SKIPPED)
    rating = _option(text, 5)
    if rating is None:
        return _not_an_answer(state, text, ctx)
    data = {**state.data, "rating": rating}
    return _go(Step.ASK_RATING_COMMENT, ctx, cnpj=state.cnpj, data=data)


def _on_rating_comment(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    limit = ctx.settings.max_action_length
    if len(text) > limit:
        return _again(state, ctx, texts.text_too_long(limit, len(text)))
    comment = None if _means(text, "pular") else text
    rate = RateTicket(state.data["ticket_number"], int(state.data["rating"]), comment)
    return _resume(state, ctx, texts.THANKS_FOR_RATING, effects=(rate,))


def _back_to_rating(state: ConversationState, ctx: DialogContext) -> TurnResult:
    """`voltar` from the comment: the rating again (another note replaces the one given)."""
    data = {key: value for key, value in state.data.items() if key != "rating"}
    return _go(Step.ASK_RATING, ctx, cnpj=state.cnpj, data=data)


def _not_an_answer(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """Whatever the requester wrote goes on as if the question had not been asked."""
    turn = TurnInput(kind=InboundKind.TEXT, text=text)
    return handle(_resumed(state), turn, ctx)


def _resume(state: ConversationState, ctx: DialogContext, lead: str, effects=()) -> TurnResult:
    """Back to where the question found the requester (or a goodbye), with `lead` first."""
    resumed = _resumed(state)
    if resumed is None or resumed.step is Step.ENDED or not _is_consistent(resumed, ctx):
        return _go(Step.ENDED, ctx, lead=lead, effects=effects)
    return TurnResult(resumed, (Reply(_join(lead, prompt(resumed, ctx))),), effects)


def _resumed(state: ConversationState) -> ConversationState | None:
    raw = state.data.get("resume")
    try:
        return ConversationState.from_dict(raw) if isinstance(raw, dict) else None
    except (KeyError, ValueError):
        return None


def _yes_no(text: str) -> bool | None:
    folded = fold(text).rstrip(".!")
    if folded in ("1", "sim", "s"):
        return True
    if folded in ("2", "nao", "n"):
        return False
    return None


# --- business hours --------------------------------------------------------------------------


def _away_notice(ctx: DialogContext) -> str | None:
    """When the team is away: when it will look (the next opening). None during business hours."""
    hours = ctx.business_hours()
    if hours is None or hours.is_open(ctx.now):
        return None
    opening = hours.next_opening(ctx.now)
    return texts.out_of_hours(
        opening.astimezone(REQUESTER_ZONE) if opening else None, ctx.now.astimezone(REQUESTER_ZONE)
    )


# --- personal data (LGPD) --------------------------------------------------------------------


def _my_data(state: ConversationState | None, ctx: DialogContext) -> TurnResult:
    """What is held about the requester, then the conversation goes on where it was."""
    contact = ctx.settings.privacy_contact
    requester = ctx.requester
    if requester is None:
        summary = texts.my_data_unknown(contact)
    else:
        companies = [f"{c.name} ({format_cnpj(c.cnpj)})" for c in requester.companies]
        count = sum(len(ctx.tickets(c.cnpj)) for c in requester.companies)
        summary = texts.my_data(requester.name, requester.email, requester.phone, companies, count, contact)
    if state is None or state.step is Step.ENDED or not _is_consistent(state, ctx):
        return TurnResult(ConversationState(Step.ENDED), (Reply(summary),))
    return TurnResult(state, (Reply(summary), Reply(prompt(state, ctx))))


# --- prompts ---------------------------------------------------------------------------------


def _fixed(text: str) -> Prompt:
    return lambda state, ctx: text


def _ask_company(state: ConversationState, ctx: DialogContext) -> str:
    return texts.choose_company([(company.name, format_cnpj(company.cnpj)) for company in _companies(ctx)])


def _ask_access(state: ConversationState, ctx: DialogContext) -> str:
    return texts.access_menu(_company_name(state.cnpj or "", ctx))


def _ask_ticket_choice(state: ConversationState, ctx: DialogContext) -> str:
    return _tickets_menu_text(state, ctx)


def _tickets_menu_text(
    state: ConversationState, ctx: DialogContext, new_row: tuple[str, str, str] | None = None
) -> str:
    cnpj = state.cnpj or ""
    tickets: list[tuple[int | str, str, str]] = [(t.number, t.title, t.status) for t in ctx.tickets(cnpj)]
    if new_row:
        tickets.insert(0, new_row)
    size, page = _page_size(ctx), _page(state, ctx)
    start = page * size if page * size < len(tickets) else 0
    shown = tickets[start : start + size]
    return texts.tickets_menu(
        _company_name(cnpj, ctx),
        shown,
        first=start + 1,
        total=len(tickets),
        has_more=start + size < len(tickets),
    )


def _ask_subject(state: ConversationState, ctx: DialogContext) -> str:
    return texts.ask_subject(ctx.settings.max_subject_length)


def _ask_type(state: ConversationState, ctx: DialogContext) -> str:
    return texts.ask_type([kind.get("name", "") for kind in state.data.get("types") or []])


def _ask_ticket_action(state: ConversationState, ctx: DialogContext) -> str:
    return texts.action_menu(state.data["ticket_number"])


def _ask_action_text(state: ConversationState, ctx: DialogContext) -> str:
    return texts.ask_action_text(state.data["ticket_number"])


def _ask_rating_comment(state: ConversationState, ctx: DialogContext) -> str:
    return texts.ask_rating_comment(int(state.data.get("rating") or 0))


# --- the steps -------------------------------------------------------------------------------


def _go_back(step: Step) -> Back:
    """`voltar` to a step of the first flows, which keep no draft but the company."""
    return lambda state, ctx: _go(step, ctx, cnpj=state.cnpj, lead=texts.BACK)


def _back_from_access(state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    return _go(Step.CHOOSE_COMPANY, ctx, lead=texts.BACK) if len(_companies(ctx)) > 1 else None


def _back_from_link(state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    if state.cnpj:
        return _go(Step.ACCESS_MENU, ctx, cnpj=state.cnpj, lead=texts.BACK)
    return _back_from_access(state, ctx)


def _back_to_tickets(state: ConversationState, ctx: DialogContext) -> TurnResult:
    return _tickets_menu(state.cnpj or "", ctx, lead=_discarded(state) or texts.BACK)


STEPS: dict[Step, StepSpec] = {
    # flow 1: first contact
    Step.ASK_CNPJ: StepSpec(_fixed(texts.ASK_CNPJ), _on_cnpj),
    Step.ASK_NAME: StepSpec(_fixed(texts.ASK_NAME), _on_name, back=_go_back(Step.ASK_CNPJ)),
    Step.ASK_EMAIL: StepSpec(_fixed(texts.ASK_EMAIL), _on_email, back=_go_back(Step.ASK_NAME)),
    # flow 5: second contact
    Step.CHOOSE_COMPANY: StepSpec(_ask_company, _on_company_choice),
    Step.ACCESS_MENU: StepSpec(_ask_access, _on_access_choice, back=_back_from_access),
    Step.LINK_CNPJ: StepSpec(_fixed(texts.ASK_LINK_CNPJ), _on_link_cnpj, back=_back_from_link),
    # flow 2: tickets menu
    Step.TICKETS_MENU: StepSpec(_ask_ticket_choice, _on_ticket_choice, back=_go_back(Step.ACCESS_MENU)),
    # flow 3: a new ticket
    Step.ASK_SUBJECT: StepSpec(_ask_subject, _on_subject, back=_back_to_tickets),
    Step.ASK_TYPE: StepSpec(_ask_type, _on_type, back=_back_to_subject),
    Step.ASK_DESCRIPTION: StepSpec(
        _fixed(texts.ASK_DESCRIPTION), _on_text, _on_file_for_text, back=_back_to_type
    ),
    Step.TICKET_MEDIA: StepSpec(_fixed(texts.ASK_TICKET_MEDIA), _on_files_text, _on_file, back=_back_to_text),
    # flow 4: one ticket
    Step.TICKET_MENU: StepSpec(_ask_ticket_action, _on_ticket_action, back=_back_to_tickets),
    Step.ASK_ACTION_TEXT: StepSpec(_ask_action_text, _on_text, _on_file_for_text, back=_back_to_ticket),
    Step.ACTION_MEDIA: StepSpec(_fixed(texts.ASK_ACTION_MEDIA), _on_files_text, _on_file, back=_back_to_text),
    # after a pause: a draft offered back
    Step.RESUME_DRAFT: StepSpec(_ask_resume, _on_resume_choice),
    # flow 7: after a ticket is closed
    Step.CONFIRM_FIX: StepSpec(_fixed(texts.ASK_FIX_CONFIRMED), _on_fix_answer),
    Step.ASK_RATING: StepSpec(_fixed(texts.ASK_RATING), _on_rating),
    Step.ASK_RATING_COMMENT: StepSpec(_ask_rating_comment, _on_rating_comment, back=_back_to_rating),
    # flow 6: the end (the next message starts over)
    Step.ENDED: StepSpec(_fixed(texts.GOODBYE)),
}


# --- reading answers -------------------------------------------------------------------------

_NUMBER = re.compile(r"#?\s*(\d{1,9})[.)]?", re.ASCII)


def _means(text: str | None, word: str) -> bool:
    """`text` is `word`, whatever the case, accents, spaces or a final "." / "!"."""
    return fold(text).rstrip(".!") == word


def _navigation_word(turn: TurnInput) -> str | None:
    if turn.kind is not InboundKind.TEXT:
        return None
    return next((word for word in NAVIGATION if _means(turn.text, word)), None)


def _number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _option(text: str, count: int) -> int | None:
    """The option 1..count the requester typed, or None."""
    number = _number(text)
    return number if number is not None and 1 <= number <= count else None


def _page_size(ctx: DialogContext) -> int:
    return max(1, ctx.settings.page_size)


def _page(state: ConversationState, ctx: DialogContext) -> int:
    page = state.data.get("page")
    return page if isinstance(page, int) and page >= 0 else 0


def _companies(ctx: DialogContext) -> tuple[CompanyView, ...]:
    return ctx.requester.companies if ctx.requester else ()


def _company_name(cnpj: str, ctx: DialogContext) -> str:
    for company in _companies(ctx):
        if company.cnpj == cnpj:
            return company.name
    found = ctx.find_company(cnpj)
    return found.name if found else format_cnpj(cnpj)


def _untokenized(text: str) -> str:
    """User text going into a Reply with `fill`: it must not smuggle one of the tokens in."""
    for name in (*CREDENTIALS, *TICKET_NUMBER):
        text = text.replace("{" + name + "}", name)
    return text
