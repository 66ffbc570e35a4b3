"""A problem described where a menu was asked starts a ticket draft (the seam other offers hook
into, such as a knowledge-base answer before the ticket).

At the tickets menu, at the access menu or right after the registration, a message that describes
a problem (`reading.problem`) or a file with a caption becomes a new ticket's draft: its subject is
the first sentence cut at a word (at most the subject's limit), its description the whole text,
its files attached. The bot then asks only what is missing (the type) and shows what it will open,
with "Fim" to open it (more files or text may come first). A subject typed over the limit, or in
several lines, takes the same way: the title is cut, the whole text is the description; it is
never refused.
"""

from __future__ import annotations

import re

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import ConversationState, DialogContext, Step, TurnInput, TurnResult
from helpdesk.domain.dialog import knowledge
from helpdesk.domain.dialog.moves import again, go, join, led, not_kept
from helpdesk.domain.messages import Attachment
from helpdesk.domain.step_data import OfferedType, StepData

MAX_KEPT_FILES = 20
# Steps besides the text steps where a file is kept (see dialog.keeps_files).
FILE_STEPS = frozenset(
    {
        Step.ASK_CNPJ,
        Step.ASK_NAME,
        Step.ASK_EMAIL,
        Step.CHOOSE_COMPANY,
        Step.LINK_CNPJ,
        Step.ACCESS_MENU,
        Step.TICKETS_MENU,
        Step.TICKET_MENU,
        Step.ASK_SUBJECT,
        Step.ASK_TYPE,
    }
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def subject_of(text: str, limit: int) -> str:
    """The first sentence of `text`, cut at a word to fit `limit` (with "…" when cut)."""
    flat = " ".join(text.split())
    first = next((part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()), flat)
    first = " ".join(first.split())
    if len(first) <= limit:
        return first
    cut = (
        first[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
        if " " in first[: limit - 1]
        else first[: limit - 1]
    )
    return cut + "…"


def start(
    cnpj: str,
    text: str | None,
    files: tuple[Attachment, ...],
    ctx: DialogContext,
    *,
    lead: str | None = None,
    **kwargs,
) -> TurnResult:
    """A new ticket's draft from what was described (`text`, `files`), asking what is missing."""
    described = (text or "").strip()
    if not described:  # a file alone: its subject is asked
        data = StepData(attachments=files)
        return go(Step.ASK_SUBJECT, ctx, cnpj=cnpj, data=data, lead=join(lead, texts.FILE_FIRST), **kwargs)
    data = StepData(
        title=subject_of(described, ctx.settings.max_subject_length),
        description=described[: ctx.settings.max_description_length],
        attachments=files,
        described=True,
    )
    return _type_or_preview(cnpj, data, ctx, lead=join(lead, texts.DRAFT_FROM_PROBLEM), **kwargs)


def from_subject(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """A subject over the limit or in several lines: the title cut, the whole text described."""
    data = replace(
        state.data,
        title=subject_of(text, ctx.settings.max_subject_length),
        description=text[: ctx.settings.max_description_length],
        described=True,
    )
    return _type_or_preview(state.cnpj or "", data, ctx, lead=texts.SUBJECT_CUT)


def from_file(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file (with or without a caption) where a menu was asked: a draft with it."""
    files = (turn.attachment,) if turn.attachment is not None else ()
    return start(state.cnpj or "", turn.caption, files, ctx)


def keep_for_later(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file before the company is known (the registration, the company's choice): it and its
    caption wait in the draft of the ticket the registration ends in."""
    kept = state.data
    if turn.attachment is not None and len(kept.attachments) < MAX_KEPT_FILES:
        kept = replace(kept, attachments=(*kept.attachments, turn.attachment))
    caption = (turn.caption or "").strip()
    if not caption and turn.attachment is None:
        return again(state, ctx, not_kept(turn, ctx))
    if caption:
        kept = replace(kept, problem="\n".join(part for part in (kept.problem, caption) if part))
    said = texts.kept_for_ticket(
        told=bool(caption),
        files=turn.attachment is not None,
        company_first=state.step is Step.CHOOSE_COMPANY,
    )
    return again(replace(state, data=kept), ctx, said)


def file_for_subject(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file where the subject is asked: kept; its caption is the subject (and the description)."""
    files = (*state.data.attachments, *((turn.attachment,) if turn.attachment is not None else ()))
    caption = (turn.caption or "").strip()
    if not caption:
        return again(replace(state, data=replace(state.data, attachments=files)), ctx, texts.FILE_FIRST)
    return from_subject(replace(state, data=replace(state.data, attachments=files)), caption, ctx)


def file_for_draft(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file where the type is asked: kept in the draft (its caption added to the description)."""
    data = state.data
    if turn.attachment is not None:
        data = replace(data, attachments=(*data.attachments, turn.attachment))
    caption = (turn.caption or "").strip()
    if caption:
        data = replace(data, description="\n".join(part for part in (data.description, caption) if part))
    return again(replace(state, data=data), ctx, texts.FILE_FIRST)


def preview(state: ConversationState, ctx: DialogContext, lead: str | None = None) -> TurnResult:
    """What will be opened, and the files question ("Fim" opens it); before it, articles of the
    knowledge base that may solve the problem (`knowledge.offer`), once per draft."""
    offered = knowledge.offer(state, ctx)
    if offered is not None:
        return led(offered, lead)
    data = state.data
    shown = texts.draft_preview(
        data.title or "", data.type_name, data.description or "", len(data.attachments)
    )
    return go(Step.TICKET_MEDIA, ctx, cnpj=state.cnpj, data=data, lead=join(lead, shown))


def _type_or_preview(
    cnpj: str, data: StepData, ctx: DialogContext, *, lead: str | None, **kwargs
) -> TurnResult:
    types = tuple(OfferedType(id=kind.id, name=kind.name) for kind in ctx.request_types())
    if types:
        return go(Step.ASK_TYPE, ctx, cnpj=cnpj, data=replace(data, types=types), lead=lead, **kwargs)
    state = ConversationState(Step.TICKET_MEDIA, cnpj, data)
    shown = preview(state, ctx, lead)
    before = kwargs.get("before", ())
    return replace(shown, replies=(*before, *shown.replies), effects=kwargs.get("effects", ()))
