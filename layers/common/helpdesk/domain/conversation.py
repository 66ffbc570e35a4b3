"""The contract of the requester dialog: its state, what it reads, what it returns.

`helpdesk.domain.dialog.handle(state, turn, ctx) -> TurnResult` is a pure function over these
types. It never performs I/O: reads go through the read-only `DialogContext`, writes come back as
`Effect`s that the turn executor (`helpdesk.logic.turn`) applies in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from msgspec import Struct, field

from helpdesk.domain.messages import Attachment, InboundKind, MediaRefusal
from helpdesk.domain.step_data import OfferedArticle, StepData
from helpdesk.domain.text import MAX_SUBJECT_LENGTH

if TYPE_CHECKING:  # annotations only: the knowledge index and hours load where they are used
    from helpdesk.domain.hours import BusinessHours
    from helpdesk.domain.knowledge import SearchIndex
    from helpdesk.domain.menus import Menu


class Step(StrEnum):
    """Where a conversation stands: the question the bot asked last."""

    ASK_CNPJ = "ask_cnpj"
    ASK_NAME = "ask_name"
    ASK_EMAIL = "ask_email"
    CHOOSE_COMPANY = "choose_company"
    LINK_CNPJ = "link_cnpj"
    ACCESS_MENU = "access_menu"
    TICKETS_MENU = "tickets_menu"
    ASK_SUBJECT = "ask_subject"
    ASK_TYPE = "ask_type"
    ASK_DESCRIPTION = "ask_description"
    TICKET_MEDIA = "ticket_media"
    TICKET_MENU = "ticket_menu"  # data.ticket_number: the ticket being shown
    ASK_ACTION_TEXT = "ask_action_text"
    ACTION_MEDIA = "action_media"
    # After a ticket is closed (the notifier asks): data.ticket_number, data.resume (the state
    # the question interrupted, or None), and on the comment step data.rating.
    CONFIRM_FIX = "confirm_fix"
    ASK_RATING = "ask_rating"
    ASK_RATING_COMMENT = "ask_rating_comment"
    RESUME_DRAFT = "resume_draft"  # data.draft: the state a pause interrupted
    # Before a new ticket opens: articles offered (data: the draft and data.offered), one shown
    # ("Isso resolveu?"), and a problem solved by one (data.draft: the draft, kept for `continuar`).
    KB_OFFER = "kb_offer"
    KB_SOLVED = "kb_solved"
    KB_RESOLVED = "kb_resolved"
    ENDED = "ended"


# Steps where a file sent by the requester is kept (the files steps, and the text steps, where a
# file stands for the text); the executor downloads media only there (see dialog.keeps_files).
MEDIA_STEPS = frozenset({Step.ASK_DESCRIPTION, Step.TICKET_MEDIA, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA})


class ConversationState(Struct):
    step: Step
    cnpj: str | None = None  # the company the requester is acting for
    data: StepData = field(default_factory=StepData)  # drafts of the current step

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step.value, "cnpj": self.cnpj, "data": self.data.to_dict()}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ConversationState:
        data = raw.get("data")
        stored = StepData.from_dict(data, cls.from_dict) if isinstance(data, dict) else StepData()
        return cls(step=Step(raw["step"]), cnpj=raw.get("cnpj"), data=stored)


class TicketRef(Struct, frozen=True):
    """One of the requester's tickets, as a notification named it."""

    number: int
    cnpj: str


class ActionRef(Struct, frozen=True):
    """An action already on one of the requester's tickets, as the executor found it: the one a
    message became (edited or deleted later), or the one a notification told about (reacted to).
    `key` is where storage finds it; only storage reads it."""

    ticket_number: int
    action_id: str
    key: str = ""


class TurnInput(Struct, frozen=True):
    """The inbound message as the dialog sees it: media already stored (or refused).

    What the executor knows and the dialog cannot: `paused` (the conversation was idle longer than
    the conversation time; the state passed is the one the pause interrupted), `replying_to` (the
    message quotes a notification about this requester's ticket) and `notified` (a notification
    about that ticket came after the requester's last message, within the conversation time).
    """

    kind: InboundKind
    text: str | None = None
    attachment: Attachment | None = None
    media_refused: MediaRefusal | None = None
    push_name: str | None = None
    caption: str | None = None  # the text sent with a file
    paused: bool = False
    replying_to: TicketRef | None = None
    notified: TicketRef | None = None
    # The message's own id (a draft remembers which message gave it which text or file), and for
    # an edit, delete or reaction (`kind`) of an earlier message, `target_id` names it; the
    # executor finds it on a ticket (`saved`: edit, delete) or among the notifications (`reacted`).
    message_id: str | None = None
    target_id: str | None = None
    saved: ActionRef | None = None
    reacted: ActionRef | None = None


# --- read-only views the context hands out ---------------------------------------------------


class CompanyView(Struct, frozen=True):
    cnpj: str  # normalized: 14 upper-case characters, no punctuation
    name: str
    active: bool = True  # False: deactivated in the console, no new conversations for it


class RequesterView(Struct, frozen=True):
    phone: str
    name: str
    email: str
    username: str
    companies: tuple[CompanyView, ...]  # linked companies, by name
    retired: tuple[CompanyView, ...] = ()  # linked companies no longer served (deactivated)


class RequestTypeView(Struct, frozen=True):
    id: str
    name: str


class TicketSummary(Struct, frozen=True):
    number: int
    title: str
    status: str


class ActionView(Struct, frozen=True):
    author_kind: str  # "requester" | "agent"
    author_name: str
    created_at: datetime  # UTC
    text: str
    attachment_count: int


class TicketDetail(Struct, frozen=True):
    number: int
    title: str
    status: str
    request_type: str | None
    last_action: ActionView | None


class DialogSettings(Struct, frozen=True):
    portal_url: str
    page_size: int = 9
    max_subject_length: int = MAX_SUBJECT_LENGTH
    max_description_length: int = 4000
    max_action_length: int = 4000
    max_media_bytes: int = 16 * 1024 * 1024
    privacy_contact: str = ""  # where erasure requests go (e-mail or page); empty: open a ticket


class DialogContext(Protocol):
    """What the dialog may read. Implemented over DynamoDB by storage.phones, in memory by tests."""

    # Read-only: the table's context derives them, the tests' world stores them.
    @property
    def phone(self) -> str: ...
    @property
    def now(self) -> datetime:  # UTC
        ...
    @property
    def settings(self) -> DialogSettings: ...
    @property
    def requester(self) -> RequesterView | None: ...

    def find_company(self, cnpj: str) -> CompanyView | None:
        """An active registered company by normalized CNPJ."""

    def request_types(self) -> list[RequestTypeView]:
        """Active types that are synthetic and take part in WhatsApp, by name."""

    def tickets(self, cnpj: str) -> list[TicketSummary]:
        """This requester's tickets at that company, newest first."""

    def ticket(self, cnpj: str, number: int) -> TicketDetail | None:
        """One of this requester's tickets at that company; None for anyone else's."""

    def business_hours(self) -> BusinessHours | None:
        """The hours of the number the requester wrote to; None when it has none (always open)."""

    def articles(self) -> SearchIndex:
        """The knowledge base's published articles (read only by a turn that searches or shows one)."""


# --- what the dialog returns -----------------------------------------------------------------


class Reply(Struct, frozen=True):
    """A text to send, and the menu it asks to answer (its options as data, rendered by the gateway:
    numbered lines or buttons to tap). `fill` names placeholders ({username}, {password},
    {ticket_number}) that only the executor knows; it replaces exactly those tokens and nothing else
    in the text and the menu."""

    text: str
    fill: tuple[str, ...] = ()
    menu: Menu | None = None


class RegisterRequester(Struct, frozen=True):
    """New requester linked to `cnpj`; the executor issues portal credentials for it."""

    name: str
    email: str
    cnpj: str


class LinkCompany(Struct, frozen=True):
    cnpj: str


class ResetCredentials(Struct, frozen=True):
    """Access recovery: a new password replaces the old one (and the portal sessions)."""


class CreateTicket(Struct, frozen=True):
    cnpj: str
    title: str
    description: str
    request_type_id: str | None
    request_type_name: str | None
    attachments: tuple[Attachment, ...] = ()
    out_of_hours: bool = False  # opened while the team is away (the ERP and the console see it)
    message_ids: tuple[str, ...] = ()  # the messages it was written with (edits find it by them)
    offered_articles: tuple[OfferedArticle, ...] = ()  # what the requester was offered (and read) first


class RecordOffer(Struct, frozen=True):
    """Articles offered before a ticket (`offered_at` identifies the offer: a later outcome
    replaces the record): outcome `offered`, `resolved` (no ticket: a deflection) or `declined`."""

    offered_at: str
    cnpj: str
    articles: tuple[OfferedArticle, ...]
    outcome: str


class PostAction(Struct, frozen=True):
    ticket_number: int
    text: str
    attachments: tuple[Attachment, ...] = ()
    message_ids: tuple[str, ...] = ()


class MarkDeleted(Struct, frozen=True):
    """The requester deleted for everyone a message that is on a ticket: agents see it marked."""

    action: ActionRef


class ReactToAction(Struct, frozen=True):
    """The requester reacted to a notification: `emoji` on the action it told about ("" takes the
    reaction back)."""

    action: ActionRef
    emoji: str


class ReopenTicket(Struct, frozen=True):
    """The requester says a closed ticket is not solved: it takes the reopened status."""

    ticket_number: int


class RateTicket(Struct, frozen=True):
    ticket_number: int
    rating: int  # 1..5
    comment: str | None = None


Effect = (
    RecordOffer
    | RegisterRequester
    | LinkCompany
    | ResetCredentials
    | CreateTicket
    | PostAction
    | ReopenTicket
    | RateTicket
    | MarkDeleted
    | ReactToAction
)


class TurnResult(Struct, frozen=True):
    state: ConversationState
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...] = ()
