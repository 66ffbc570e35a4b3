import base64

import pytest
from msgspec.structs import replace

from helpdesk.config import Settings
from helpdesk.domain.messages import MediaKind, MediaRef, OutboundMedia
from helpdesk.gateways import http
from helpdesk.gateways.base import ConnectInfo, GatewayError, GatewayRejected, SentMessage
from helpdesk.gateways.evolution import EvolutionGateway, Pacer, typing_delay_ms
from tests.support.fakehttp import FakeServer, Reply
from tests.unit.test_gateway_evolution_webhook import only

API_KEY = "evo-global-api-key-123"


# ------------------------------------------------------------------------------- REST client


def make_settings(url: str, **overrides) -> Settings:
    values = {"evolution_api_url": url, "outbound_min_interval_ms": 0, "http_timeout_seconds": 2, **overrides}
    return replace(Settings.from_env(), **values)


@pytest.fixture
def server():
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def gateway(server):
    settings = make_settings(server.url)
    return EvolutionGateway(settings, API_KEY, session=http.new_session(2, backoff_factor=0))


def test_send_text(server, gateway):
    server.reply(Reply(201, {"key": {"id": "BAE5"}, "status": "PENDING"}))
    assert gateway.send_text("suporte", "5511987654321", "Olá!") == SentMessage("BAE5")
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/message/sendText/suporte")
    assert request.headers["apikey"] == API_KEY
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"number": "5511987654321", "text": "Olá!", "delay": 0}


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        (
            OutboundMedia(
                MediaKind.DOCUMENT,
                "application/pdf",
                "boleto.pdf",
                url="https://s3.example/x.pdf",
                caption="Boleto",
            ),
            {
                "mediatype": "document",
                "mimetype": "application/pdf",
                "caption": "Boleto",
                "media": "https://s3.example/x.pdf",
                "fileName": "boleto.pdf",
            },
        ),
        (
            OutboundMedia(MediaKind.IMAGE, "image/png", "qr.png", base64="iVBORw0KGgo="),
            {
                "mediatype": "image",
                "mimetype": "image/png",
                "caption": "",
                "media": "iVBORw0KGgo=",
                "fileName": "qr.png",
            },
        ),
    ],
)
def test_send_media(server, gateway, media, expected):
    gateway.send_media("suporte", "5511987654321", media)
    (request,) = server.requests
    assert request.path == "/message/sendMedia/suporte" and request.headers["apikey"] == API_KEY
    assert request.json() == {"number": "5511987654321", "delay": 0, **expected}


@pytest.mark.parametrize(
    ("to", "number"),
    [
        ("553187654321@s.whatsapp.net", "553187654321@s.whatsapp.net"),  # a reply: the JID as received
        ("246813579024680@lid", "246813579024680@lid"),
        ("lid:246813579024680", "246813579024680@lid"),  # a LID-only requester's identity
        ("5531987654321", "5531987654321"),  # an identity: Evolution resolves the 9th digit itself
    ],
)
def test_send_addresses_jids_as_received_and_lid_identities(server, gateway, to, number):
    gateway.send_text("suporte", to, "oi")
    assert server.requests[0].json()["number"] == number


@pytest.mark.parametrize("answer", [Reply(201, {}), Reply(201, b"ok"), Reply(201, {"key": {"id": 5}})])
def test_send_without_a_readable_id_still_succeeds(server, gateway, answer):
    server.reply(answer)
    assert gateway.send_text("suporte", "5511987654321", "oi") == SentMessage(None)


def test_send_media_returns_the_message_id(server, gateway):
    server.reply(Reply(201, {"key": {"remoteJid": "x@s.whatsapp.net", "fromMe": True, "id": "3EB0MEDIA"}}))
    media = OutboundMedia(MediaKind.IMAGE, "image/png", "qr.png", base64="iVBORw0KGgo=")
    assert gateway.send_media("suporte", "5511987654321", media) == SentMessage("3EB0MEDIA")


def test_send_media_without_content_is_rejected(server, gateway):
    with pytest.raises(GatewayRejected):
        gateway.send_media("suporte", "5511987654321", OutboundMedia(MediaKind.IMAGE, "image/png", "x.png"))
    assert server.requests == []


def test_retries_503_then_succeeds(server, gateway):
    server.reply(Reply(503, {"error": "busy"}), Reply(503, {}), Reply(201, {}))
    gateway.send_text("suporte", "5511987654321", "oi")
    assert [r.path for r in server.requests] == ["/message/sendText/suporte"] * 3


def test_retries_429_honouring_retry_after(server, gateway):
    server.reply(Reply(429, {}, headers={"Retry-After": "0"}), Reply(201, {}))
    gateway.send_text("suporte", "5511987654321", "oi")
    assert len(server.requests) == 2


def test_persistent_5xx_is_a_gateway_error(server, gateway):
    server.default = Reply(502, {"error": "bad gateway"})
    with pytest.raises(GatewayError) as info:
        gateway.send_text("suporte", "5511987654321", "oi")
    assert not isinstance(info.value, GatewayRejected)
    assert "502" in str(info.value)
    assert len(server.requests) == 4  # the first try and three retries


def test_400_is_rejected_without_retry_and_without_the_key(server, gateway):
    echo = {"status": 400, "error": "Bad Request", "response": {"message": [{"exists": False, "k": API_KEY}]}}
    server.reply(Reply(400, echo))
    with pytest.raises(GatewayRejected) as info:
        gateway.send_text("suporte", "5511987654321", "oi")
    assert "400" in str(info.value) and "exists" in str(info.value)
    assert API_KEY not in str(info.value)
    assert len(server.requests) == 1


def test_timeout_is_a_gateway_error(server):
    server.reply(Reply(201, {}, delay=1.0))
    gateway = EvolutionGateway(make_settings(server.url), API_KEY, session=http.new_session(0.2))
    with pytest.raises(GatewayError) as info:
        gateway.send_text("suporte", "5511987654321", "oi")
    assert "timed out" in str(info.value) and not isinstance(info.value, GatewayRejected)


def test_connection_refused_is_a_gateway_error():
    with FakeServer() as closed:
        url = closed.url
    gateway = EvolutionGateway(make_settings(url), API_KEY, session=http.new_session(1, retries=0))
    with pytest.raises(GatewayError):
        gateway.send_text("suporte", "5511987654321", "oi")


def test_download_uses_inline_base64_without_http(server, gateway):
    media = only("messages-upsert-image-base64").media
    assert gateway.download_media("suporte", media).startswith(b"\x89PNG")
    assert server.requests == []


def test_download_asks_evolution_for_the_base64(server, gateway):
    encoded = base64.b64encode(b"%PDF-1.7").decode()
    server.reply(Reply(201, {"mimetype": "application/pdf", "base64": encoded}))
    media = only("messages-upsert-document").media
    assert gateway.download_media("suporte", media) == b"%PDF-1.7"
    (request,) = server.requests
    assert request.path == "/chat/getBase64FromMediaMessage/suporte" and request.headers["apikey"] == API_KEY
    body = request.json()
    assert body["convertToMp4"] is False
    assert body["message"]["key"] == {
        "remoteJid": "5511987654321@s.whatsapp.net",
        "fromMe": False,
        "id": "3EB0DOC0000000000001",
    }


@pytest.mark.parametrize("answer", [{}, {"base64": "***not base64***"}, {"base64": 12}])
def test_download_with_a_bad_answer_is_rejected(server, gateway, answer):
    server.reply(Reply(201, answer))
    with pytest.raises(GatewayRejected):
        gateway.download_media("suporte", only("messages-upsert-document").media)


def test_download_refuses_media_over_the_limit(server):
    settings = make_settings(server.url, media_max_bytes=10)
    gateway = EvolutionGateway(settings, API_KEY, session=http.new_session(2))
    media = MediaRef(MediaKind.IMAGE, "image/png", source={"base64": base64.b64encode(b"x" * 100).decode()})
    with pytest.raises(GatewayRejected):
        gateway.download_media("suporte", media)


def test_admin_calls(server, gateway):
    server.reply(
        Reply(201, {"instance": {"instanceName": "suporte", "status": "created"}, "hash": "abc"}),
        Reply(200, {"pairingCode": "WZYEH1YY", "code": "2@abc,def", "base64": "data:image/png;base64,x"}),
        Reply(200, {"instance": {"instanceName": "suporte", "state": "connecting"}}),
        Reply(200, {"status": "SUCCESS", "error": False, "response": {"message": "Instance logged out"}}),
        Reply(200, {"status": "SUCCESS", "error": False, "response": {"message": "Instance deleted"}}),
    )
    gateway.create_instance("suporte")
    expected = ConnectInfo(code="2@abc,def", pairing_code="WZYEH1YY", state="connecting")
    assert gateway.connect("suporte") == expected
    assert gateway.connection_state("suporte") == "connecting"
    gateway.logout("suporte")
    gateway.delete_instance("suporte")
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/instance/create"),
        ("GET", "/instance/connect/suporte"),
        ("GET", "/instance/connectionState/suporte"),
        ("DELETE", "/instance/logout/suporte"),
        ("DELETE", "/instance/delete/suporte"),
    ]
    create = {"instanceName": "suporte", "integration": "WHATSAPP-BAILEYS", "qrcode": True}
    assert server.requests[0].json() == create
    assert all(r.headers["apikey"] == API_KEY for r in server.requests)


def test_connect_when_already_open(server, gateway):
    server.reply(Reply(200, {"instance": {"instanceName": "suporte", "state": "open"}}))
    assert gateway.connect("suporte") == ConnectInfo(code=None, pairing_code=None, state="open")


def test_create_existing_instance_is_fine_other_403_is_not(server, gateway):
    in_use = {"message": ['This name "suporte" is already in use.']}
    server.reply(Reply(403, {"status": 403, "error": "Forbidden", "response": in_use}))
    gateway.create_instance("suporte")
    server.reply(Reply(403, {"status": 403, "error": "Forbidden", "response": {"message": ["nope"]}}))
    with pytest.raises(GatewayRejected):
        gateway.create_instance("suporte")


# ------------------------------------------------------------------------------- pacing


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_pacer_spaces_sends_of_one_instance():
    clock = FakeClock()
    pacer = Pacer(1500, clock=clock, sleep=clock.sleep)
    pacer.wait("suporte")
    pacer.wait("suporte")
    pacer.wait("outro")  # another instance has its own clock
    clock.now += 0.5
    pacer.wait("suporte")
    clock.now += 10
    pacer.wait("suporte")  # long idle: no wait
    assert clock.sleeps == [1.5, 1.0]


def test_pacer_off_never_sleeps():
    clock = FakeClock()
    pacer = Pacer(0, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        pacer.wait("suporte")
    assert clock.sleeps == [] and not pacer.enabled


def test_paced_gateway_waits_and_shows_typing(server):
    clock = FakeClock()
    settings = make_settings(server.url, outbound_min_interval_ms=2000)
    pacer = Pacer(settings.outbound_min_interval_ms, clock=clock, sleep=clock.sleep)
    gateway = EvolutionGateway(settings, API_KEY, session=http.new_session(2), pacer=pacer)
    gateway.send_text("suporte", "5511987654321", "oi")
    gateway.send_text("suporte", "5511987654321", "x" * 500)
    assert clock.sleeps == [2.0]
    delays = [r.json()["delay"] for r in server.requests]
    assert delays == [800, 3000]


def test_typing_delay():
    assert typing_delay_ms("qualquer", pacing=False) == 0
    assert typing_delay_ms("", pacing=True) == 800
    assert typing_delay_ms("a" * 50, pacing=True) == 2000
    assert typing_delay_ms("a" * 5000, pacing=True) == 3000


def test_create_registers_this_products_webhook_when_its_public_url_is_known(server):
    settings = make_settings(server.url, webhook_public_url="https://api.example.com/webhooks/evolution")
    gateway = EvolutionGateway(settings, API_KEY, session=http.new_session(2), webhook_token="hook-secret")
    server.reply(Reply(201, {"instance": {"instanceName": "suporte", "status": "created"}}))
    gateway.create_instance("suporte")
    webhook = server.requests[0].json()["webhook"]
    assert webhook["url"] == "https://api.example.com/webhooks/evolution"
    assert webhook["headers"] == {"x-webhook-token": "hook-secret"}
    assert webhook["byEvents"] is False
    # messages, delivery receipts of what the bot sends, the number's health and its QR codes
    assert set(webhook["events"]) == {
        "MESSAGES_UPSERT",
        "MESSAGES_UPDATE",
        "CONNECTION_UPDATE",
        "QRCODE_UPDATED",
    }


def test_sender_of_a_message_is_read_from_evolutions_stored_key(server, gateway):
    record = {
        "id": "cm1",
        "key": {"id": "3EB0A1", "fromMe": False, "remoteJid": "5511987654321@s.whatsapp.net"},
    }
    server.reply(Reply(200, {"messages": {"total": 1, "pages": 1, "currentPage": 1, "records": [record]}}))
    sender = gateway.sender_of("suporte", "3EB0A1")
    assert sender is not None and (sender.identity, sender.reply_to) == (
        "5511987654321",
        "5511987654321@s.whatsapp.net",
    )
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/chat/findMessages/suporte")
    assert request.json()["where"] == {"key": {"id": "3EB0A1"}}


@pytest.mark.parametrize(
    "records",
    [[], [{"key": {"id": "3EB0A1", "fromMe": True, "remoteJid": "5511987654321@s.whatsapp.net"}}], ["x"]],
)
def test_sender_of_an_unknown_or_own_message_is_none(server, gateway, records):
    server.reply(Reply(200, {"messages": {"records": records}}))
    assert gateway.sender_of("suporte", "3EB0A1") is None
