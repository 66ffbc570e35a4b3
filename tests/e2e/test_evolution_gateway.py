"""The local stack with the real Evolution adapter, pointed at a stand-in Evolution API server on
loopback: the exact requests the bot makes to send its replies."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from local.launch import start_stack, stop_stack
from local.testing.waiting import eventually
from local.testing.whatsapp import evolution_text

API_KEY = "evolution-global-key"


class StandInEvolution(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        self.received.append(
            {"path": self.path, "apikey": self.headers.get("apikey"), "json": json.loads(body)}
        )
        answer = json.dumps({"key": {"id": f"BOT{len(self.received)}"}, "status": "PENDING"}).encode()
        self.send_response(201)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def evolution_stack(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInEvolution)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    process, stack = start_stack(
        tmp_path_factory.mktemp("evolution"),
        WHATSAPP_GATEWAY="evolution",
        EVOLUTION_API_URL=f"http://127.0.0.1:{server.server_port}",
        EVOLUTION_API_KEY=API_KEY,
    )
    yield stack
    stop_stack(process)
    server.shutdown()


def test_replies_go_to_evolution_send_text_with_the_api_key(evolution_stack):
    phone = "5511944440001"
    response = requests.post(
        f"{evolution_stack.url}/webhooks/evolution",
        json=evolution_text(phone, "EVO-E2E-1", "oi"),
        headers={"x-webhook-token": evolution_stack.webhook_token},
        timeout=10,
    )
    assert response.status_code == 200
    # a reply goes to the JID the message came from, exactly as Evolution gave it
    jid = f"{phone}@s.whatsapp.net"
    sends = eventually(lambda: [r for r in StandInEvolution.received if r["json"].get("number") == jid])
    assert {r["path"] for r in sends} == {"/message/sendText/suporte"}
    assert {r["apikey"] for r in sends} == {API_KEY}
    assert any("CNPJ" in r["json"]["text"] for r in sends)
