import base64
import dataclasses
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from helpdesk.config import Settings
from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef, OutboundMedia
from helpdesk.gateways import http
from helpdesk.gateways.base import (
    ConnectInfo,
    GatewayError,
    GatewayRejected,
    InstanceUpdate,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)
from helpdesk.gateways.evolution import EvolutionGateway, Pacer, parse_webhook, typing_delay_ms
from tests.unit.fakehttp import FakeServer, Reply
from tests.unit.fuzzing import JSON_VALUES, mangled, replace_somewhere

FIXTURES = Path(__file__).parents[1] / "fixtures" / "evolution"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
TOKEN = "s3cret-webhook-token"
API_KEY = "evo-global-api-key-123"
HEADERS = {"x-webhook-token": TOKEN}


def load(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def parse(name: str) -> WebhookBatch:
    return parse_webhook(load(name), HEADERS, {}, TOKEN)


def only(name: str) -> InboundMessage:
    batch = parse(name)
    assert len(batch.messages) == 1 and batch.api_key == "instance-api-key"
    return batch.messages[0]


# ------------------------------------------------------------------------------- parsing


def test_text():
    m = only("messages-upsert-text")
    assert m == InboundMessage(
        message_id="3EB0A1B2C3D4E5F60718",
        instance="suporte",
        phone="5511987654321",
        kind=InboundKind.TEXT,
        timestamp=1764000000,
        gateway="evolution",
        text="12.345.678/0001-95",
        push_name="Maria Souza",
    )


def test_extended_text():
    m = only("messages-upsert-extended-text")
    assert m.kind is InboundKind.TEXT
    assert m.text == "Meu sistema não abre desde ontem: https://erp.example.com/login"


def test_image_with_caption():
    m = only("messages-upsert-image")
    assert m.kind is InboundKind.MEDIA and m.text == "print do erro"
    media = m.media
    assert (media.kind, media.mimetype, media.size, media.caption, media.filename) == (
        MediaKind.IMAGE,
        "image/jpeg",
        184233,
        "print do erro",
        None,
    )
    assert media.source["key"]["id"] == "3EB0FFEEDDCCBBAA9988"
    assert "imageMessage" in media.source["message"]
    assert "base64" not in media.source


def test_image_with_inline_base64():
    m = only("messages-upsert-image-base64")
    assert m.media.mimetype == "image/png"
    assert base64.b64decode(m.media.source["base64"]).startswith(b"\x89PNG")
    assert "base64" not in m.media.source["message"]  # not carried twice through the queue


def test_document():
    m = only("messages-upsert-document")
    assert m.kind is InboundKind.MEDIA and m.text is None
    assert (m.media.kind, m.media.mimetype, m.media.filename, m.media.size) == (
        MediaKind.DOCUMENT,
        "application/pdf",
        "nota-fiscal.pdf",
        52311,
    )


def test_document_with_caption():
    m = only("messages-upsert-document-with-caption")
    assert m.media.kind is MediaKind.DOCUMENT
    assert m.media.filename == "fechamento-novembro.xlsx"
    assert m.media.caption == m.text == "planilha com os valores errados"
    assert "documentWithCaptionMessage" in m.media.source["message"]


def test_video():
    m = only("messages-upsert-video")
    assert (m.media.kind, m.media.mimetype, m.media.size) == (MediaKind.VIDEO, "video/mp4", 2483011)
    assert m.text == "veja o erro ao salvar"


def test_audio_ptt_with_protobuf_longs():
    m = only("messages-upsert-audio-ptt")
    assert (m.media.kind, m.media.size) == (MediaKind.AUDIO, 18211)
    assert m.media.mimetype == "audio/ogg; codecs=opus"
    assert m.timestamp == 1764000310 and m.push_name == "João" and m.text is None


@pytest.mark.parametrize("name", ["messages-upsert-sticker", "messages-upsert-location"])
def test_other_kinds_are_still_enqueued(name):
    m = only(name)
    assert m.kind is InboundKind.OTHER and m.text is None and m.media is None


@pytest.mark.parametrize(
    "name",
    [
        "messages-upsert-reaction",
        "messages-upsert-protocol",
        "messages-upsert-from-me",
        "messages-upsert-group",
        "messages-upsert-status-broadcast",
        "messages-upsert-lid-without-alt",
    ],
)
def test_ignored(name):
    batch = parse(name)
    assert batch.messages == [] and batch.instance_updates == []


@pytest.mark.parametrize("from_me", [True, "true", "yes", 1])
def test_anything_but_an_explicit_false_from_me_is_the_bots_own_message(from_me):
    body = json.loads(load("messages-upsert-text"))
    body["data"]["key"]["fromMe"] = from_me
    assert parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages == []


def test_lid_resolved_through_remote_jid_alt():
    m = only("messages-upsert-lid-with-alt")
    assert m.phone == "5531987654321"  # 12-digit alternate, normalized with the 9th digit


@pytest.mark.parametrize("field", ["remoteJidAlt", "senderPn", "participantAlt"])
def test_lid_alternate_fields(field):
    body = json.loads(load("messages-upsert-lid-without-alt"))
    body["data"]["key"][field] = "5511987654321@s.whatsapp.net"
    batch = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN)
    assert [m.phone for m in batch.messages] == ["5511987654321"]


def test_data_as_list():
    batch = parse("messages-upsert-list")
    assert [m.text for m in batch.messages] == ["primeira", "segunda"]  # the fromMe one is dropped


def test_connection_update():
    batch = parse("connection-update")
    assert batch.instance_updates == [InstanceUpdate(instance="suporte", state="open")]
    assert batch.messages == [] and batch.api_key == "instance-api-key"


@pytest.mark.parametrize(
    ("state", "expected"), [("connecting", "connecting"), ("close", "close"), ("refused", "close")]
)
def test_connection_states(state, expected):
    body = json.loads(load("connection-update"))
    body["data"]["state"] = state
    batch = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN)
    assert batch.instance_updates[0].state == expected


def test_qrcode_updated():
    (update,) = parse("qrcode-updated").instance_updates
    assert update.state == "connecting" and update.pairing_code == "WZYEH1YY"
    assert update.qr_code.startswith("2@y8eK")


def test_qrcode_limit_reached_is_not_an_update():
    data = {"message": "QR code limit reached, please login again", "statusCode": 500}
    body = {"event": "qrcode.updated", "instance": "suporte", "data": data}
    assert parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).instance_updates == []


def test_uppercase_event_names_and_other_events():
    body = json.loads(load("messages-upsert-text"))
    body["event"] = "MESSAGES_UPSERT"
    assert len(parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages) == 1
    body["event"] = "presence.update"
    batch = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN)
    assert batch == WebhookBatch(api_key="instance-api-key")


def test_every_fixture_parses_and_round_trips_through_json():
    for path in sorted(FIXTURES.glob("*.json")):
        batch = parse_webhook(path.read_bytes(), HEADERS, {}, TOKEN)
        for message in batch.messages:
            assert InboundMessage.from_dict(json.loads(json.dumps(message.to_dict()))) == message


# ------------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    ("headers", "query", "configured"),
    [
        ({}, {}, TOKEN),
        ({"x-webhook-token": "wrong"}, {}, TOKEN),
        ({}, {"token": "wrong"}, TOKEN),
        ({"x-webhook-token": ""}, {}, TOKEN),
        ({"x-webhook-token": ""}, {}, ""),  # nothing configured: everything refused
        ({"x-webhook-token": TOKEN}, {}, ""),
        ({"authorization": TOKEN}, {}, TOKEN),
    ],
)
def test_unauthorized(headers, query, configured):
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(load("messages-upsert-text"), headers, query, configured)


def test_authenticates_before_parsing():
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(b"{not json", {"x-webhook-token": "wrong"}, {}, TOKEN)


@pytest.mark.parametrize(
    ("headers", "query"),
    [({"X-Webhook-Token": TOKEN}, {}), ({"X-WEBHOOK-TOKEN": TOKEN}, {}), ({}, {"token": TOKEN})],
)
def test_token_in_any_header_case_or_query(headers, query):
    assert len(parse_webhook(load("messages-upsert-text"), headers, query, TOKEN).messages) == 1


# ------------------------------------------------------------------------------- malformed bodies


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"null",
        b'"messages.upsert"',
        b'{"event": 1, "instance": "suporte"}',
        b'{"instance": "suporte", "data": {}}',
        b'{"event": "messages.upsert", "data": {}}',
        b'{"event": "messages.upsert", "instance": "suporte", "data": "x"}',
        b'{"event": "messages.upsert", "instance": "suporte", "data": [1]}',
        b'{"event": "messages.upsert", "instance": "suporte", "data": {"key": []}}',
        b'{"event": "messages.upsert", "instance": "suporte", '
        b'"data": {"key": {"remoteJid": "5511987654321@s.whatsapp.net"}}}',
        b'{"event": "messages.upsert", "instance": "suporte", "data": {"key": {"id": "x"}}}',
        b'{"event": "connection.update", "instance": "suporte", "data": null}',
        b"[" * 100000,
    ],
)
def test_malformed(body):
    with pytest.raises(WebhookMalformed):
        parse_webhook(body, HEADERS, {}, TOKEN)


def _accepts_or_malformed(body: bytes) -> None:
    try:
        result = parse_webhook(body, HEADERS, {}, TOKEN)
    except WebhookMalformed:
        return
    assert isinstance(result, WebhookBatch)


def test_fuzz_truncated_and_garbled_fixtures():
    for path in sorted(FIXTURES.glob("*.json")):
        for body in mangled(path.read_bytes(), seed=1234):
            _accepts_or_malformed(body)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON_VALUES, seed=st.integers(0, 2**32), name=st.sampled_from(NAMES))
def test_fuzz_wrong_shapes(value, seed, name):
    document = json.loads(load(name))
    replace_somewhere(document, value, random.Random(seed))
    _accepts_or_malformed(json.dumps(document).encode())


@hsettings(max_examples=150, deadline=None)
@given(data=JSON_VALUES, event=st.sampled_from(["messages.upsert", "connection.update", "qrcode.updated"]))
def test_fuzz_any_data(data, event):
    _accepts_or_malformed(json.dumps({"event": event, "instance": "suporte", "data": data}).encode())


# ------------------------------------------------------------------------------- REST client


def make_settings(url: str, **overrides) -> Settings:
    values = {"evolution_api_url": url, "outbound_min_interval_ms": 0, "http_timeout_seconds": 2, **overrides}
    return dataclasses.replace(Settings.from_env(), **values)


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
    gateway.send_text("suporte", "5511987654321", "Olá!")
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
    assert set(webhook["events"]) == {"MESSAGES_UPSERT", "CONNECTION_UPDATE", "QRCODE_UPDATED"}
