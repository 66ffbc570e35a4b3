"""Unit tests are pure: no socket, not even on loopback (a test that needs one is an integration
test). Every unit test runs with sockets refused; tests/unit/test_no_sockets.py proves it."""

from __future__ import annotations

import socket

import pytest


class SocketRefused(RuntimeError):
    """A unit test tried to open a socket."""


class _RefusedSocket(socket.socket):
    def __init__(self, *args, **kwargs) -> None:
        raise SocketRefused("unit tests open no sockets: move this test to tests/integration")


def _refused_connection(*args, **kwargs):
    raise SocketRefused("unit tests open no connections: move this test to tests/integration")


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch):
    monkeypatch.setattr(socket, "socket", _RefusedSocket)
    monkeypatch.setattr(socket, "create_connection", _refused_connection)
