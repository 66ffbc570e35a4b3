"""A requester WhatsApp shows no phone for (a username; only a business-scoped user ID, BSUID) from
first contact to an agent's answer and the closing loop, over moto with the real Cloud API adapter:
signed Cloud webhooks in (the deployed webhook handler), the processor's turns, the notifier on the
table stream, and a stand-in Graph API on loopback recording what is sent."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpdesk.api.shapes import requester_export_json, ticket_detail_json
from helpdesk.gateways import build_gateway
from helpdesk.logic import portal, privacy
from helpdesk.logic.admin import tickets as admin_tickets
from helpdesk.logic.services import Services
from helpdesk.storage.models import Item, Ticket
from local.lambdas import load_function
from local.seed import seed_demo_data
from local.testing.whatsapp import CNPJ, Processor, credentials_in
from tests.integration.erp_fixtures import StreamReader, seed_ticket, selected

NUMBER_ID = "106540352242922"
APP_SECRET = "cloud-journey-secret"
BSUID = "BR.13491208655302741918"
USERNAME = "@carla.dias"
_ids = itertools.count(1)


class GraphApi(BaseHTTPRequestHandler):
    """Meta's Graph API as far as sending goes: records each message, answers a fresh wamid."""

    sent: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        type(self).sent.append(body)
        answer = json.dumps(
            {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.OUT{len(self.sent)}"}]}
        )
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def graph():
    GraphApi.sent = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), GraphApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture
def cloud(aws, graph, monkeypatch):
    from helpdesk import caches

    monkeypatch.setenv("WHATSAPP_GATEWAY", "cloud")
    monkeypatch.setenv("CLOUD_API_URL", f"http://127.0.0.1:{graph.server_port}/v21.0")
    monkeypatch.setenv("CLOUD_PHONE_NUMBER_ID", NUMBER_ID)
    monkeypatch.setenv("CLOUD_ACCESS_TOKEN", "journey-token")
    monkeypatch.setenv("CLOUD_APP_SECRET", APP_SECRET)
    caches.reset()
    seed_demo_data()
    return Journey(aws)


class Journey:
    def __init__(self, aws) -> None:
        self.webhook = load_function("WebhookFunction")
        self.processor = Processor(aws, gateway=build_gateway())  # type: ignore[arg-type]
        self.notifier = load_function("NotifierFunction")
        self.notifier.module.services = lambda: Services(gateway=build_gateway())
        self.stream = StreamReader(aws)

    def deliver(self, message: dict) -> None:
        """A signed delivery from a user with a username and no phone: BSUID and username only."""
        message = {
            "from_user_id": BSUID,
            "id": f"wamid.IN{next(_ids)}",
            "timestamp": str(int(time.time())),
            **message,
        }
        contact = {"profile": {"name": "Carla Dias", "username": USERNAME}, "user_id": BSUID}
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "551140028922", "phone_number_id": NUMBER_ID},
            "contacts": [contact],
            "messages": [message],
        }
        body = json.dumps(
            {
                "object": "whatsapp_business_account",
                "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
            }
        ).encode()
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        event = {
            "version": "2.0",
            "routeKey": "POST /webhooks/cloud",
            "rawPath": "/webhooks/cloud",
            "headers": {"x-hub-signature-256": signature, "content-type": "application/json"},
            "body": body.decode(),
            "isBase64Encoded": False,
            "requestContext": {"http": {"method": "POST", "path": "/webhooks/cloud"}, "requestId": "r"},
        }
        assert self.webhook.invoke(event)["statusCode"] == 200

    def says(self, body: str) -> list[dict]:
        return self.turn({"type": "text", "text": {"body": body}})

    def taps(self, option: str) -> list[dict]:
        return self.turn(
            {
                "type": "interactive",
                "interactive": {"type": "button_reply", "button_reply": {"id": option, "title": option}},
            }
        )

    def turn(self, message: dict) -> list[dict]:
        before = len(GraphApi.sent)
        self.deliver(message)
        self.processor.drain()
        return GraphApi.sent[before:]

    def notify(self) -> list[dict]:
        before = len(GraphApi.sent)
        assert self.notifier.invoke({"Records": selected(self.stream.new_records())}) == {
            "batchItemFailures": []
        }
        return GraphApi.sent[before:]


def texts(sent: list[dict]) -> str:
    return " ".join(
        (m.get("text") or {}).get("body") or (m.get("interactive") or {}).get("body", {}).get("text", "")
        for m in sent
    )


def test_a_requester_without_phone_from_first_contact_to_a_notified_agent_answer_and_the_closing_loop(cloud):
    journey = cloud
    journey.stream.new_records()  # the seed's own records
    assert "CNPJ" in texts(journey.says("Oi, preciso de ajuda"))
    journey.says(CNPJ)
    journey.says("Carla Dias")
    sent = journey.says("carla@cliente.com.br")
    user, password = credentials_in([texts(sent)])
    assert user == BSUID  # the portal user the bot sent is the BSUID
    journey.says("0")
    journey.says("Sistema não abre")
    journey.turn(
        {
            "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": {"id": "2", "title": "Erro no sistema"}},
        }
    )
    journey.says("Dá erro ao abrir desde ontem.")
    assert "criado" in texts(journey.says("Fim"))
    # Every message of the conversation went to the BSUID as `recipient`, never with a `to`.
    assert GraphApi.sent and all(m.get("recipient") == BSUID and "to" not in m for m in GraphApi.sent)

    [ticket] = [t for t in Item.scan() if isinstance(t, Ticket)]
    assert ticket.requester_phone == BSUID  # the BSUID is the identity, no made-up phone
    number = int(ticket.number)

    # The console: no phone, the username and the BSUID.
    shown = ticket_detail_json(admin_tickets.get_ticket(number))
    assert (shown["requester_phone"], shown["requester_bsuid"], shown["requester_whatsapp_username"]) == (
        None,
        BSUID,
        USERNAME,
    )
    # The portal takes the user the bot sent (the country in any case).
    assert portal.login(Services(), BSUID.lower(), password).name == "Carla Dias"

    # An agent answers in the console: the notifier sends it to the BSUID.
    admin_tickets.post_agent_action(
        Services(), number, author_name="Carlos Lima", text="Reinstalamos; pode testar?"
    )
    [answer] = journey.notify()
    assert answer["recipient"] == BSUID and "to" not in answer
    assert "Reinstalamos; pode testar?" in texts([answer])

    # The ticket closed: the fix question goes to the BSUID; the requester taps "Sim" and rates it.
    admin_tickets.post_agent_action(
        Services(), number, author_name="Carlos Lima", text="Resolvido.", status="Encerrado"
    )
    asked = journey.notify()
    assert all(m["recipient"] == BSUID for m in asked) and "resolvido" in texts(asked).lower()
    journey.taps("1")
    journey.says("5")
    journey.says("pular")
    assert int(Ticket.get(f"TICKET#{number}", "META").rating) == 5

    # LGPD: the export names the BSUID and the username; the erasure leaves neither anywhere.
    exported = requester_export_json(privacy.export(Services(), privacy.valid_phone(BSUID)))
    assert (
        exported["profile"]["whatsapp_bsuid"] == BSUID
        and exported["profile"]["whatsapp_username"] == USERNAME
    )
    assert privacy.erase(Services(), privacy.valid_phone(BSUID.lower()), "admin@example.com")["erased"]
    stored = repr([item.attribute_values for item in Item.scan()])
    assert "13491208655302741918" not in stored and "carla.dias" not in stored


@pytest.mark.parametrize(
    ("identity", "system", "reached_at"),
    [
        (BSUID, "system-user-changed-user-id", "BR.99017341126645782210"),
        ("5511987654321", "system-user-changed-number", "5511912345678"),
    ],
)
def test_after_a_changed_bsuid_or_number_the_agents_answer_goes_to_the_new_address(
    aws, notifier, monkeypatch, identity, system, reached_at
):
    """The identity (the key of the requester's data) stays; notifications follow the change."""
    seeded = seed_ticket(phone=identity)
    stream = StreamReader(aws)
    stream.new_records()
    monkeypatch.setenv("CLOUD_APP_SECRET", APP_SECRET)
    webhook = load_function("WebhookFunction")
    body = (Path(__file__).resolve().parents[1] / "fixtures" / "cloud" / f"{system}.json").read_bytes()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    event = {
        "version": "2.0",
        "routeKey": "POST /webhooks/cloud",
        "rawPath": "/webhooks/cloud",
        "headers": {"x-hub-signature-256": signature},
        "body": body.decode(),
        "isBase64Encoded": False,
        "requestContext": {"http": {"method": "POST", "path": "/webhooks/cloud"}, "requestId": "r"},
    }
    assert webhook.invoke(event)["statusCode"] == 200

    admin_tickets.post_agent_action(
        Services(), seeded.ticket_number, author_name="Carlos Lima", text="Pode testar?"
    )
    notifier.invoke(selected(stream.new_records()))
    [(_, to, text)] = notifier.gateway.sent
    assert to == reached_at and "Pode testar?" in text
    assert Ticket.get(f"TICKET#{seeded.ticket_number}", "META").requester_phone == identity
