import base64
import json
import threading

import pytest
from msgspec.structs import replace
from werkzeug.serving import make_server
from werkzeug.test import Client

from helpdesk import caches
from helpdesk.config import Settings
from helpdesk.domain.messages import MediaKind, MediaRef, OutboundMedia
from helpdesk.gateways import build_gateway, evolution_webhook
from helpdesk.gateways.base import ConnectInfo, GatewayRejected, InstanceUpdate, SentMessage
from helpdesk.gateways.cloud import CloudGateway
from helpdesk.gateways.evolution import EvolutionGateway
from helpdesk.gateways.simulator import SimulatorGateway
from local.simulator import SimulatorApp
from tests.support.fakehttp import FakeServer

TOKEN = "local-webhook-token"


def parse(envelope):
    return evolution_webhook.parse_webhook(
        json.dumps(envelope).encode(), {"x-webhook-token": TOKEN}, {}, TOKEN
    )


@pytest.fixture
def posted():
    return []


@pytest.fixture
def app(posted):
    return SimulatorApp("http://127.0.0.1:3000/webhooks/evolution", TOKEN, post_webhook=posted.append)


@pytest.fixture
def client(app):
    return Client(app)


# ------------------------------------------------------------------------------- the app


def test_page(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Simular leitura do QR" in page and "messages.upsert" in page and "x-webhook-token" in page
    assert "innerHTML" not in page  # everything is written through textContent


def test_config(client):
    assert client.get("/api/config").json == {
        "instance": "suporte",
        "webhook_url": "http://127.0.0.1:3000/webhooks/evolution",
        "webhook_path": "/webhooks/evolution",
        "webhook_token": TOKEN,
        "api_key": "simulator",
    }


def test_outbox_and_polling(client):
    reply = {"instance": "suporte", "phone": "5511987654321", "text": "Olá!"}
    assert client.post("/api/outbox", json=reply).status_code == 201
    media = {"kind": "document", "mimetype": "application/pdf", "filename": "a.pdf", "url": "http://x/a.pdf"}
    client.post("/api/outbox", json={"instance": "suporte", "phone": "5511987654321", "media": media})
    client.post("/api/outbox", json={"instance": "suporte", "phone": "5521999998888", "text": "outro"})

    first = client.get("/api/messages?phone=5511987654321").json
    got = [(m["seq"], m["text"], m["media"]) for m in first["messages"]]
    assert got == [(1, "Olá!", None), (2, None, media)]
    assert first["last_seq"] == 3
    assert client.get("/api/messages?phone=5511987654321&after=1").json["messages"][0]["seq"] == 2
    assert client.get("/api/messages?phone=5511987654321&after=2").json["messages"] == []
    assert len(client.get("/api/messages").json["messages"]) == 3


def test_a_long_poll_is_answered_when_a_reply_to_its_phone_arrives(app, client):
    answers = []
    waiting = threading.Thread(
        target=lambda: answers.append(
            Client(app).get("/api/messages?phone=5511987654321&after=0&wait=20").json
        )
    )
    waiting.start()
    client.post("/api/outbox", json={"instance": "suporte", "phone": "5521999998888", "text": "outro"})
    waiting.join(0.3)
    assert waiting.is_alive()  # another phone's reply does not answer it
    client.post("/api/outbox", json={"instance": "suporte", "phone": "5511987654321", "text": "Olá!"})
    waiting.join(5)
    assert [m["text"] for m in answers[0]["messages"]] == ["Olá!"]


def test_a_long_poll_with_nothing_new_ends_after_its_wait(client):
    assert client.get("/api/messages?phone=5511987654321&wait=0.2").json["messages"] == []
    assert client.get("/api/messages?wait=soon").status_code == 400


@pytest.mark.parametrize("body", [None, {}, {"phone": "5511"}, {"text": "x"}, {"phone": 5511, "text": "x"}])
def test_outbox_bad_requests(client, body):
    assert client.post("/api/outbox", json=body).status_code == 400


def test_bad_after_and_unknown_routes(client):
    assert client.get("/api/messages?after=x").status_code == 400
    assert client.get("/api/nothing").status_code == 404
    assert client.delete("/api/outbox").status_code == 405


def test_outbox_is_thread_safe(app, client):
    def send(n):
        local = Client(app)
        for i in range(50):
            local.post("/api/outbox", json={"phone": "5511987654321", "text": f"{n}-{i}"})

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = [m["seq"] for m in client.get("/api/messages").json["messages"]]
    assert seqs == list(range(1, 201))


def test_instance_qr_flow_posts_real_evolution_webhooks(client, posted):
    assert client.get("/api/instances/suporte").json == {"instance": "suporte", "state": "open"}
    assert client.get("/api/instances/novo").json == {"instance": "novo", "state": "close"}
    assert client.post("/api/instances/novo").json["state"] == "close"

    connect = client.post("/api/instances/novo/connect").json
    assert connect["state"] == "connecting" and connect["code"].startswith("2@")
    assert len(connect["pairing_code"]) == 8
    assert client.get("/api/instances/novo").json["state"] == "connecting"
    assert client.post("/api/instances/novo/scan").json["state"] == "open"
    assert client.post("/api/instances/novo/logout").json["state"] == "close"
    assert client.delete("/api/instances/novo").json["deleted"] is True

    updates = [parse(envelope).instance_updates[0] for envelope in posted]
    assert updates == [
        InstanceUpdate("novo", "connecting", qr_code=connect["code"], pairing_code=connect["pairing_code"]),
        InstanceUpdate("novo", state="open", reason=200),
        InstanceUpdate("novo", state="close", reason=401),
    ]


def test_webhooks_are_posted_with_the_token():
    with FakeServer() as receiver:
        app = SimulatorApp(receiver.url + "/webhooks/evolution", TOKEN)
        Client(app).post("/api/instances/suporte/scan")
        (request,) = receiver.wait_for(1)
    assert (request.method, request.path) == ("POST", "/webhooks/evolution")
    batch = evolution_webhook.parse_webhook(request.body, request.headers, {}, TOKEN)
    assert batch.instance_updates == [InstanceUpdate("suporte", state="open", reason=200)]


def test_page_shaped_message_parses():
    """The envelope the page builds (see index.html) is a real messages.upsert."""
    envelope = {
        "event": "messages.upsert",
        "instance": "suporte",
        "data": {
            "key": {"remoteJid": "551187654321@s.whatsapp.net", "fromMe": False, "id": "3EB0AABBCCDDEEFF01"},
            "pushName": "Maria",
            "status": "DELIVERY_ACK",
            "message": {
                "documentWithCaptionMessage": {
                    "message": {
                        "documentMessage": {
                            "url": "https://mmg.whatsapp.net/simulator/x.enc",
                            "mimetype": "application/pdf",
                            "fileLength": "4",
                            "fileName": "a.pdf",
                            "title": "a.pdf",
                            "caption": "segue",
                        }
                    }
                },
                "base64": base64.b64encode(b"%PDF").decode(),
            },
            "messageType": "documentWithCaptionMessage",
            "messageTimestamp": 1764000000,
            "instanceId": "simulator",
            "source": "web",
        },
        "date_time": "2026-11-24T12:00:00.000Z",
        "sender": None,
        "server_url": "http://simulator.local",
        "apikey": "simulator",
    }
    (message,) = parse(envelope).messages
    assert message.phone == "5511987654321" and message.text == "segue"
    settings = Settings.from_env()
    assert SimulatorGateway(settings).download_media("suporte", message.media) == b"%PDF"


# ------------------------------------------------------------------------------- the gateway over HTTP


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def gateway(served):
    settings = replace(Settings.from_env(), simulator_url=served, http_timeout_seconds=2)
    return SimulatorGateway(settings)


def test_gateway_sends_to_the_outbox(app, gateway):
    first = gateway.send_text("suporte", "5511987654321", "Olá!")
    media = OutboundMedia(MediaKind.IMAGE, "image/png", "qr.png", base64="iVBO", caption="QR")
    second = gateway.send_media("suporte", "5511987654321", media)
    text, media = app.messages("5511987654321")
    # the outbox sequence is the message id, as WhatsApp's would be
    assert (first, second) == (SentMessage(f"sim-{text['seq']}"), SentMessage(f"sim-{media['seq']}"))
    assert (text["instance"], text["text"]) == ("suporte", "Olá!")
    assert media["media"] == {
        "kind": "image",
        "mimetype": "image/png",
        "filename": "qr.png",
        "url": None,
        "base64": "iVBO",
        "caption": "QR",
    }


def test_gateway_admin_flow(gateway, posted):
    gateway.create_instance("novo")
    assert gateway.connection_state("novo") == "close"
    info = gateway.connect("novo")
    assert isinstance(info, ConnectInfo) and info.state == "connecting" and info.code and info.pairing_code
    assert gateway.connection_state("novo") == "connecting"
    gateway.logout("novo")
    assert gateway.connection_state("novo") == "close"
    gateway.delete_instance("novo")
    assert [e["event"] for e in posted] == ["qrcode.updated", "connection.update"]


def test_gateway_download_and_errors(gateway):
    inline = MediaRef(MediaKind.IMAGE, "image/png", source={"base64": "aGk="})
    assert gateway.download_media("suporte", inline) == b"hi"
    with pytest.raises(GatewayRejected):
        gateway.download_media("suporte", MediaRef(MediaKind.IMAGE, "image/png", source={}))
    with pytest.raises(GatewayRejected) as info:
        gateway.send_text("suporte", "", "x")  # the app refuses a reply without phone
    assert "400" in str(info.value)


# ------------------------------------------------------------------------------- build_gateway


@pytest.mark.parametrize(
    ("name", "kind"),
    [("evolution", EvolutionGateway), ("cloud", CloudGateway), ("simulator", SimulatorGateway)],
)
def test_build_gateway(monkeypatch, name, kind):
    monkeypatch.setenv("EVOLUTION_API_KEY", "k1")
    monkeypatch.setenv("CLOUD_ACCESS_TOKEN", "k2")
    caches.reset()
    settings = replace(Settings.from_env(), gateway=name)
    gateway = build_gateway(settings)
    assert isinstance(gateway, kind) and gateway.name == name
    assert build_gateway(settings) is gateway  # one per process


def test_build_gateway_follows_the_environment(monkeypatch):
    monkeypatch.setenv("WHATSAPP_GATEWAY", "simulator")
    caches.reset()
    try:
        assert isinstance(build_gateway(), SimulatorGateway)
    finally:
        caches.reset()


def test_build_gateway_rotated_key_builds_a_new_client(monkeypatch):
    settings = replace(Settings.from_env(), gateway="evolution")
    monkeypatch.setenv("EVOLUTION_API_KEY", "old")
    first = build_gateway(settings)
    monkeypatch.setenv("EVOLUTION_API_KEY", "new")
    assert build_gateway(settings) is not first


def test_build_gateway_unknown():
    with pytest.raises(ValueError, match="WHATSAPP_GATEWAY"):
        build_gateway(replace(Settings.from_env(), gateway="telegram"))


def test_a_reply_to_a_jid_lands_in_the_phones_conversation(app, gateway):
    gateway.send_text("suporte", "5511987654321@s.whatsapp.net", "resposta")
    gateway.send_text("suporte", "lid:246813579024680", "para um LID")
    assert [m["text"] for m in app.messages("5511987654321")] == ["resposta"]
    assert [m["text"] for m in app.messages("lid:246813579024680")] == ["para um LID"]
