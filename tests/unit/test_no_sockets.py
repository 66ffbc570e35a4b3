"""The unit suite refuses sockets (tests/unit/conftest.py), loopback included."""

import socket
import urllib.request

import pytest

from tests.unit.conftest import SocketRefused


def test_a_socket_cannot_be_opened():
    with pytest.raises(SocketRefused):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_a_connection_cannot_be_made_even_on_loopback():
    with pytest.raises(SocketRefused):
        socket.create_connection(("127.0.0.1", 9))


def test_an_http_client_gets_no_further():
    with pytest.raises(SocketRefused):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
