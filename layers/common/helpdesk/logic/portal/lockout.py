"""Login failures per username (counted atomically in storage.logins): MAX_FAILURES failures inside
FAILURE_WINDOW lock the username for LOCKOUT; while locked every attempt, even with the right
password, raises Locked (saying until when). Unknown usernames are counted and locked the same way.
A new password (the bot's "Recuperar acesso ao portal" bumps the requester's credentials_version)
lifts the lock: the lock notes the version it was set under."""

from __future__ import annotations

from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from helpdesk.logs import mask_phone
from helpdesk.storage import logins

logger = Logger(child=True)

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


class Locked(Exception):
    def __init__(self, retry_after: int, until: datetime) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.until = until


def _retry_after(locked_until: datetime, now: datetime) -> int:
    return max(int((locked_until - now).total_seconds()) + 1, 1)


def _recovered(record, credentials_version: int | None) -> bool:
    """Whether the requester got a new password since the lock was set."""
    locked_under = record.locked_version
    return credentials_version is not None and locked_under is not None and credentials_version > locked_under


def check_lock(username: str, now: datetime, credentials_version: int | None = None) -> bool:
    """Whether the username has failures on record; raises Locked while it is locked under the
    requester's current password (`credentials_version`; None for an unknown username)."""
    record = logins.failures_record(username)
    if record is None:
        return False
    if record.locked_until and record.locked_until > now:
        if not _recovered(record, credentials_version):
            raise Locked(_retry_after(record.locked_until, now), record.locked_until)
        logins.lift_lock(username, credentials_version)  # type: ignore[arg-type]
        logger.info("portal lock lifted by a new password", extra={"user": mask_phone(username)})
        return False
    return True


def record_failure(username: str, now: datetime, credentials_version: int | None = None) -> int:
    """Counts one failure and returns how many tries are left before the lock (0: none, the next
    one is refused); the failure that reaches MAX_FAILURES locks the username and raises Locked, so
    the requester learns of the lock with the failure that set it."""
    failures = logins.count_failure(username, now, FAILURE_WINDOW)
    if failures is None:  # a concurrent failure locked it meanwhile
        check_lock(username, now, credentials_version)
        return 0
    if failures < MAX_FAILURES:
        return MAX_FAILURES - failures
    if logins.lock(username, now + LOCKOUT, FAILURE_WINDOW, MAX_FAILURES, credentials_version):
        logger.warning("portal login locked", extra={"user": mask_phone(username)})
    check_lock(username, now, credentials_version)
    return 0
