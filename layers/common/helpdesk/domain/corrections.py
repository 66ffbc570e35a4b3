"""What a requester does to a message already sent: edits it, deletes it for everyone, reacts to it.

None of these is an answer: the bot never replies to them and the conversation stays where it is.

- A message still in a draft (a ticket or a message being written): the draft remembers which
  message gave it which text or file (`data.sources`, see `noted`), so an edit replaces that
  text and a delete takes the text or the file out. A deleted source stays as a mark: an edit that
  arrives after the delete (out of order) changes nothing.
- A message already on a ticket (the executor found it: `TurnInput.saved`): an edit becomes a new
  action "(editado) ..." on that ticket, a delete marks the action for the agents.
- A reaction to a notification (`TurnInput.reacted`) is recorded on the action it told about; any
  other reaction is ignored.
"""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    CreateTicket,
    MarkDeleted,
    PostAction,
    ReactToAction,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.messages import InboundKind
from helpdesk.domain.step_data import Source, StepData, Written

CHANGES = frozenset({InboundKind.EDIT, InboundKind.REVOKE, InboundKind.REACTION})
# The text fields a draft is written in; the two long ones are the lines of their sources.
TEXTS = (Written.TITLE, Written.DESCRIPTION, Written.TEXT)
# Where a draft waits inside another state: offered back after a pause (data.draft), or under
# the question a closed ticket asked (data.resume).
_IN_DRAFT = frozenset({Step.RESUME_DRAFT})
_IN_RESUME = frozenset({Step.CONFIRM_FIX, Step.ASK_RATING, Step.ASK_RATING_COMMENT})
# The steps that take the message's text or file into a draft.
WRITING_STEPS = frozenset(
    {Step.ASK_SUBJECT, Step.ASK_DESCRIPTION, Step.TICKET_MEDIA, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA}
)


def noted(
    data: StepData, written: Written, message_id: str | None, *, lines: int = 0, replacing: bool = False
) -> StepData:
    """`data` remembering that message `message_id` gave `written` its next `lines` lines (a file:
    no lines); `replacing` forgets the field's earlier sources (its text was replaced). Only ids
    and line counts are kept: the conversation item stays small (every turn writes it)."""
    if not message_id:
        return data
    kept = [s for s in data.sources if not (replacing and s.written is written)]
    return replace(data, sources=(*kept, Source(message_id, written, lines)))


def message_ids(data: StepData) -> tuple[str, ...]:
    """The messages a draft was written with (deleted ones left out), in order, once each."""
    return tuple(dict.fromkeys(s.message_id for s in data.sources if not s.gone))


def sourced(before: ConversationState, result: TurnResult, turn: TurnInput) -> TurnResult:
    """`result` of an answer at `before` with its draft remembering what this message gave it (a
    text replaced or added on a line, a file), and a ticket or action it saves naming the messages
    it was written with."""
    effects = tuple(
        replace(effect, message_ids=message_ids(before.data))
        if isinstance(effect, CreateTicket | PostAction) and not effect.message_ids
        else effect
        for effect in result.effects
    )
    if before.step not in WRITING_STEPS or not turn.message_id:
        return replace(result, effects=effects)
    old, data = before.data, result.state.data
    for written in TEXTS:
        was, now = old.written(written), data.written(written)
        if now is None or now == was:
            continue
        if was and now.startswith(was + "\n"):
            data = noted(data, written, turn.message_id, lines=now[len(was) + 1 :].count("\n") + 1)
        else:
            data = noted(data, written, turn.message_id, lines=now.count("\n") + 1, replacing=True)
    if len(data.attachments) > len(old.attachments):
        data = noted(data, Written.FILE, turn.message_id)
    return replace(result, state=replace(result.state, data=data), effects=effects)


def handle_change(state: ConversationState | None, turn: TurnInput) -> TurnResult | None:
    """The effects of an edit, delete or reaction; None when the dialog has nothing to do with it
    (the executor then only records the message as seen). Never a reply."""
    if turn.kind is InboundKind.REACTION:
        if turn.reacted is None:
            return None
        return _unchanged(state, ReactToAction(turn.reacted, turn.text or ""))
    target = turn.target_id or ""
    changed = _in_draft(state, target, turn) if state is not None and target else None
    if changed is not None:
        return TurnResult(changed, ())
    if turn.saved is None:
        return None
    if turn.kind is InboundKind.REVOKE:
        return _unchanged(state, MarkDeleted(turn.saved))
    new_text = (turn.text or "").strip()
    if not new_text:
        return None
    edit = PostAction(turn.saved.ticket_number, texts.edited(new_text), message_ids=(turn.message_id or "",))
    return _unchanged(state, edit)


def _unchanged(state: ConversationState | None, effect) -> TurnResult:
    return TurnResult(state or ConversationState(Step.ENDED), (), (effect,))


def _in_draft(state: ConversationState, target: str, turn: TurnInput) -> ConversationState | None:
    """`state` with the change applied to its draft (wherever it waits); None when no draft of it
    came from `target`."""
    if state.step in _IN_DRAFT or state.step in _IN_RESUME:
        inner = state.data.draft if state.step in _IN_DRAFT else state.data.resume
        changed = _in_draft(inner, target, turn) if inner is not None else None
        if changed is None:
            return None
        if state.step in _IN_DRAFT:
            return replace(state, data=replace(state.data, draft=changed))
        return replace(state, data=replace(state.data, resume=changed))
    if not any(source.message_id == target for source in state.data.sources):
        return None
    if turn.kind is InboundKind.REVOKE:
        return replace(state, data=_deleted(state.data, target))
    return replace(state, data=_edited(state.data, target, (turn.text or "").strip()))


def _edited(data: StepData, target: str, new_text: str) -> StepData:
    return _rewritten(data, target, new_text.split("\n")) if new_text else data


def _deleted(data: StepData, target: str) -> StepData:
    """The message's lines and file out (a file is stored under its message's id, see
    logic.turn_input), and its sources marked gone."""
    kept = _rewritten(data, target, [])
    marked = tuple(replace(s, gone=True, lines=0) if s.message_id == target else s for s in kept.sources)
    kept = replace(kept, sources=marked)
    if any(s.message_id == target and s.written is Written.FILE for s in data.sources):
        files = tuple(f for f in data.attachments if f"/{target}/" not in str(f.key))
        kept = replace(kept, attachments=files)
    return kept


def _rewritten(data: StepData, target: str, new_lines: list[str]) -> StepData:
    """Each text field with the lines `target` gave it replaced by `new_lines` (none: removed). A
    field whose sources do not add up to its lines (written before they were noted) is left as is."""
    rewritten, sources = data, list(data.sources)
    for written in TEXTS:
        own = [i for i, s in enumerate(sources) if s.written is written]
        text = data.written(written)
        if text is None or not any(sources[i].message_id == target and not sources[i].gone for i in own):
            continue
        lines = text.split("\n") if text else []
        if sum(sources[i].lines for i in own) != len(lines):
            continue
        result, at = [], 0
        for i in own:
            source = sources[i]
            if source.message_id == target and not source.gone:
                replacement = [" ".join(new_lines)] if written is Written.TITLE and new_lines else new_lines
                result += replacement
                sources[i] = replace(source, lines=len(replacement))
            else:
                result += lines[at : at + source.lines]
            at += source.lines
        rewritten = rewritten.writing(written, "\n".join(result))
    return replace(rewritten, sources=tuple(sources))
