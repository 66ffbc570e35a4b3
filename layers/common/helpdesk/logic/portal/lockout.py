"""Login failures per username (counted atomically in storage.logins): MAX_FAILURES failures inside
FAILURE_WINDOW lock the username for LOCKOUT; while locked every attempt, even with the right
password, raises Locked. Unknown usernames are counted and locked the same way."""

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
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _retry_after(locked_until: datetime, now: datetime) -> int:
    return max(int((locked_until - now).total_seconds()) + 1, 1)


def check_lock(username: str, now: datetime) -> bool:
    """Whether the username has failures on record; raises Locked while it is locked."""
    record = logins.failures_record(username)
    if record is None:
        return False
    if record.locked_until and record.locked_until > now:
        raise Locked(_retry_after(record.locked_until, now))
    return True


def record_failure(username: str, now: datetime) -> None:
    """Counts one failure; the failure that reaches MAX_FAILURES locks the username."""
    failures = logins.count_failure(username, now, FAILURE_WINDOW)
    if failures is None or failures < MAX_FAILURES:
        return
    if logins.lock(username, now + LOCKOUT, FAILURE_WINDOW, MAX_FAILURES):
        logger.warning("portal login locked", extra={"user": mask_phone(username)})
