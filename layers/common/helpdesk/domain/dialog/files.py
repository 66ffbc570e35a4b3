"""The text of a ticket or an action, and its files.

Both flows write a text (the description, the action's text) then take files until "Fim" (or
words saying it: `answers.done`). Where the text is asked a file may come instead (its caption, or
what it is, stands for the text); where files are asked any other text is added to it. While a
ticket is shown, a file or a sentence starts a new message on it. Nothing the requester sends is
dropped silently: it is kept, or refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct
from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    Reply,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.dialog import knowledge, understood
from helpdesk.domain.dialog.answers import done
from helpdesk.domain.dialog.moves import again, go, not_kept
from helpdesk.domain.dialog.new_ticket import create_ticket
from helpdesk.domain.dialog.ticket_detail import (
    asks_how_it_stands,
    on_ticket_action,
    open_ticket,
    post_action,
)
from helpdesk.domain.menus import Question
from helpdesk.domain.messages import Attachment
from helpdesk.domain.step_data import StepData, Written
from helpdesk.domain.understanding import social, words, yes_or_no

MAX_FILES = 20  # per ticket or action: keeps the conversation record small


# A message typed while a ticket is shown is a new message on it from this many words ("já
# reiniciei e nada"); a shorter one is read as an answer to the ticket's menu.
MIN_MESSAGE_WORDS = 3
# "qual o status?" shows the ticket; a longer message asking it ("alguma previsão? seguimos sem
# importar") is a message for the team, posted.
MAX_QUESTION_WORDS = 5


class _Writing(Struct, frozen=True):
    key: Written  # where the text goes in state.data
    files_step: Step
    limit: Callable[[DialogContext], int]
    finish: Callable[[ConversationState, DialogContext], TurnResult]


_TICKET_WRITING = _Writing(
    Written.DESCRIPTION, Step.TICKET_MEDIA, lambda ctx: ctx.settings.max_description_length, create_ticket
)
_ACTION_WRITING = _Writing(
    Written.TEXT, Step.ACTION_MEDIA, lambda ctx: ctx.settings.max_action_length, post_action
)
_WRITING = {
    Step.ASK_DESCRIPTION: _TICKET_WRITING,
    Step.TICKET_MEDIA: _TICKET_WRITING,
    Step.ASK_ACTION_TEXT: _ACTION_WRITING,
    Step.ACTION_MEDIA: _ACTION_WRITING,
}


def ask_ticket_media(state: ConversationState, ctx: DialogContext) -> Question:
    """More files (or text) until "Fim"; a draft shown before it opens says "Fim" opens it."""
    return Question(texts.ASK_MORE_THEN_FIM if state.data.described else texts.ASK_TICKET_MEDIA)


def on_text(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """The description or the action's text: it replaces any earlier one (after `voltar`)."""
    writing = _WRITING[state.step]
    limit = writing.limit(ctx)
    if len(text) > limit:
        return again(state, ctx, texts.text_too_long(limit, len(text)))
    written = go(writing.files_step, ctx, cnpj=state.cnpj, data=state.data.writing(writing.key, text))
    if writing is _TICKET_WRITING:  # before the files: articles that may solve it
        return knowledge.offer(written.state, ctx) or written
    return written


def on_file_for_text(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
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
        return again(state, ctx, texts.caption_too_long(limit))
    files = (*state.data.attachments, attachment)
    data = replace(state.data.writing(writing.key, text), attachments=files)
    lead = texts.file_kept(_received(attachment))
    return go(writing.files_step, ctx, cnpj=state.cnpj, data=data, lead=lead)


def on_file_for_ticket(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file while a ticket is shown: a new message on that ticket, with it."""
    writing = ConversationState(
        Step.ASK_ACTION_TEXT, state.cnpj, StepData(ticket_number=state.data.ticket_number)
    )
    return on_file_for_text(writing, turn, ctx)


def on_ticket_text(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """Text while a ticket is shown: an option of its menu; a question about how it stands ("qual
    o status?"), answered with the ticket as it is now; a sentence of its own ("já reiniciei e
    nada"), a new message on it, as a file would be."""
    chosen = on_ticket_action(state, text, ctx)
    if not understood.missed(state, chosen):
        return chosen
    if asks_how_it_stands(text) and len(words(text)) <= MAX_QUESTION_WORDS:
        return open_ticket(state.cnpj or "", state.data.ticket_number or 0, ctx) or chosen
    if len(words(text)) >= MIN_MESSAGE_WORDS and social(text) is None:
        writing = ConversationState(
            Step.ASK_ACTION_TEXT, state.cnpj, StepData(ticket_number=state.data.ticket_number)
        )
        return on_text(writing, text, ctx)
    return chosen


def on_files_text(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    """`Fim`, or words saying it ("pronto", "é só isso", a "não" to "Quer anexar arquivos?"),
    ends the step; a "sim" is asked for the files; thanks and greetings get a friendly word; any
    other text is added to the draft's text on a new line."""
    writing = _WRITING[state.step]
    if done(text):
        return writing.finish(state, ctx)
    if yes_or_no(text) is True and len(text.split()) <= 2:
        return TurnResult(state, (Reply(texts.SEND_THE_FILES),))
    friendly = understood.small_talk(state, text, ctx)
    if friendly is not None:
        return friendly
    added = _appended(state, writing, text, ctx)
    if added is None:
        return TurnResult(state, (Reply(texts.no_room_for_text(writing.limit(ctx))),))
    return TurnResult(added, (Reply(texts.TEXT_ADDED),))


def on_file(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
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
    files = (*kept.data.attachments, attachment)
    kept = replace(kept, data=replace(kept.data, attachments=files))
    return TurnResult(kept, (Reply(texts.file_received(_received(attachment), len(files))),))


def _received(attachment: Attachment) -> str:
    return texts.received_file(attachment.kind.value, attachment.filename, attachment.seconds)


def _file_refusal(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult | None:
    if turn.attachment is None:
        return again(state, ctx, not_kept(turn, ctx))
    if len(state.data.attachments) >= MAX_FILES:
        return again(state, ctx, texts.too_many_files(MAX_FILES))
    return None


def _appended(
    state: ConversationState, writing: _Writing, text: str, ctx: DialogContext
) -> ConversationState | None:
    """The state with `text` added to the draft's text, or None when it would not fit."""
    current = state.data.written(writing.key) or ""
    joined = f"{current}\n{text}" if current else text
    if len(joined) > writing.limit(ctx):
        return None
    return replace(state, data=state.data.writing(writing.key, joined))


def back_to_text(state: ConversationState, ctx: DialogContext) -> TurnResult:
    step = Step.ASK_DESCRIPTION if state.step is Step.TICKET_MEDIA else Step.ASK_ACTION_TEXT
    return go(step, ctx, cnpj=state.cnpj, data=state.data, lead=texts.BACK)
