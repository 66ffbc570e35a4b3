"""The requester portal: sessions, login with lockout, and the requester's own tickets.

No HTTP here: the routes (functions/portal/portal_routes.py) turn these results and exceptions into
responses and cookies.

Sessions are stateless tokens `v1.<payload>.<mac>`: the payload (base64url JSON) holds the phone,
the requester's `credentials_version` and an expiry; the mac is HMAC-SHA256 over `v1.<payload>`
with the secret `portal_session_key`. A token is accepted only while it has not expired and its
`credentials_version` equals the stored one, so access recovery through the bot (which bumps the
version) ends every older session at once.

Login failures are counted per username in the LoginAttempts item with conditional atomic updates:
MAX_FAILURES failures inside FAILURE_WINDOW lock the username for LOCKOUT; while locked every
attempt, even with the right password, raises Locked. Unknown usernames are counted and locked the
same way and verified against a dummy hash, so they answer like a wrong password, in similar time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import mimetypes
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aws_lambda_powertools import Logger

from helpdesk import caches, media
from helpdesk.config import secret, settings
from helpdesk.domain.conversation import MediaRefusal
from helpdesk.domain.credentials import hash_password, verify_password
from helpdesk.domain.messages import Attachment
from helpdesk.logic import ticket_actions
from helpdesk.logs import mask_phone
from helpdesk.storage import logins, phones, tickets
from helpdesk.storage.phones import Requester
from helpdesk.storage.tickets import Action, Ticket

logger = Logger(child=True)

SESSION_SECONDS = 30 * 60
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
MAX_TEXT = 4000
MAX_FILES = 5
# A Lambda request carries at most 6 MB and base64 adds a third: the portal's uploads stay below.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
_TOKEN_VERSION = "v1"
# The phone's digits, or "lid:<digits>" for a requester WhatsApp knows only by LID (docs/portal.md).
_USERNAME = re.compile(r"^(\d{8,15}|lid:\d{1,20})$")


class PortalUnavailable(Exception):
    """The session key is not configured: the portal refuses every login and session."""


class InvalidCredentials(Exception):
    """Unknown user or wrong password (deliberately the same)."""


class Locked(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class NotFound(Exception):
    """No such ticket, or not the requester's own (deliberately the same)."""


class InvalidAction(Exception):
    """An action the portal refuses; the message is shown to the requester (pt-BR)."""


@dataclass(frozen=True)
class Session:
    phone: str
    credentials_version: int
    expires_at: int  # epoch seconds


@dataclass(frozen=True)
class LoginResult:
    token: str
    session: Session
    name: str


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    mimetype: str
    body: bytes


# --- session tokens -------------------------------------------------------------------------------


def _key() -> bytes:
    key = secret("portal_session_key")
    if not key:
        raise PortalUnavailable()
    return key.encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(signed: str) -> str:
    return _b64(hmac.new(_key(), signed.encode(), hashlib.sha256).digest())


def sign_session(session: Session) -> str:
    payload = {"p": session.phone, "v": session.credentials_version, "exp": session.expires_at}
    signed = f"{_TOKEN_VERSION}.{_b64(json.dumps(payload, separators=(',', ':')).encode())}"
    return f"{signed}.{_mac(signed)}"


def decode_session(token: str | None, now: datetime) -> Session | None:
    """The token's session when the signature holds and it has not expired (no table read)."""
    if not token or len(token) > 1024:
        return None
    version, _, rest = token.partition(".")
    payload, _, mac = rest.partition(".")
    if version != _TOKEN_VERSION or not payload or not mac:
        return None
    if not hmac.compare_digest(_mac(f"{version}.{payload}").encode(), mac.encode()):
        return None
    try:
        data = json.loads(_unb64(payload))
        session = Session(str(data["p"]), int(data["v"]), int(data["exp"]))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    return session if session.expires_at > now.timestamp() else None


def authenticate(token: str | None, now: datetime | None = None) -> Requester | None:
    """The requester a session token stands for, or None (bad, expired or superseded token)."""
    now = now or datetime.now(UTC)
    session = decode_session(token, now)
    if session is None:
        return None
    requester = _requester(session.phone)
    if requester is None or int(requester.credentials_version) != session.credentials_version:
        return None
    return requester


# --- login and lockout ----------------------------------------------------------------------------


def normalize_username(username: str | None) -> str:
    """The username is the phone's digits; spaces, '+', '-', '(' and ')' typed around them are dropped."""
    return re.sub(r"[\s+\-()]", "", username or "")[:64].lower()


@caches.cached
def _dummy_hash() -> str:
    return hash_password(uuid.uuid4().hex)


def login(username: str | None, password: str | None, now: datetime | None = None) -> LoginResult:
    """Checks the password; raises Locked, InvalidCredentials or PortalUnavailable."""
    now = now or datetime.now(UTC)
    _key()  # refuse before counting anything when sessions cannot be issued
    username = normalize_username(username)
    password = password or ""
    known = _USERNAME.match(username) is not None
    has_failures = _check_lock(username, now) if known else False
    requester = _requester(username) if known else None
    # Always one scrypt verification, so unknown users take as long as wrong passwords.
    ok = verify_password(password[:256], requester.password_hash if requester else _dummy_hash())
    if not known:
        raise InvalidCredentials()
    if not (ok and requester):
        _record_failure(username, now)
        logger.info("portal login refused", extra={"user": mask_phone(username)})
        raise InvalidCredentials()
    if has_failures:
        logins.forget_failures(username, now)
    session = Session(
        requester.phone, int(requester.credentials_version), int(now.timestamp()) + SESSION_SECONDS
    )
    logger.info("portal login", extra={"user": mask_phone(username)})
    return LoginResult(sign_session(session), session, requester.name)


def _retry_after(locked_until: datetime, now: datetime) -> int:
    return max(int((locked_until - now).total_seconds()) + 1, 1)


def _check_lock(username: str, now: datetime) -> bool:
    """Whether the username has failures on record; raises Locked while it is locked."""
    record = logins.failures_record(username)
    if record is None:
        return False
    if record.locked_until and record.locked_until > now:
        raise Locked(_retry_after(record.locked_until, now))
    return True


def _record_failure(username: str, now: datetime) -> None:
    """Counts one failure; the failure that reaches MAX_FAILURES locks the username."""
    failures = logins.count_failure(username, now, FAILURE_WINDOW)
    if failures is None or failures < MAX_FAILURES:
        return
    if logins.lock(username, now + LOCKOUT, FAILURE_WINDOW, MAX_FAILURES):
        logger.warning("portal login locked", extra={"user": mask_phone(username)})


def _requester(phone: str) -> Requester | None:
    return phones.get_requester(phone)


# --- queries --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyTickets:
    cnpj: str
    name: str
    tickets: list[Ticket]  # newest first


@dataclass(frozen=True)
class RequesterTickets:
    name: str
    username: str
    companies: list[CompanyTickets]  # by company name


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    actions: list[Action]  # only those visible to the requester, oldest first


def list_tickets(phone: str) -> RequesterTickets:
    """The requester's tickets, newest first, grouped by linked company."""
    snapshot = phones.load_phone(phone)
    companies = [
        CompanyTickets(link.cnpj, link.company_name, list(tickets.requester_tickets(phone, link.cnpj)))
        for link in sorted(snapshot.links, key=lambda link: link.company_name)
    ]
    name = snapshot.requester.name if snapshot.requester else ""
    return RequesterTickets(name=name, username=phone, companies=companies)


def own_ticket(phone: str, number: int) -> Ticket:
    ticket = tickets.get_ticket(number)
    if ticket is None or ticket.requester_phone != phone:
        raise NotFound(number)
    return ticket


def ticket_view(phone: str, number: int) -> TicketView:
    """One of the requester's own tickets with every action visible to them, oldest first."""
    ticket = own_ticket(phone, number)
    return TicketView(
        ticket, [action for action in tickets.actions_of(ticket) if action.visible_to_requester]
    )


# --- posting --------------------------------------------------------------------------------------


def parse_files(raw_files: object) -> list[UploadedFile]:
    """Decodes `[{filename, mimetype, content (base64)}]`; raises InvalidAction."""
    if raw_files in (None, []):
        return []
    if not isinstance(raw_files, list) or len(raw_files) > MAX_FILES:
        raise InvalidAction(f"Envie no máximo {MAX_FILES} arquivos por vez.")
    files = []
    for raw in raw_files:
        if not isinstance(raw, dict) or not isinstance(raw.get("content"), str):
            raise InvalidAction("Anexo inválido.")
        try:
            body = base64.b64decode(raw["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidAction("Anexo inválido.") from error
        files.append(
            UploadedFile(str(raw.get("filename") or ""), str(raw.get("mimetype") or "").lower(), body)
        )
    return files


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def upload_limit() -> int:
    return min(settings().media_max_bytes, MAX_UPLOAD_BYTES)


def post_action(
    phone: str, number: int, text: str | None, files: Sequence[UploadedFile] = (), now: datetime | None = None
) -> Action:
    """Adds the requester's message (and files) to their own ticket, as WhatsApp messages are added:
    through ticket_actions.post_action, so it reaches the ERP the same way."""
    now = now or datetime.now(UTC)
    text = (text or "").strip()
    if not text and not files:
        raise InvalidAction("Escreva uma mensagem ou anexe um arquivo.")
    if len(text) > MAX_TEXT:
        raise InvalidAction(f"A mensagem pode ter no máximo {MAX_TEXT} caracteres.")
    ticket = own_ticket(phone, number)
    requester = _requester(phone)
    limit = upload_limit()
    if sum(len(f.body) for f in files) > limit:
        raise InvalidAction(f"Os anexos passam do limite de {_size_text(limit)} por envio.")
    action_id = f"portal-{uuid.uuid4().hex}"
    prepared = []
    for index, file in enumerate(files):
        mimetype = file.mimetype.split(";")[0].strip()
        kind = media.kind_of(mimetype)
        refused = media.refusal(kind, mimetype, len(file.body), limit)
        if refused is MediaRefusal.TOO_LARGE:
            raise InvalidAction(f"O arquivo passa do limite de {_size_text(limit)}.")
        if refused is not None:
            raise InvalidAction("Tipo de arquivo não aceito.")
        fallback = f"{kind.value}-{index + 1}{mimetypes.guess_extension(mimetype) or ''}"
        filename = media.safe_filename(file.filename, fallback)
        key = f"media/portal/{phone}/{action_id}/{index + 1}-{filename}"
        attachment = Attachment(key=key, kind=kind, mimetype=mimetype, filename=filename, size=len(file.body))
        prepared.append((attachment, file))
    for attachment, file in prepared:
        media.put(attachment.key, file.body, attachment.mimetype)
    action = ticket_actions.post_action(
        int(ticket.number),
        author_kind="requester",
        author_name=requester.name if requester else "",
        text=text,
        source="portal",
        attachments=[a for a, _ in prepared],
        action_id=action_id,
        now=now,
    )
    logger.info(
        "portal action posted",
        extra={"user": mask_phone(phone), "ticket": int(ticket.number), "attachments": len(prepared)},
    )
    return action
