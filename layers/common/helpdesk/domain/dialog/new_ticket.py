"""Flow 3: a new ticket: its subject, its type, then its description and files (see `files`)."""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    CreateTicket,
    DialogContext,
    Reply,
    Step,
    TurnResult,
)
from helpdesk.domain.dialog import drafts, understood
from helpdesk.domain.dialog.context import away_notice
from helpdesk.domain.dialog.heard import heard
from helpdesk.domain.dialog.moves import TICKET_NUMBER, again, ask, go, join, untokenized
from helpdesk.domain.dialog.states import attachments
from helpdesk.domain.dialog.tickets import tickets_question
from helpdesk.domain.menus import Question
from helpdesk.domain.statuses import NEW_TICKET_STATUS
from helpdesk.domain.step_data import OfferedType, StepData


def ask_subject(state: ConversationState, ctx: DialogContext) -> Question:
    return Question(texts.ask_subject(ctx.settings.max_subject_length))


def on_subject(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    if "\n" in text or len(text) > ctx.settings.max_subject_length:  # never refused: cut at a word
        return drafts.from_subject(state, text, ctx)
    types = _request_types(ctx)
    if not types:  # nothing to choose from: no question
        return go(Step.ASK_DESCRIPTION, ctx, cnpj=state.cnpj, data=_draft(state.data, text, None))
    return go(Step.ASK_TYPE, ctx, cnpj=state.cnpj, data=replace(state.data, title=text, types=types))


def ask_type(state: ConversationState, ctx: DialogContext) -> Question:
    """The types exactly as offered when the step began (data.types), then "Outro"."""
    return texts.ask_type([(kind.id, kind.name) for kind in state.data.types])


def on_type(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    types = state.data.types
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
        # Words about the problem ("PDV travando"); a word alone is more likely a type not listed.
        if understood.missed(state, choice) and heard(state, text).problem and len(text.split()) >= 2:
            return _described_ahead(state, text, ctx)
        return choice
    chosen = next((kind for kind in types if kind.id == choice.key), None)  # None: "Outro"
    data = _draft(replace(state.data, types=()), state.data.title, chosen)
    if data.described:  # the description came with the subject: what will be opened, then "Fim"
        return drafts.preview(ConversationState(Step.TICKET_MEDIA, state.cnpj, data), ctx)
    return go(Step.ASK_DESCRIPTION, ctx, cnpj=state.cnpj, data=data)


def _described_ahead(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """The problem described where its type is asked: the draft's description (the description
    step is then skipped), and the type asked again."""
    written = state.data.description if state.data.described else None
    description = "\n".join(part for part in (written, text.strip()) if part)
    data = replace(state.data, description=description[: ctx.settings.max_description_length], described=True)
    return again(replace(state, data=data), ctx, texts.DESCRIBED_AHEAD)


def _request_types(ctx: DialogContext) -> tuple[OfferedType, ...]:
    return tuple(OfferedType(id=kind.id, name=kind.name) for kind in ctx.request_types())


def _draft(data: StepData, title: str | None, request_type: OfferedType | None) -> StepData:
    return replace(
        data,
        title=title or "",
        type_id=request_type.id if request_type else None,
        type_name=request_type.name if request_type else None,
    )


def create_ticket(state: ConversationState, ctx: DialogContext) -> TurnResult:
    cnpj, data = state.cnpj or "", state.data
    title = data.title or ""
    away = away_notice(ctx)
    create = CreateTicket(
        cnpj=cnpj,
        title=title,
        description=data.description or "",
        request_type_id=data.type_id,
        request_type_name=data.type_name,
        attachments=attachments(state),
        out_of_hours=away is not None,
        offered_articles=data.offered,
    )
    created = Reply(join(texts.ticket_created(untokenized(title)), away), fill=TICKET_NUMBER)
    # The new ticket is not stored yet: the menu lists it by the number the executor fills in.
    menu_state = ConversationState(step=Step.TICKETS_MENU, cnpj=cnpj, data=StepData(page=0))
    new_row = ("{ticket_number}", untokenized(title), NEW_TICKET_STATUS)
    menu = replace(ask(tickets_question(menu_state, ctx, new_row)), fill=TICKET_NUMBER)
    return TurnResult(menu_state, (created, menu), (create,))


def back_to_subject(state: ConversationState, ctx: DialogContext) -> TurnResult:
    return go(Step.ASK_SUBJECT, ctx, cnpj=state.cnpj, data=state.data, lead=texts.BACK)


def back_to_type(state: ConversationState, ctx: DialogContext) -> TurnResult:
    types = _request_types(ctx)
    if not types:
        return back_to_subject(state, ctx)
    return go(Step.ASK_TYPE, ctx, cnpj=state.cnpj, data=replace(state.data, types=types), lead=texts.BACK)
