"""What a conversation keeps between turns besides its step: `ConversationState.data`.

Drafts only, never a password. Each step uses a few fields (see `helpdesk.domain.dialog.states`);
`voltar` keeps every field and each answer replaces only its own. Stored as the JSON object it
always was (`to_dict`/`from_dict`): a field at its default is left out, and a stored value of the
wrong type reads as absent, so the dialog treats it as a draft the context no longer supports.
Only this module knows the stored keys.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from msgspec.structs import replace

from helpdesk.domain.messages import Attachment

if TYPE_CHECKING:
    from helpdesk.domain.conversation import ConversationState


class Written(StrEnum):
    """Where a message's text or file goes in a draft."""

    TITLE = "title"  # a ticket's subject
    DESCRIPTION = "description"  # a ticket's description
    TEXT = "text"  # an action's text
    FILE = "file"  # an attachment (no text)


class OfferedType(Struct, frozen=True):
    """A request type as the type question offered it."""

    id: str
    name: str


class OfferedArticle(Struct, frozen=True):
    """A knowledge-base article the bot offered before opening the ticket; `opened`: read."""

    id: str
    title: str
    opened: bool = False


class Source(Struct, frozen=True):
    """A message that gave a draft `lines` lines of `written` (a file: no lines); `gone`: deleted
    since (a mark: an edit arriving after the delete changes nothing)."""

    message_id: str
    written: Written
    lines: int = 0
    gone: bool = False


class StepData(Struct, frozen=True):
    page: int | None = None  # TICKETS_MENU: the page shown
    name: str | None = None  # ASK_EMAIL: the name given
    # A new ticket: its subject, the types offered (ASK_TYPE only), the type chosen, its description.
    title: str | None = None
    types: tuple[OfferedType, ...] = ()
    type_id: str | None = None
    type_name: str | None = None
    description: str | None = None
    text: str | None = None  # an action's text
    attachments: tuple[Attachment, ...] = ()  # the draft's files, in order
    ticket_number: int | None = None  # the ticket a step is about
    # After a closing question: the state it interrupted (None: none), and the rating given.
    resume: ConversationState | None = None
    rating: int | None = None
    draft: ConversationState | None = None  # RESUME_DRAFT: the state a pause interrupted
    misses: int = 0  # answers not understood in a row
    sources: tuple[Source, ...] = ()  # which message gave the draft which text or file
    # What a message carried ahead of its question (helpdesk.domain.reading): kept until asked.
    email: str | None = None  # registration: the e-mail given before it was asked
    problem: str | None = None  # registration: a problem described (a ticket once registered)
    cnpj_choices: tuple[str, ...] = ()  # ASK_CNPJ: several CNPJs sent, to choose from
    described: bool = False  # a ticket draft whose description came with its subject
    greeted_at: int | None = None  # when the welcome went (epoch s): greetings in bubbles get one
    suggested: str | None = None  # a menu's option offered back after a slip ("Você quis dizer...?")
    confirming: bool = False  # "cancelar": asked whether to discard the draft
    # A new ticket's articles offered before it opens (KB_OFFER, KB_SOLVED and the draft after),
    # and when they were offered (the deflection record's id).
    offered: tuple[OfferedArticle, ...] = ()
    offered_at: str | None = None

    def written(self, where: Written) -> str | None:
        """The draft's text at `where` (None for a file)."""
        texts = {Written.TITLE: self.title, Written.DESCRIPTION: self.description, Written.TEXT: self.text}
        return texts.get(where)

    def writing(self, where: Written, text: str) -> StepData:
        """The draft with `text` at `where` (a text field)."""
        if where is Written.TITLE:
            return replace(self, title=text)
        if where is Written.DESCRIPTION:
            return replace(self, description=text)
        assert where is Written.TEXT
        return replace(self, text=text)

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "page": self.page,
            "name": self.name,
            "title": self.title,
            "types": [{"id": kind.id, "name": kind.name} for kind in self.types],
            "type_id": self.type_id,
            "type_name": self.type_name,
            "description": self.description,
            "text": self.text,
            "attachments": [_stored_file(attachment) for attachment in self.attachments],
            "ticket_number": self.ticket_number,
            "resume": self.resume.to_dict() if self.resume is not None else None,
            "rating": self.rating,
            "draft": self.draft.to_dict() if self.draft is not None else None,
            "misses": self.misses or None,
            "sources": [_packed(source) for source in self.sources],
            "email": self.email,
            "problem": self.problem,
            "cnpj_choices": list(self.cnpj_choices),
            "described": self.described or None,
            "greeted_at": self.greeted_at,
            "suggested": self.suggested,
            "confirming": self.confirming or None,
            "offered": [[a.id, a.title, int(a.opened)] for a in self.offered],
            "offered_at": self.offered_at,
        }
        return {key: value for key, value in raw.items() if value not in (None, [])}

    @classmethod
    def from_dict(cls, raw: dict[str, Any], state: Callable[[dict[str, Any]], ConversationState]) -> StepData:
        """`raw` as stored; `state` reads a nested conversation state (a draft, the one a closing
        question interrupted) and raises KeyError/ValueError/TypeError on one it cannot read."""
        return cls(
            page=_int(raw.get("page")),
            name=_str(raw.get("name")),
            title=_str(raw.get("title")),
            types=tuple(_offered(kind) for kind in _list(raw.get("types")) if isinstance(kind, dict)),
            type_id=_str(raw.get("type_id")),
            type_name=_str(raw.get("type_name")),
            description=_str(raw.get("description")),
            text=_str(raw.get("text")),
            attachments=tuple(Attachment.from_dict(a) for a in _list(raw.get("attachments"))),
            ticket_number=_int(raw.get("ticket_number")),
            resume=_nested(raw.get("resume"), state),
            rating=_int(raw.get("rating")),
            draft=_nested(raw.get("draft"), state),
            misses=_int(raw.get("misses")) or 0,
            sources=tuple(s for s in map(_unpacked, _list(raw.get("sources"))) if s is not None),
            email=_str(raw.get("email")),
            problem=_str(raw.get("problem")),
            cnpj_choices=tuple(c for c in _list(raw.get("cnpj_choices")) if isinstance(c, str)),
            described=raw.get("described") is True,
            greeted_at=_int(raw.get("greeted_at")),
            suggested=_str(raw.get("suggested")),
            confirming=raw.get("confirming") is True,
            offered=tuple(
                OfferedArticle(str(a[0]), str(a[1]), bool(a[2]))
                for a in _list(raw.get("offered"))
                if isinstance(a, list) and len(a) == 3
            ),
            offered_at=_str(raw.get("offered_at")),
        )


def _stored_file(attachment: Attachment) -> dict[str, Any]:
    """An attachment without its unset audio fields (an image has no transcript): every turn
    writes the conversation item it lives in, and `Attachment.from_dict` reads them as None."""
    return {key: value for key, value in attachment.to_dict().items() if value is not None}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _offered(raw: dict[str, Any]) -> OfferedType:
    return OfferedType(id=str(raw.get("id") or ""), name=str(raw.get("name") or ""))


def _nested(raw: Any, state: Callable[[dict[str, Any]], ConversationState]) -> ConversationState | None:
    try:
        return state(raw) if isinstance(raw, dict) else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


# Sources are stored packed, [message id, field code, lines] (-1 lines: deleted), as every turn
# writes the conversation item they live in.
_CODES = {Written.TITLE: "t", Written.DESCRIPTION: "d", Written.TEXT: "x", Written.FILE: "f"}
_WRITTEN = {code: written for written, code in _CODES.items()}


def _packed(source: Source) -> list[Any]:
    return [source.message_id, _CODES[source.written], -1 if source.gone else source.lines]


def _unpacked(entry: Any) -> Source | None:
    if not (isinstance(entry, list) and len(entry) == 3 and entry[1] in _WRITTEN):
        return None
    if not isinstance(entry[0], str):
        return None
    lines = int(entry[2])
    return Source(entry[0], _WRITTEN[entry[1]], max(lines, 0), lines < 0)
