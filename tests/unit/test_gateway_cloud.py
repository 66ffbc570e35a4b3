import base64
import dataclasses
import hashlib
import hmac
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
    GatewayError,
    GatewayRejected,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)
from helpdesk.gateways.cloud import CloudGateway, parse_webhook, verify_subscription
from tests.unit.fakehttp import FakeServer, Reply
from tests.unit.fuzzing import JSON_VALUES, mangled, replace_somewhere

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cloud"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
APP_SECRET = "cloud-app-secret"
ACCESS_TOKEN = "EAAG-cloud-access-token"
NUMBER_ID = "106540352242922"


def sign(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def load(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def parse_signed(body: bytes) -> WebhookBatch:
    return parse_webhook(body, sign(body), APP_SECRET)


def only(name: str) -> InboundMessage:
    (message,) = parse_signed(load(name)).messages
    assert message.instance == NUMBER_ID and message.gateway == "cloud"
    return message


# ------------------------------------------------------------------------------- subscription


def test_verify_subscription():
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    assert verify_subscription(query, "verify-me") == "1158201444"


@pytest.mark.parametrize(
    ("query", "configured"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}, "verify-me"),
        ({"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"}, "verify-me"),
        ({"hub.mode": "subscribe", "hub.challenge": "1"}, "verify-me"),
        ({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}, ""),
    ],
)
def test_verify_subscription_refused(query, configured):
    with pytest.raises(WebhookUnauthorized):
        verify_subscription(query, configured)


# ------------------------------------------------------------------------------- parsing


def test_text():
    assert only("text") == InboundMessage(
        message_id="wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYIDNFQjATEXT01",
        instance=NUMBER_ID,
        phone="5511987654321",
        kind=InboundKind.TEXT,
        timestamp=1764000500,
        gateway="cloud",
        text="12.345.678/0001-95",
        push_name="Maria Souza",
    )


def test_twelve_digit_wa_id_is_normalized():
    assert only("text-12-digit").phone == "5531987654321"


@pytest.mark.parametrize(
    ("name", "kind", "mimetype", "caption", "filename", "media_id"),
    [
        ("image", MediaKind.IMAGE, "image/jpeg", "print do erro", None, "1003383421387256"),
        ("video", MediaKind.VIDEO, "video/mp4", None, None, "1184503219418372"),
        ("audio", MediaKind.AUDIO, "audio/ogg; codecs=opus", None, None, "2147202632274618"),
        (
            "document",
            MediaKind.DOCUMENT,
            "application/pdf",
            "nota fiscal",
            "nota-fiscal.pdf",
            "919153233550473",
        ),
    ],
)
def test_media(name, kind, mimetype, caption, filename, media_id):
    m = only(name)
    assert m.kind is InboundKind.MEDIA and m.text == caption
    source = {"media_id": media_id}
    assert m.media == MediaRef(kind, mimetype, filename=filename, caption=caption, source=source)


def test_sticker_is_other():
    m = only("sticker")
    assert m.kind is InboundKind.OTHER and m.media is None and m.text is None


def test_statuses_are_ignored():
    assert parse_signed(load("statuses")) == WebhookBatch()


def test_interactive_reply_is_text():
    body = json.loads(load("text"))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    reply = {"type": "button_reply", "button_reply": {"id": "1", "title": "Sim"}}
    message.update(type="interactive", interactive=reply)
    raw = json.dumps(body).encode()
    assert parse_signed(raw).messages[0].text == "Sim"


def test_every_fixture_round_trips_through_json():
    for path in sorted(FIXTURES.glob("*.json")):
        for message in parse_signed(path.read_bytes()).messages:
            assert InboundMessage.from_dict(json.loads(json.dumps(message.to_dict()))) == message


# ------------------------------------------------------------------------------- signature


def test_missing_signature():
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(load("text"), {}, APP_SECRET)


def test_forged_signature():
    body = load("text")
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(body, sign(body, "another-secret"), APP_SECRET)
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(body, {"X-Hub-Signature-256": "sha256=" + "0" * 64}, APP_SECRET)
    with pytest.raises(WebhookUnauthorized):
        bare = hmac.new(APP_SECRET.encode(), body, "sha256").hexdigest()  # no "sha256=" prefix
        parse_webhook(body, {"X-Hub-Signature-256": bare}, APP_SECRET)


def test_signature_covers_the_raw_body():
    body = load("text")
    reformatted = json.dumps(json.loads(body)).encode()  # same JSON, other bytes
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(reformatted, sign(body), APP_SECRET)


def test_no_secret_configured_refuses_everything():
    body = load("text")
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(body, sign(body, ""), "")


def test_header_name_is_case_insensitive():
    body = load("text")
    headers = {"x-hub-signature-256": sign(body)["X-Hub-Signature-256"]}
    assert len(parse_webhook(body, headers, APP_SECRET).messages) == 1


def test_signature_checked_before_parsing():
    with pytest.raises(WebhookUnauthorized):
        parse_webhook(b"{garbage", {}, APP_SECRET)


# ------------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"nope",
        b"[]",
        b'{"object": "page", "entry": []}',
        b'{"object": "whatsapp_business_account", "entry": {}}',
        b'{"object": "whatsapp_business_account", "entry": [1]}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", '
        b'"value": {}}]}]}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", '
        b'"value": {"metadata": {"phone_number_id": "1"}, "messages": [{"type": "text"}]}}]}]}',
    ],
)
def test_malformed(body):
    with pytest.raises(WebhookMalformed):
        parse_signed(body)


def _accepts_or_malformed(body: bytes) -> None:
    try:
        assert isinstance(parse_signed(body), WebhookBatch)
    except WebhookMalformed:
        pass


def test_fuzz_truncated_and_garbled():
    for path in sorted(FIXTURES.glob("*.json")):
        for body in mangled(path.read_bytes(), seed=99):
            _accepts_or_malformed(body)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON_VALUES, seed=st.integers(0, 2**32), name=st.sampled_from(NAMES))
def test_fuzz_wrong_shapes(value, seed, name):
    document = json.loads(load(name))
    replace_somewhere(document, value, random.Random(seed))
    _accepts_or_malformed(json.dumps(document).encode())


# ------------------------------------------------------------------------------- REST client


@pytest.fixture
def server():
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def gateway(server):
    settings = dataclasses.replace(
        Settings.from_env(),
        cloud_api_url=server.url + "/v21.0",
        cloud_phone_number_id=NUMBER_ID,
        http_timeout_seconds=2,
    )
    return CloudGateway(settings, ACCESS_TOKEN, session=http.new_session(2, backoff_factor=0))


def test_send_text(server, gateway):
    server.reply(Reply(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.X"}]}))
    gateway.send_text(NUMBER_ID, "5511987654321", "Olá!")
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", f"/v21.0/{NUMBER_ID}/messages")
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5511987654321",
        "type": "text",
        "text": {"body": "Olá!", "preview_url": False},
    }


def test_named_instance_falls_back_to_the_configured_number(server, gateway):
    gateway.send_text("suporte", "5511987654321", "oi")
    assert server.requests[0].path == f"/v21.0/{NUMBER_ID}/messages"


@pytest.mark.parametrize(
    ("media", "content"),
    [
        (
            OutboundMedia(MediaKind.IMAGE, "image/png", "a.png", url="https://s3/a.png", caption="veja"),
            {"link": "https://s3/a.png", "caption": "veja"},
        ),
        (
            OutboundMedia(MediaKind.DOCUMENT, "application/pdf", "b.pdf", url="https://s3/b.pdf"),
            {"link": "https://s3/b.pdf", "filename": "b.pdf"},
        ),
        (
            OutboundMedia(MediaKind.AUDIO, "audio/ogg", "c.ogg", url="https://s3/c.ogg", caption="ignored"),
            {"link": "https://s3/c.ogg"},
        ),
    ],
)
def test_send_media_by_link(server, gateway, media, content):
    gateway.send_media(NUMBER_ID, "5511987654321", media)
    body = server.requests[0].json()
    assert body["type"] == media.kind.value and body[media.kind.value] == content


def test_send_media_from_bytes_uploads_first(server, gateway):
    server.reply(Reply(200, {"id": "55501"}), Reply(200, {"messages": [{"id": "wamid.Y"}]}))
    encoded = base64.b64encode(b"PNGDATA").decode()
    media = OutboundMedia(MediaKind.IMAGE, "image/png", "qr.png", base64=encoded)
    gateway.send_media(NUMBER_ID, "5511987654321", media)
    upload, send = server.requests
    assert upload.path == f"/v21.0/{NUMBER_ID}/media" and b"PNGDATA" in upload.body
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert send.json()["image"] == {"id": "55501"}


def test_download(server, gateway):
    server.reply(
        Reply(
            200,
            {
                "url": server.url + "/lookaside/whatsapp_business/?mid=1&ext=1&hash=x",
                "mime_type": "image/jpeg",
                "file_size": 7,
                "id": "1003383421387256",
                "messaging_product": "whatsapp",
            },
        ),
        Reply(200, b"JPEGXYZ", headers={"Content-Type": "image/jpeg"}),
    )
    assert gateway.download_media(NUMBER_ID, only("image").media) == b"JPEGXYZ"
    lookup, fetch = server.requests
    assert lookup.path == "/v21.0/1003383421387256"
    assert fetch.path.startswith("/lookaside/")
    assert {lookup.headers["authorization"], fetch.headers["authorization"]} == {f"Bearer {ACCESS_TOKEN}"}


def test_download_over_the_limit(server):
    settings = dataclasses.replace(Settings.from_env(), cloud_api_url=server.url, media_max_bytes=3)
    gateway = CloudGateway(settings, ACCESS_TOKEN)
    server.reply(Reply(200, {"url": server.url + "/file", "file_size": 7}))
    with pytest.raises(GatewayRejected):
        gateway.download_media(NUMBER_ID, only("image").media)


def test_errors(server, gateway):
    server.reply(Reply(400, {"error": {"message": f"Invalid token {ACCESS_TOKEN}", "code": 131047}}))
    with pytest.raises(GatewayRejected) as info:
        gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    assert "400" in str(info.value) and "131047" in str(info.value) and ACCESS_TOKEN not in str(info.value)
    server.reply(Reply(503), Reply(200))
    gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    server.default = Reply(429, {"error": {"code": 130429}}, headers={"Retry-After": "0"})
    with pytest.raises(GatewayError) as info:
        gateway.send_text(NUMBER_ID, "5511987654321", "oi")
    assert not isinstance(info.value, GatewayRejected)


def test_admin_methods(gateway):
    assert gateway.connection_state(NUMBER_ID) == "open"
    for call in (gateway.create_instance, gateway.connect, gateway.logout, gateway.delete_instance):
        with pytest.raises(GatewayRejected, match="Cloud API"):
            call(NUMBER_ID)
