"""Portal sessions: login (with the lockout of `lockout`) and the stateless session tokens of
`helpdesk.domain.portal_session`, signed with the secret `portal_session_key`."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from aws_lambda_powertools import Logger
from msgspec import Struct

from helpdesk import caches
from helpdesk.config import secret
from helpdesk.domain import portal_session
from helpdesk.domain.credentials import hash_password, verify_password
from helpdesk.domain.phone import normalize_bsuid
from helpdesk.domain.portal_session import Session
from helpdesk.domain.text import is_valid_email
from helpdesk.logic.portal.lockout import check_lock, record_failure
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import logins, phones
from helpdesk.storage.phones import Requester

logger = Logger(child=True)

SESSION_SECONDS = 30 * 60
# The phone's digits, "lid:<digits>" for a requester WhatsApp knows only by LID, or the BSUID of a
# requester the Cloud API shows no phone for (docs/portal.md).
_USERNAME = re.compile(r"^(\d{8,15}|lid:\d{1,20}|[A-Z]{2}\.(ENT\.)?[0-9A-Za-z]{1,64})$")


class PortalUnavailable(Exception):
    """The session key is not configured: the portal refuses every login and session."""


class InvalidCredentials(Exception):
    """Unknown user or wrong password (deliberately the same); `last_try`: the next failure locks."""

    def __init__(self, last_try: bool = False) -> None:
        super().__init__(last_try)
        self.last_try = last_try


class LoginResult(Struct, frozen=True):
    token: str
    session: Session
    name: str


def _key() -> bytes:
    key = secret("portal_session_key")
    if not key:
        raise PortalUnavailable()
    return key.encode()


def sign_session(session: Session) -> str:
    return portal_session.sign(session, _key())


def decode_session(token: str | None, now: datetime) -> Session | None:
    """The token's session when the signature holds and it has not expired (no table read)."""
    return portal_session.decode(token, _key, now)


def authenticate(services: Services, token: str | None) -> Requester | None:
    """The requester a session token stands for, or None (bad, expired or superseded token)."""
    session = decode_session(token, services.clock())
    if session is None:
        return None
    requester = requester_of(session.phone)
    if requester is None or int(requester.credentials_version) != session.credentials_version:
        return None
    return requester


def requester_of(phone: str) -> Requester | None:
    return phones.get_requester(phone)


def normalize_username(username: str | None) -> str:
    """The username is the phone's digits; spaces, '+', '-', '(' and ')' typed around them are dropped.
    A BSUID ("BR.1349...") is Meta's value: only its country's case is forgiven."""
    typed = re.sub(r"[\s+\-()]", "", username or "")[:80]
    return normalize_bsuid(typed) or typed[:64].lower()


@caches.cached
def _dummy_hash() -> str:
    return hash_password(uuid.uuid4().hex)


def _by_email(typed: str) -> tuple[str, Requester | None]:
    """A requester signing in with their e-mail: the lockout counts under their username (the same
    count whichever they type). An e-mail registered by several requesters (colleagues sharing a
    mailbox) names nobody: it is refused like an unknown user, counted under the e-mail, and those
    requesters sign in with their username (the bot's message says so)."""
    found = logins.requesters_by_email(typed)
    if len(found) == 1:
        return found[0].username, found[0]
    return f"email:{typed}", None


def login(services: Services, username: str | None, password: str | None) -> LoginResult:
    """Checks the password of a username or an e-mail; raises Locked, InvalidCredentials or
    PortalUnavailable."""
    now = services.clock()
    _key()  # refuse before counting anything when sessions cannot be issued
    typed_email = (username or "").strip().lower()
    password = password or ""
    if is_valid_email(typed_email):
        username, requester = _by_email(typed_email[:254])
        counted = True  # an unknown e-mail is counted and locked like an unknown username
    else:
        username = normalize_username(username)
        counted = _USERNAME.match(username) is not None
        requester = requester_of(username) if counted else None
    version = int(requester.credentials_version) if requester else None
    has_failures = check_lock(username, now, version) if counted else False
    # Always one scrypt verification, so unknown users take as long as wrong passwords.
    ok = verify_password(password[:256], requester.password_hash if requester else _dummy_hash())
    if not counted:
        raise InvalidCredentials()
    if not (ok and requester):
        left = record_failure(username, now, version)  # raises Locked on the failure that locks
        logger.info("portal login refused", extra={"user": mask_phone(username)})
        raise InvalidCredentials(last_try=left == 1)
    if has_failures:
        logins.forget_failures(username, now)
    session = Session(
        requester.phone, int(requester.credentials_version), int(now.timestamp()) + SESSION_SECONDS
    )
    logger.info("portal login", extra={"user": mask_phone(username)})
    return LoginResult(sign_session(session), session, requester.name)
