"""What a requester does to a message already sent: edits it, deletes it for everyone, reacts to it.

None of these is an answer: the bot never replies to them and the conversation stays where it is.

- A message still in a draft (a ticket or a message being written): the draft remembers which
  message gave it which text or file (`data["sources"]`, see `noted`), so an edit replaces that
  text and a delete takes the text or the file out. A deleted source stays as a mark: an edit that
  arrives after the delete (out of order) changes nothing.
- A message already on a ticket (the executor found it: `TurnInput.saved`): an edit becomes a new
  action "(editado) ..." on that ticket, a delete marks the action for the agents.
- A reaction to a notification (`TurnInput.reacted`) is recorded on the action it told about; any
  other reaction is ignored.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

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

SOURCES = "sources"
CHANGES = frozenset({InboundKind.EDIT, InboundKind.REVOKE, InboundKind.REACTION})
# The text fields a draft is written in; the two long ones are the lines of their sources.
TITLE = "title"
JOINED = frozenset({"description", "text"})
FILE = "file"
# Where a draft waits inside another state: offered back after a pause, or under the question a
# closed ticket asked.
_NESTED = {Step.RESUME_DRAFT: "draft", Step.CONFIRM_FIX: "resume", Step.ASK_RATING: "resume"}
_NESTED[Step.ASK_RATING_COMMENT] = "resume"
# The steps that take the message's text or file into a draft.
WRITING_STEPS = frozenset(
    {Step.ASK_SUBJECT, Step.ASK_DESCRIPTION, Step.TICKET_MEDIA, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA}
)


def noted(
    data: dict[str, Any], field: str, message_id: str | None, *, lines: int = 0, replacing: bool = False
) -> dict[str, Any]:
    """`data` remembering that message `message_id` gave `field` its next `lines` lines (a file:
    no lines); `replacing` forgets the field's earlier sources (its text was replaced). Only ids
    and line counts are kept: the conversation item stays small (every turn writes it)."""
    if not message_id:
        return data
    kept = [s for s in _sources(data) if not (replacing and s["in"] == field)]
    return {**data, SOURCES: _packed([*kept, {"id": message_id, "in": field, "lines": lines}])}


def message_ids(data: dict[str, Any]) -> tuple[str, ...]:
    """The messages a draft was written with (deleted ones left out), in order, once each."""
    ids = (s["id"] for s in _sources(data) if not s["gone"])
    return tuple(dict.fromkeys(i for i in ids if isinstance(i, str)))


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
    for field in (TITLE, *JOINED):
        was, now = old.get(field), data.get(field)
        if not isinstance(now, str) or now == was:
            continue
        if isinstance(was, str) and was and now.startswith(was + "\n"):
            data = noted(data, field, turn.message_id, lines=now[len(was) + 1 :].count("\n") + 1)
        else:
            data = noted(data, field, turn.message_id, lines=now.count("\n") + 1, replacing=True)
    if len(data.get("attachments") or []) > len(old.get("attachments") or []):
        data = noted(data, FILE, turn.message_id)
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
    nested = _NESTED.get(state.step)
    if nested is not None:
        raw = state.data.get(nested)
        try:
            inner = ConversationState.from_dict(raw) if isinstance(raw, dict) else None
        except (KeyError, ValueError):
            inner = None
        changed = _in_draft(inner, target, turn) if inner is not None else None
        if changed is None:
            return None
        return replace(state, data={**state.data, nested: changed.to_dict()})
    if not any(source["id"] == target for source in _sources(state.data)):
        return None
    if turn.kind is InboundKind.REVOKE:
        return replace(state, data=_deleted(state.data, target))
    return replace(state, data=_edited(state.data, target, (turn.text or "").strip()))


def _edited(data: dict[str, Any], target: str, new_text: str) -> dict[str, Any]:
    return _rewritten(data, target, new_text.split("\n")) if new_text else data


def _deleted(data: dict[str, Any], target: str) -> dict[str, Any]:
    """The message's lines and file out (a file is stored under its message's id, see
    logic.turn_input), and its sources marked gone."""
    kept = _rewritten(data, target, [])
    marked = [{**s, "gone": True, "lines": 0} if s["id"] == target else s for s in _sources(kept)]
    kept = {**kept, SOURCES: _packed(marked)}
    if any(s["id"] == target and s["in"] == FILE for s in _sources(data)):
        files = data.get("attachments") or []
        kept["attachments"] = [f for f in files if f"/{target}/" not in str(f.get("key"))]
    return kept


def _rewritten(data: dict[str, Any], target: str, new_lines: list[str]) -> dict[str, Any]:
    """Each text field with the lines `target` gave it replaced by `new_lines` (none: removed). A
    field whose sources do not add up to its lines (written before they were noted) is left as is."""
    rewritten = dict(data)
    sources = _sources(data)
    for field in (TITLE, *JOINED):
        own = [s for s in sources if s.get("in") == field]
        text = data.get(field)
        if not isinstance(text, str) or not any(s.get("id") == target and not s.get("gone") for s in own):
            continue
        lines = text.split("\n") if text else []
        if sum(int(s.get("lines") or 0) for s in own) != len(lines):
            continue
        result, at = [], 0
        for source in own:
            count = int(source.get("lines") or 0)
            if source.get("id") == target and not source.get("gone"):
                replacement = [" ".join(new_lines)] if field == TITLE and new_lines else new_lines
                result += replacement
                source["lines"] = len(replacement)
            else:
                result += lines[at : at + count]
            at += count
        rewritten[field] = "\n".join(result)
    rewritten[SOURCES] = _packed(sources)
    return rewritten


# Sources are kept packed, [message id, field code, lines] (-1 lines: deleted), as every turn
# writes the conversation item they live in.
_CODES = {TITLE: "t", "description": "d", "text": "x", FILE: "f"}
_FIELDS = {code: field for field, code in _CODES.items()}


def _sources(data: dict[str, Any]) -> list[dict[str, Any]]:
    unpacked = []
    for entry in data.get(SOURCES) or []:
        if isinstance(entry, list) and len(entry) == 3 and entry[1] in _FIELDS:
            lines = int(entry[2])
            unpacked.append(
                {"id": entry[0], "in": _FIELDS[entry[1]], "lines": max(lines, 0), "gone": lines < 0}
            )
    return unpacked


def _packed(sources: list[dict[str, Any]]) -> list[list[Any]]:
    return [[s["id"], _CODES[s["in"]], -1 if s.get("gone") else int(s.get("lines") or 0)] for s in sources]
