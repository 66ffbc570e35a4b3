"""An in-memory world for dialog tests: companies, requesters and tickets, plus a transcript helper.

    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    t = world.transcript()  # a phone with no requester yet
    t.requester_says("oi").bot_answers("CNPJ")
    t.requester_says("11.222.333/0001-81").bot_answers("Acme Ltda", "nome")

`World` holds what the storage would: companies, requesters (with their linked companies),
request types and tickets (with their actions). `World.context(phone)` is a `DialogContext` over it.

`Transcript` plays one phone's conversation. Each `requester_*` call runs `dialog.handle` once and
then does what the turn executor does: checks the result (`check_turn`), applies the effects to the
world (`World.apply`) and fills the reply tokens with the values the effects produced. `bot_answers`
looks for substrings in the texts the requester would read on that turn (all replies joined).

Effects, as the world applies them:
- RegisterRequester: a requester for the phone, username = phone, password "senha-1", "senha-2"...
- ResetCredentials: a new password, same username.
- LinkCompany: the CNPJ is added to the requester's companies.
- CreateTicket: the next number (1001, 1002... unless `next_ticket_number` is set), status
  "Aberto", the description as the opening action (like the executor does); fills {ticket_number}.
- PostAction: an action by the requester on that ticket, only if it is theirs.
- ReopenTicket: the ticket takes the status "Reaberto", with the requester's status action;
  RateTicket: its rating and comment, with the requester's action (the comment as its text).

tests/integration/test_dialog_contract.py runs transcripts through this world and through the
real processor and compares replies, tickets and actions: keep the two in step.

The notifier's part: `Transcript.ticket_closed(number)` closes a ticket the way an agent does (a
status action with no text) and asks the requester whether it is solved (`dialog.ask_fix`). `World.hours` are the business hours
of the number (None: always open).

Files: where the dialog would not keep them (`dialog.keeps_files`) the executor downloads nothing,
so `requester_sends_image` & co. then arrive as a bare MEDIA turn, exactly as in production.

What the executor tells the dialog besides the message: `pause()` (the next message comes after the
conversation time), `notified(number)` (a notification about that ticket came after the last
message) and `quoting(number)` (the next message quotes that ticket's notification: set only when
the ticket is the requester's, as the executor checks).

Shortcuts: `scene()` builds a standard world (three client companies, two request types, two known
requesters with tickets) and `reach(scene(), step)` returns a transcript already at `step` (see
`ROUTES`), handy for "at every step" tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.cnpj import normalize
from helpdesk.domain.conversation import (
    ActionRef,
    ActionView,
    CompanyView,
    ConversationState,
    CreateTicket,
    DialogSettings,
    Effect,
    LinkCompany,
    MarkDeleted,
    MediaRefusal,
    PostAction,
    RateTicket,
    ReactToAction,
    RecordOffer,
    RegisterRequester,
    ReopenTicket,
    Reply,
    RequesterView,
    RequestTypeView,
    ResetCredentials,
    Step,
    TicketDetail,
    TicketRef,
    TicketSummary,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.corrections import CHANGES
from helpdesk.domain.dialog import ask_fix, handle, keeps_files, prompt
from helpdesk.domain.hours import BusinessHours
from helpdesk.domain.knowledge import Article, SearchIndex
from helpdesk.domain.knowledge import index as knowledge_index
from helpdesk.domain.menus import numbered
from helpdesk.domain.messages import Attachment, InboundKind, MediaKind
from helpdesk.domain.step_data import OfferedArticle

DEFAULT_NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)  # 12:30 in São Paulo
DEFAULT_SETTINGS = DialogSettings(portal_url="https://portal.example.com.br")
TOKENS = frozenset({"username", "password", "ticket_number"})

ACME_CNPJ = "11222333000181"  # 11.222.333/0001-81
ALPHA_CNPJ = "12ABC34501DE35"  # 12.ABC.345/01DE-35, the Receita Federal example


@dataclass
class StoredRequester:
    phone: str
    name: str
    email: str
    username: str
    password: str
    cnpjs: list[str] = field(default_factory=list)


@dataclass
class StoredTicket:
    number: int
    cnpj: str
    phone: str
    title: str
    description: str = ""
    status: str = "Aberto"
    request_type_id: str | None = None
    request_type_name: str | None = None
    attachments: tuple[Attachment, ...] = ()
    actions: list[ActionView] = field(default_factory=list)
    out_of_hours: bool = False
    rating: int | None = None
    rating_comment: str | None = None
    offered_articles: tuple[OfferedArticle, ...] = ()


class World:
    """Everything the dialog can read, in memory, changed only by `add_*` and `apply`."""

    def __init__(self, *, settings: DialogSettings = DEFAULT_SETTINGS, now: datetime = DEFAULT_NOW) -> None:
        self.settings = settings
        self.now = now
        self.companies: dict[str, CompanyView] = {}
        self.requesters: dict[str, StoredRequester] = {}
        self.request_types: list[RequestTypeView] = []
        self.tickets: dict[int, StoredTicket] = {}
        self.next_ticket_number = 1001
        self.hours: BusinessHours | None = None
        self.knowledge = knowledge_index([])  # the published articles (add_article)
        self.offers: dict[tuple[str, str], RecordOffer] = {}  # (phone, offered_at) -> the last record
        # What became of the requesters' messages, as the executor keeps it: the action each
        # message became (by message id), the notifications sent (by message id), and the marks
        # deletes and reactions left on actions (by action id).
        self.saved: dict[str, ActionRef] = {}
        self.notifications: dict[str, tuple[str, ActionRef]] = {}  # id -> (phone, action)
        self.deleted: set[str] = set()
        self.positions: dict[str, tuple[int, int]] = {}  # requester's action id -> (ticket, index)
        self.reactions: dict[str, str] = {}
        self._passwords = count(1)
        self._phones = count(1)

    # --- setting the scene -----------------------------------------------------------------

    def add_company(self, cnpj: str, name: str) -> CompanyView:
        company = CompanyView(cnpj=_cnpj(cnpj), name=name)
        self.companies[company.cnpj] = company
        return company

    def add_article(self, article: Article) -> None:
        self.knowledge = knowledge_index([*self.knowledge.articles, article])

    def add_request_type(self, type_id: str, name: str) -> RequestTypeView:
        kind = RequestTypeView(id=type_id, name=name)
        self.request_types.append(kind)
        return kind

    def add_requester(
        self,
        phone: str | None = None,
        *,
        companies: tuple[str, ...] | list[str] = (),
        name: str = "Maria Souza",
        email: str = "maria@example.com.br",
    ) -> str:
        """A registered requester linked to `companies` (CNPJs, already added); returns the phone."""
        phone = phone or self.new_phone()
        self.requesters[phone] = StoredRequester(
            phone=phone,
            name=name,
            email=email,
            username=phone,
            password=self._new_password(),
            cnpjs=[_cnpj(cnpj) for cnpj in companies],
        )
        return phone

    def add_ticket(
        self,
        phone: str,
        cnpj: str,
        title: str,
        *,
        status: str = "Aberto",
        request_type: str | None = None,
        number: int | None = None,
    ) -> StoredTicket:
        number = number if number is not None else self._next_number()
        ticket = StoredTicket(
            number=number,
            cnpj=_cnpj(cnpj),
            phone=phone,
            title=title,
            status=status,
            request_type_name=request_type,
        )
        self.tickets[number] = ticket
        return ticket

    def add_action(
        self,
        number: int,
        text: str,
        *,
        author_kind: str = "agent",
        author_name: str = "Ana",
        at: datetime | None = None,
        attachment_count: int = 0,
    ) -> ActionView:
        action = ActionView(
            author_kind=author_kind,
            author_name=author_name,
            created_at=at or self.now,
            text=text,
            attachment_count=attachment_count,
        )
        self.tickets[number].actions.append(action)
        return action

    def deleted_positions(self, number: int) -> list[int]:
        """Which of the ticket's actions (by position) the requester deleted for everyone."""
        return sorted(
            at for action, (n, at) in self.positions.items() if n == number and action in self.deleted
        )

    def new_phone(self) -> str:
        return f"55119{next(self._phones):08d}"

    def transcript(self, phone: str | None = None) -> Transcript:
        return Transcript(self, phone or self.new_phone())

    def context(self, phone: str) -> WorldContext:
        return WorldContext(world=self, phone=phone, now=self.now, settings=self.settings)

    # --- what the turn executor does --------------------------------------------------------

    def notify(self, number: int, text: str, *, by: str = "Ana") -> str:
        """An agent answers on ticket `number` and the notifier tells its requester; returns the id
        of the WhatsApp message that told (a reaction names it)."""
        self.add_action(number, text, author_name=by)
        message_id = f"notification-{len(self.notifications) + 1}"
        ref = ActionRef(number, f"agent-{message_id}", f"ACTION#{message_id}")
        self.notifications[message_id] = (self.tickets[number].phone, ref)
        return message_id

    def apply(self, phone: str, effects: tuple[Effect, ...], message_id: str = "") -> dict[str, str]:
        """Applies the effects of one turn; returns the values of the tokens they produced."""
        values: dict[str, str] = {}
        for effect in effects:
            match effect:
                case RegisterRequester(name=name, email=email, cnpj=cnpj):
                    assert phone not in self.requesters, "RegisterRequester for a known requester"
                    assert cnpj in self.companies, f"RegisterRequester with an unknown CNPJ {cnpj}"
                    self.add_requester(phone, companies=[cnpj], name=name, email=email)
                    values |= self._credentials(phone)
                case ResetCredentials():
                    self.requesters[phone].password = self._new_password()
                    values |= self._credentials(phone)
                case LinkCompany(cnpj=cnpj):
                    assert cnpj in self.companies, f"LinkCompany with an unknown CNPJ {cnpj}"
                    if cnpj not in self.requesters[phone].cnpjs:
                        self.requesters[phone].cnpjs.append(cnpj)
                case CreateTicket():
                    ticket = self._create_ticket(phone, effect)
                    self._remember(effect.message_ids, ticket.number, message_id)
                    values["ticket_number"] = str(ticket.number)
                case MarkDeleted(action=ref):
                    self.deleted.add(ref.action_id)
                case ReactToAction(action=ref, emoji=emoji):
                    self.reactions[ref.action_id] = emoji
                case PostAction() | ReopenTicket() | RateTicket():
                    self._on_own_ticket(phone, effect, message_id)
                case RecordOffer(offered_at=offered_at):
                    self.offers[(phone, offered_at)] = effect
        return values

    def _on_own_ticket(
        self, phone: str, effect: PostAction | ReopenTicket | RateTicket, message_id: str
    ) -> None:
        """An action, a reopening or a rating: only on the requester's own ticket."""
        ticket = self.tickets.get(effect.ticket_number)
        if ticket is None or ticket.phone != phone:
            return
        match effect:
            case PostAction(ticket_number=number, text=text, attachments=attachments):
                self.add_action(
                    number,
                    text,
                    author_kind="requester",
                    author_name=self.requesters[phone].name,
                    attachment_count=len(attachments),
                )
                self._remember(effect.message_ids, number, message_id)
            case ReopenTicket(ticket_number=number):
                ticket.status = "Reaberto"
                self._requester_action(phone, number, texts.REOPENED_BY_REQUESTER)
            case RateTicket(ticket_number=number, rating=rating, comment=comment):
                ticket.rating, ticket.rating_comment = rating, comment
                self._requester_action(phone, number, comment or "")

    def _create_ticket(self, phone: str, effect: CreateTicket) -> StoredTicket:
        ticket = self.add_ticket(phone, effect.cnpj, effect.title)
        ticket.description = effect.description
        ticket.request_type_id = effect.request_type_id
        ticket.request_type_name = effect.request_type_name
        ticket.attachments = effect.attachments
        ticket.out_of_hours = effect.out_of_hours
        ticket.offered_articles = effect.offered_articles
        self.add_action(
            ticket.number,
            effect.description,
            author_kind="requester",
            author_name=self.requesters[phone].name,
            attachment_count=len(effect.attachments),
        )
        return ticket

    def _remember(self, message_ids: tuple[str, ...], number: int, message_id: str) -> None:
        """Like the executor: the action's id comes from the message that saved it."""
        ref = ActionRef(number, f"wa-{message_id}", f"ACTION#wa-{message_id}")
        self.positions[ref.action_id] = (number, len(self.tickets[number].actions) - 1)
        for each in message_ids:
            if each:
                self.saved[each] = ref

    def _requester_action(self, phone: str, number: int, text: str) -> None:
        self.add_action(number, text, author_kind="requester", author_name=self.requesters[phone].name)

    def _credentials(self, phone: str) -> dict[str, str]:
        requester = self.requesters[phone]
        return {"username": requester.username, "password": requester.password}

    def _new_password(self) -> str:
        return f"senha-{next(self._passwords)}"

    def _next_number(self) -> int:
        number = self.next_ticket_number
        self.next_ticket_number += 1
        return number


@dataclass
class WorldContext:
    """`DialogContext` for one phone, read straight from the world."""

    world: World
    phone: str
    now: datetime
    settings: DialogSettings

    @property
    def requester(self) -> RequesterView | None:
        stored = self.world.requesters.get(self.phone)
        if stored is None:
            return None
        companies = sorted((self.world.companies[cnpj] for cnpj in stored.cnpjs), key=lambda c: c.name)
        return RequesterView(
            phone=stored.phone,
            name=stored.name,
            email=stored.email,
            username=stored.username,
            companies=tuple(companies),
        )

    def find_company(self, cnpj: str) -> CompanyView | None:
        return self.world.companies.get(cnpj)

    def request_types(self) -> list[RequestTypeView]:
        return sorted(self.world.request_types, key=lambda kind: kind.name)

    def articles(self) -> SearchIndex:
        return self.world.knowledge

    def tickets(self, cnpj: str) -> list[TicketSummary]:
        mine = [t for t in self.world.tickets.values() if t.phone == self.phone and t.cnpj == cnpj]
        return [TicketSummary(t.number, t.title, t.status) for t in sorted(mine, key=lambda t: -t.number)]

    def ticket(self, cnpj: str, number: int) -> TicketDetail | None:
        ticket = self.world.tickets.get(number)
        if ticket is None or ticket.phone != self.phone or ticket.cnpj != cnpj:
            return None
        return TicketDetail(
            number=ticket.number,
            title=ticket.title,
            status=ticket.status,
            request_type=ticket.request_type_name,
            last_action=ticket.actions[-1] if ticket.actions else None,
        )

    def business_hours(self) -> BusinessHours | None:
        return self.world.hours


class Transcript:
    """One phone's conversation, turn by turn. Every `requester_*` and `bot_*` call returns self."""

    def __init__(self, world: World, phone: str) -> None:
        self.world = world
        self.phone = phone
        self.state: ConversationState | None = None
        self.result: TurnResult | None = None  # the last turn, as the dialog returned it
        self.texts: list[str] = []  # the last turn's replies as the requester reads them
        self.history: list[str] = []  # the whole conversation, for failure messages
        self._ids = count(1)
        self.last_id = ""  # the id of the last message the requester sent
        self._next: dict[str, object] = {}  # what the executor adds to the next turn
        self._deleted: set[str] = set()  # messages the requester deleted for everyone

    # --- what the executor knows ------------------------------------------------------------

    def pause(self) -> Transcript:
        """The next message comes after the conversation time (the state is kept, as stored)."""
        self._next["paused"] = True
        return self

    def notified(self, number: int) -> Transcript:
        """A notification about ticket `number` came after the requester's last message."""
        self._next["notified"] = TicketRef(number, self.world.tickets[number].cnpj)
        return self

    def quoting(self, number: int) -> Transcript:
        """The next message quotes a notification about ticket `number` (only if it is theirs)."""
        ticket = self.world.tickets[number]
        if ticket.phone == self.phone:
            self._next["replying_to"] = TicketRef(number, ticket.cnpj)
        return self

    # --- the requester ----------------------------------------------------------------------

    def requester_says(self, text: str) -> Transcript:
        return self.send(TurnInput(kind=InboundKind.TEXT, text=text))

    def requester_sends_image(self, filename: str = "foto.jpg", size: int = 200_000) -> Transcript:
        return self.requester_sends_file(MediaKind.IMAGE, filename, "image/jpeg", size)

    def requester_sends_video(self, filename: str = "video.mp4", size: int = 2_000_000) -> Transcript:
        return self.requester_sends_file(MediaKind.VIDEO, filename, "video/mp4", size)

    def requester_sends_audio(self, filename: str = "audio.ogg", size: int = 50_000) -> Transcript:
        return self.requester_sends_file(MediaKind.AUDIO, filename, "audio/ogg", size)

    def requester_sends_document(self, filename: str = "nota.pdf", size: int = 300_000) -> Transcript:
        return self.requester_sends_file(MediaKind.DOCUMENT, filename, "application/pdf", size)

    def requester_sends_voice_note(self, filename: str = "ptt.ogg", size: int = 30_000) -> Transcript:
        return self.requester_sends_file(MediaKind.AUDIO, filename, "audio/ogg", size)

    def requester_sends_file(
        self, kind: MediaKind, filename: str, mimetype: str, size: int, caption: str | None = None
    ) -> Transcript:
        if not self._downloads_media():
            return self.send(TurnInput(kind=InboundKind.MEDIA, caption=caption))
        # Stored under its message's id, as the executor stores it (a delete finds it so).
        message_id = f"m{next(self._ids)}"
        key = f"staged/test/{self.phone}/{message_id}/{filename}"
        attachment = Attachment(key=key, kind=kind, mimetype=mimetype, filename=filename, size=size)
        return self.send(
            TurnInput(kind=InboundKind.MEDIA, attachment=attachment, caption=caption), message_id
        )

    def requester_sends_captioned_image(self, caption: str, filename: str = "print.png") -> Transcript:
        return self.requester_sends_file(MediaKind.IMAGE, filename, "image/png", 120_000, caption)

    def requester_sends_too_large_file(self) -> Transcript:
        return self._send_refused(MediaRefusal.TOO_LARGE)

    def requester_sends_unsupported_file(self) -> Transcript:
        return self._send_refused(MediaRefusal.UNSUPPORTED_TYPE)

    def requester_sends_sticker(self) -> Transcript:
        return self.send(TurnInput(kind=InboundKind.OTHER))

    def requester_sends_location(self) -> Transcript:
        return self.send(TurnInput(kind=InboundKind.OTHER))

    def requester_sends_voice_note_saying(self, transcript: str, filename: str = "ptt.ogg") -> Transcript:
        """A voice note the gateway transcribed: where a text is asked the executor hands the
        transcript in as the text (nothing downloaded); where files are kept, as the file's caption."""
        if not self._downloads_media():
            return self.send(TurnInput(kind=InboundKind.TEXT, text=transcript))
        return self.requester_sends_file(MediaKind.AUDIO, filename, "audio/ogg", 30_000, transcript)

    def requester_edits(self, message_id: str, text: str) -> Transcript:
        """The requester edits an earlier message (WhatsApp: within 15 minutes)."""
        return self._change(InboundKind.EDIT, message_id, text)

    def requester_deletes(self, message_id: str) -> Transcript:
        """The requester deletes an earlier message for everyone."""
        return self._change(InboundKind.REVOKE, message_id, None)

    def requester_reacts(self, message_id: str, emoji: str) -> Transcript:
        """The requester reacts to a message ("" takes the reaction back)."""
        return self._change(InboundKind.REACTION, message_id, emoji)

    def _change(self, kind: InboundKind, target: str, text: str | None) -> Transcript:
        """What the executor finds about the changed message: the action it became (edit, delete)
        unless it was deleted, or the notification it is (reaction), only this phone's."""
        saved = self.world.saved.get(target) if kind is not InboundKind.REACTION else None
        if target in self._deleted:  # a delete, then the same message changed again: nothing holds it
            saved = None
        notification = self.world.notifications.get(target) if kind is InboundKind.REACTION else None
        reacted = notification[1] if notification and notification[0] == self.phone else None
        change_id = f"{target}:{kind.value}:{text or ''}"
        if kind is InboundKind.REVOKE:
            self._deleted.add(target)
        turn = TurnInput(kind=kind, text=text, target_id=target, saved=saved, reacted=reacted)
        return self.send(turn, message_id=change_id)

    def ticket_closed(self, number: int, status: str = "Encerrado", by: str = "Ana") -> Transcript:
        """An agent closes the ticket (a status action with no text); the notifier asks whether
        it is solved (no turn runs)."""
        ticket = self.world.tickets[number]
        ticket.status = status
        self.world.add_action(number, "", author_kind="agent", author_name=by)
        self.state, self.result = ask_fix(self.state, number, ticket.cnpj), None
        self.texts = [
            f"Situação alterada para *{status}*",
            self.question(),
        ]
        self.history += [f"[ticket {number} closed]", *(f"< {text}" for text in self.texts)]
        return self

    def question(self) -> str:
        """The question the current step asks, as the requester reads it (a menu numbered)."""
        asked = prompt(self.state, self.world.context(self.phone))
        return numbered(asked.text, asked.menu)

    def send(self, turn: TurnInput, message_id: str | None = None) -> Transcript:
        """One turn, the way the executor runs it."""
        message_id = message_id or f"m{next(self._ids)}"
        turn = replace(turn, message_id=message_id, **self._next)  # type: ignore[arg-type]
        self._next = {}
        if turn.kind not in CHANGES:
            self.last_id = message_id
        result = handle(self.state, turn, self.world.context(self.phone))
        check_turn(result, answered=turn.kind not in CHANGES)
        values = self.world.apply(self.phone, result.effects, message_id)
        untouched = turn.kind in CHANGES and not result.effects and self.state in (None, result.state)
        # A change that touches nothing: the executor writes nothing (no conversation starts).
        self.state, self.result = (self.state if untouched else result.state), result
        self.texts = [fill(reply, values) for reply in result.replies]
        flags = "".join(f"[{name}] " for name in ("paused", "replying_to", "notified") if getattr(turn, name))
        said = turn.text if turn.kind is InboundKind.TEXT else f"[{turn.kind.value}] {turn.caption or ''}"
        self.history.append(f"> {flags}{said}")
        self.history += [f"< {text}" for text in self.texts]
        return self

    def _send_refused(self, refusal: MediaRefusal) -> Transcript:
        if not self._downloads_media():
            return self.send(TurnInput(kind=InboundKind.MEDIA))
        return self.send(TurnInput(kind=InboundKind.MEDIA, media_refused=refusal))

    def _downloads_media(self) -> bool:
        return keeps_files(self.state, replace(TurnInput(kind=InboundKind.MEDIA), **self._next))

    # --- what the bot did -------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The last turn's replies, joined."""
        return "\n---\n".join(self.texts)

    @property
    def step(self) -> Step | None:
        return self.state.step if self.state else None

    @property
    def effects(self) -> tuple[Effect, ...]:
        return self.result.effects if self.result else ()

    def bot_answers(self, *fragments: str) -> Transcript:
        """Each fragment appears in the replies of the last turn."""
        for fragment in fragments:
            assert fragment in self.text, f"{fragment!r} not in the last answer:\n{self._log()}"
        return self

    def bot_does_not_say(self, *fragments: str) -> Transcript:
        for fragment in fragments:
            assert fragment not in self.text, f"{fragment!r} in the last answer:\n{self._log()}"
        return self

    def bot_sends(self, count: int) -> Transcript:
        """The last turn produced exactly `count` messages."""
        assert len(self.texts) == count, f"{len(self.texts)} replies, not {count}:\n{self._log()}"
        return self

    def now_at(self, step: Step) -> Transcript:
        assert self.step is step, f"at {self.step}, not {step}:\n{self._log()}"
        return self

    def did(self, *effects: Effect) -> Transcript:
        """The last turn returned exactly these effects (the messages a ticket or an action was
        written with are compared only when `effects` name them)."""
        actual = (
            tuple(
                replace(done, message_ids=())  # type: ignore[call-arg]
                if isinstance(done, CreateTicket | PostAction)
                and isinstance(wanted, type(done))
                and not wanted.message_ids
                else done
                for done, wanted in zip(self.effects, effects, strict=False)
            )
            + self.effects[len(effects) :]
        )
        assert actual == effects, f"effects {self.effects!r}, not {effects!r}"
        return self

    def did_nothing(self) -> Transcript:
        return self.did()

    def _log(self) -> str:
        return "\n".join(self.history[-12:])


def fill(reply: Reply, values: dict[str, str]) -> str:
    """The reply as the requester reads it (a menu as numbered lines, as Evolution shows it); every
    token it names must have a value this turn."""
    text = numbered(reply.text, reply.menu)
    for name in reply.fill:
        assert name in values, f"{{{name}}} to fill, but no effect this turn gave it a value"
        text = text.replace("{" + name + "}", values[name])
    return text


def check_turn(result: TurnResult, answered: bool = True) -> None:
    """What the executor relies on, whatever the dialog was told: a reply to every message (but a
    greeting's next bubble), none to an edit, delete or reaction."""
    assert isinstance(result.state, ConversationState)
    assert result.state.step in Step
    raw = json.dumps(result.state.to_dict())
    assert ConversationState.from_dict(json.loads(raw)) == result.state
    # A greeting's next bubbles right after the welcome are the one exception: no second welcome.
    silent_bubble = answered and not result.replies and result.state.data.greeted_at is not None
    assert bool(result.replies) == answered or silent_bubble, (
        "no reply" if answered else "a reply to a change"
    )
    for reply in result.replies:
        assert reply.text.strip(), "an empty reply"
        assert set(reply.fill) <= TOKENS, f"unknown tokens {reply.fill}"
        shown = numbered(reply.text, reply.menu)
        for name in reply.fill:
            assert "{" + name + "}" in shown, f"fill names {{{name}}}, absent from the text and menu"
        if reply.menu is not None:
            numbers = [option.number for option in reply.menu.options]
            assert numbers and len(set(numbers)) == len(numbers), f"a menu's numbers: {numbers}"


def _cnpj(raw: str) -> str:
    normalized = normalize(raw)
    assert normalized is not None, f"not a CNPJ: {raw}"
    return normalized


# --- a ready-made scene, and a way to any step -----------------------------------------------

BETA_CNPJ = "Z9Y8X7W6V5U429"  # alphanumeric, valid, linked to nobody in the scene
SCENE_PHONES = {"one_company": "5511977770001", "two_companies": "5511977770002"}

PAUSE = "<pause>"  # in a route: the next message comes after the conversation time

# What to type, and as whom, to reach each step in `scene()`.
ROUTES: dict[Step, tuple[str, tuple[str, ...]]] = {
    Step.ASK_CNPJ: ("new", ("oi",)),
    Step.ASK_NAME: ("new", ("oi", ACME_CNPJ)),
    Step.ASK_EMAIL: ("new", ("oi", ACME_CNPJ, "Maria")),
    Step.CHOOSE_COMPANY: ("two_companies", ("oi",)),
    Step.ACCESS_MENU: ("one_company", ("oi",)),
    Step.LINK_CNPJ: ("one_company", ("oi", "3")),
    Step.TICKETS_MENU: ("one_company", ("oi", "2")),
    Step.ASK_SUBJECT: ("one_company", ("oi", "2", "0")),
    Step.ASK_TYPE: ("one_company", ("oi", "2", "0", "Impressora parada")),
    Step.ASK_DESCRIPTION: ("one_company", ("oi", "2", "0", "Impressora parada", "1")),
    Step.TICKET_MEDIA: ("one_company", ("oi", "2", "0", "Impressora parada", "1", "Não liga")),
    Step.TICKET_MENU: ("one_company", ("oi", "2", "1042")),
    Step.ASK_ACTION_TEXT: ("one_company", ("oi", "2", "1042", "1")),
    Step.ACTION_MEDIA: ("one_company", ("oi", "2", "1042", "1", "Alguma novidade?")),
    Step.CONFIRM_FIX: ("one_company", ("oi", "2", "@closed 1042")),
    Step.ASK_RATING: ("one_company", ("oi", "2", "@closed 1042", "1")),
    Step.ASK_RATING_COMMENT: ("one_company", ("oi", "2", "@closed 1042", "1", "4")),
    Step.RESUME_DRAFT: ("one_company", ("oi", "2", "0", "Impressora parada", "1", PAUSE, "oi")),
    Step.KB_OFFER: ("one_company", ("oi", "2", "0", "Certificado", "1", "O certificado digital venceu")),
    Step.KB_SOLVED: (
        "one_company",
        ("oi", "2", "0", "Certificado", "1", "O certificado digital venceu", "1"),
    ),
    Step.KB_RESOLVED: (
        "one_company",
        ("oi", "2", "0", "Certificado", "1", "O certificado digital venceu", "1", "sim"),
    ),
    Step.ENDED: ("one_company", ("oi", "sair")),
}


def scene() -> World:
    """Two client companies, two request types, two requesters and an article (a certificate gone
    out of date):

    - "one_company" (5511977770001): linked to Acme, owner of tickets 1041 and 1042 (with an action);
    - "two_companies" (5511977770002): linked to Acme and Alfa, owner of ticket 1050 at Alfa.
    BETA_CNPJ is a client nobody is linked to; any other new phone is an unknown requester.
    """
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    world.add_company(ALPHA_CNPJ, "Alfa S.A.")
    world.add_company(BETA_CNPJ, "Beta Comércio")
    world.add_request_type("t-hw", "Hardware")
    world.add_request_type("t-net", "Rede")
    one = world.add_requester(SCENE_PHONES["one_company"], companies=[ACME_CNPJ], name="Maria Souza")
    two = world.add_requester(
        SCENE_PHONES["two_companies"], companies=[ACME_CNPJ, ALPHA_CNPJ], name="João Lima"
    )
    world.add_ticket(one, ACME_CNPJ, "VPN caiu", number=1041, status="Fechado")
    world.add_ticket(one, ACME_CNPJ, "Impressora sem tinta", number=1042, request_type="Hardware")
    world.add_action(1042, "Vamos trocar o cartucho.", author_name="Ana")
    world.add_ticket(two, ALPHA_CNPJ, "Acesso ao ERP", number=1050)
    world.next_ticket_number = 1100
    world.add_article(
        Article(
            "certificado",
            "Certificado digital vencido",
            "Renove com a certificadora e importe o novo em _Configurações > Certificado_.",
            ("certificado digital", "vencido"),
        )
    )
    return world


def reach(world: World, step: Step) -> Transcript:
    """A transcript of the scene at `step` (`world` must come from `scene()`)."""
    who, messages = ROUTES[step]
    t = world.transcript(SCENE_PHONES.get(who))
    for text in messages:
        if text == PAUSE:
            t.pause()
        elif text.startswith("@closed "):
            t.ticket_closed(int(text.split()[1]))
        else:
            t.requester_says(text)
    return t.now_at(step)
