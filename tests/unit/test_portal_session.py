"""Portal session tokens and usernames: pure, no table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.logic import portal

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("PORTAL_SESSION_KEY", "unit-key")


def session(seconds: int = 600) -> portal.Session:
    return portal.Session("5511911110001", 3, int(NOW.timestamp()) + seconds)


def test_a_signed_session_decodes_to_itself_until_it_expires():
    token = portal.sign_session(session())
    assert token.startswith("v1.") and token.count(".") == 2
    assert portal.decode_session(token, NOW) == session()
    assert portal.decode_session(token, NOW + timedelta(seconds=600)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "v2" + t[2:],
        lambda t: t.replace(".", "", 1),
        lambda t: t + "x" * 2000,
    ],
)
def test_a_damaged_token_is_refused(damage):
    assert portal.decode_session(damage(portal.sign_session(session())), NOW) is None


def test_another_key_refuses_the_token(monkeypatch):
    token = portal.sign_session(session())
    monkeypatch.setenv("PORTAL_SESSION_KEY", "other-key")
    assert portal.decode_session(token, NOW) is None


def test_without_a_key_nothing_is_signed_or_accepted(monkeypatch):
    token = portal.sign_session(session())
    monkeypatch.setenv("PORTAL_SESSION_KEY", "")
    with pytest.raises(portal.PortalUnavailable):
        portal.sign_session(session())
    with pytest.raises(portal.PortalUnavailable):
        portal.decode_session(token, NOW)


@pytest.mark.parametrize(
    ("typed", "username"),
    [("5511911110001", "5511911110001"), ("+55 (11) 91111-0001", "5511911110001"), ("  55119 ", "55119")],
)
def test_usernames_are_the_phone_digits(typed, username):
    assert portal.normalize_username(typed) == username
