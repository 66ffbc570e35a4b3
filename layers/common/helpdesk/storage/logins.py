"""Failed portal logins per username (LOGIN#<username> / ATTEMPTS), updated atomically.

The policy (how many failures, how long a lock) belongs to helpdesk.logic.portal; these functions
only make each step atomic, so concurrent failures are never lost nor lock twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, UpdateError

from helpdesk.storage.models import LoginAttempts, Requester
from helpdesk.storage.transaction import condition_failed


def _key(username: str) -> tuple[str, str]:
    return f"LOGIN#{username}", "ATTEMPTS"


def _item(username: str) -> LoginAttempts:
    pk, sk = _key(username)
    return LoginAttempts(pk=pk, sk=sk)


def failures_record(username: str) -> LoginAttempts | None:
    """The username's failure record (its `locked_until`), read consistently; None when clean."""
    try:
        return LoginAttempts.get(*_key(username), consistent_read=True)
    except LoginAttempts.DoesNotExist:
        return None


def _not_locked(now: datetime):
    return LoginAttempts.locked_until.does_not_exist() | (LoginAttempts.locked_until <= now)


def count_failure(username: str, now: datetime, window: timedelta) -> int | None:
    """Adds one failure (a new window starts when the last one is over); returns the failures in
    the window, or None when the username got locked meanwhile by a concurrent failure."""
    in_window = LoginAttempts.expires_at.does_not_exist() | (LoginAttempts.expires_at > now)
    common = [LoginAttempts.entity.set(LoginAttempts), LoginAttempts.expires_at.set(now + window)]
    attempts = _item(username)
    try:
        attempts.update(
            actions=[LoginAttempts.failures.add(1), *common], condition=_not_locked(now) & in_window
        )
    except UpdateError as error:
        _raise_unless_condition(error)
        try:
            attempts.update(
                actions=[LoginAttempts.failures.set(1), LoginAttempts.locked_until.remove(), *common],
                condition=_not_locked(now),
            )
        except UpdateError as again:
            _raise_unless_condition(again)
            return None
    return int(attempts.failures or 0)


def lock(
    username: str, until: datetime, window: timedelta, min_failures: int, credentials_version: int | None
) -> bool:
    """Locks the username until `until` if it still has `min_failures`, noting the password's
    version it was locked under (None for an unknown username); False when another failure locked
    it first."""
    version = (
        LoginAttempts.locked_version.set(credentials_version)
        if credentials_version is not None
        else LoginAttempts.locked_version.remove()
    )
    try:
        _item(username).update(
            actions=[
                LoginAttempts.locked_until.set(until),
                LoginAttempts.failures.set(0),
                LoginAttempts.expires_at.set(until + window),
                version,
            ],
            condition=LoginAttempts.failures >= min_failures,
        )
    except UpdateError as error:
        _raise_unless_condition(error)
        return False
    return True


def forget_failures(username: str, now: datetime) -> None:
    """Deletes the failure record unless it is locked (a lock outlives a right password)."""
    try:
        _item(username).delete(condition=LoginAttempts.pk.exists() & _not_locked(now))
    except DeleteError as error:
        _raise_unless_condition(error)


def lift_lock(username: str, credentials_version: int) -> None:
    """Deletes a lock set under an older password (the requester got a new one since); a lock set
    under this password, or a record without a version, stays."""
    try:
        _item(username).delete(condition=LoginAttempts.locked_version < credentials_version)
    except DeleteError as error:
        _raise_unless_condition(error)


def _raise_unless_condition(error: Exception) -> None:
    if not condition_failed(error):
        raise error


# --- signing in with an e-mail ----------------------------------------------------------------


def email_key(email: str) -> str:
    """The index key (gsi2) the portal finds a requester by when they sign in with their e-mail."""
    return f"EMAIL#{email.strip().lower()}"


def requesters_by_email(email: str, limit: int = 2) -> list[Requester]:
    """Up to `limit` requesters registered with that e-mail (case ignored). Requesters registered
    before the index key existed get it with their next password (phones.reset_credentials)."""
    found = Requester.by_gsi2.query(email_key(email), limit=limit)
    return [item for item in found if isinstance(item, Requester)]
