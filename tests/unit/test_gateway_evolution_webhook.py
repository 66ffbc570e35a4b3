import base64
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from msgspec.structs import replace

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind
from helpdesk.gateways.base import (
    DeliveryReceipt,
    DeliveryStatus,
    InstanceUpdate,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)
from helpdesk.gateways.evolution_webhook import parse_webhook
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
        reply_to="5511987654321@s.whatsapp.net",
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
    assert m.media.mimetype == "audio/ogg; codecs=opus" and m.media.seconds == 7
    assert m.timestamp == 1764000310 and m.push_name == "João" and m.text is None


@pytest.mark.parametrize("name", ["messages-upsert-sticker", "messages-upsert-location"])
def test_other_kinds_are_still_enqueued(name):
    m = only(name)
    assert m.kind is InboundKind.OTHER and m.text is None and m.media is None


@pytest.mark.parametrize(
    "name",
    [
        "messages-upsert-from-me",
        "messages-upsert-group",
        "messages-upsert-status-broadcast",
    ],
)
def test_ignored(name):
    batch = parse(name)
    assert batch.messages == [] and batch.instance_updates == []


# ------------------------------------------------------------- changes of earlier messages

EDITED = "O sistema não emite a nota fiscal"


@pytest.mark.parametrize("name", ["messages-upsert-edited", "messages-edited", "messages-update-edit"])
def test_an_edit_in_every_shape_names_the_edited_message_and_its_new_text(name):
    m = only(name)
    assert (m.kind, m.target_id, m.text, m.phone) == (
        InboundKind.EDIT,
        "3EB0A1B2C3D4E5F60718",
        EDITED,
        "5511987654321",
    )
    assert m.reply_to == "5511987654321@s.whatsapp.net"


def test_the_same_edit_by_two_events_is_one_message_id():
    ids = {
        only(name).message_id
        for name in ("messages-upsert-edited", "messages-edited", "messages-update-edit")
    }
    assert len(ids) == 1
    other = json.loads(load("messages-edited"))
    other["data"]["editedMessage"] = {"conversation": "outro texto"}
    assert parse_webhook(json.dumps(other).encode(), HEADERS, {}, TOKEN).messages[0].message_id not in ids


@pytest.mark.parametrize("name", ["messages-upsert-protocol", "messages-delete"])
def test_a_delete_for_everyone_by_either_event_is_one_revoke(name):
    m = only(name)
    assert (m.kind, m.target_id, m.phone) == (InboundKind.REVOKE, "3EB0A1B2C3D4E5F60718", "5511987654321")
    assert m.message_id == "3EB0A1B2C3D4E5F60718:revoke"


def test_an_edit_written_from_the_senders_side_names_no_sender_for_the_webhook_to_ask():
    (m,) = parse("messages-edited-sender-side").messages
    assert (m.kind, m.target_id, m.text, m.phone, m.reply_to) == (
        InboundKind.EDIT,
        "3EB0A1B2C3D4E5F60718",
        EDITED,
        "",
        None,
    )
    assert m.message_id == only("messages-edited").message_id  # the same edit, whichever way it came


def test_a_revoke_whose_type_is_the_default_is_left_out_of_the_json():
    body = json.loads(load("messages-upsert-protocol"))
    del body["data"]["message"]["protocolMessage"]["type"]
    assert parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages[0].kind is InboundKind.REVOKE


def test_other_protocol_messages_are_not_changes():
    body = json.loads(load("messages-upsert-protocol"))
    body["data"]["message"]["protocolMessage"]["type"] = "EPHEMERAL_SETTING"
    assert parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages == []


def test_a_reaction_names_the_reacted_message_and_its_emoji():
    m = only("messages-upsert-reaction")
    assert (m.kind, m.target_id, m.text) == (InboundKind.REACTION, "BAE5F1E2D3C4B5A6", "👍")
    body = json.loads(load("messages-upsert-reaction"))
    body["data"]["message"]["reactionMessage"]["text"] = ""  # the reaction taken back
    removed = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages[0]
    assert (removed.kind, removed.text) == (InboundKind.REACTION, "")


def test_a_receipt_of_the_bots_message_is_still_a_receipt_and_not_an_edit():
    batch = parse("messages-update-read")
    assert batch.messages == [] and len(batch.receipts) == 1


def test_a_voice_note_with_the_gateways_transcript_carries_it_as_its_text():
    m = only("messages-upsert-audio-transcript")
    assert m.kind is InboundKind.MEDIA and m.media is not None and m.media.kind is MediaKind.AUDIO
    assert m.media.transcript == "Bom dia, o sistema não abre desde ontem"
    assert m.text == "Bom dia, o sistema não abre desde ontem"


@pytest.mark.parametrize("from_me", [True, "true", "yes", 1])
def test_anything_but_an_explicit_false_from_me_is_the_bots_own_message(from_me):
    body = json.loads(load("messages-upsert-text"))
    body["data"]["key"]["fromMe"] = from_me
    assert parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages == []


def test_lid_resolved_through_remote_jid_alt():
    m = only("messages-upsert-lid-with-alt")
    assert m.phone == "5531987654321"  # the identity: 12-digit alternate, normalized with the 9th digit
    assert m.reply_to == "553187654321@s.whatsapp.net"  # replies: the JID exactly as received
    assert m.lid == "187741095198785"


def test_lid_only_message_is_served_under_the_lid():
    m = only("messages-upsert-lid-without-alt")
    assert (m.phone, m.lid, m.reply_to) == ("lid:246813579024680", "246813579024680", "246813579024680@lid")
    assert m.kind is InboundKind.TEXT


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
    assert batch.instance_updates == [InstanceUpdate(instance="suporte", state="open", reason=200)]
    assert batch.messages == [] and batch.api_key == "instance-api-key"


@pytest.mark.parametrize(
    ("state", "reason", "expected"),
    [
        ("connecting", 200, ("connecting", 200)),
        ("close", 401, ("close", 401)),  # logged out on the phone
        ("refused", "428", ("close", 428)),  # QR code limit reached
        ("CLOSE", None, ("close", None)),
    ],
)
def test_connection_states(state, reason, expected):
    body = json.loads(load("connection-update"))
    body["data"].update(state=state, statusReason=reason)
    (update,) = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).instance_updates
    assert (update.state, update.reason) == expected


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


# ------------------------------------------------------------------------------- across versions

VERSIONS = FIXTURES / "versions"
LID = "103899771998284"
# Which builds carry the contact's LID next to its phone (see fixtures/evolution/versions/README.md).
LID_BY_VERSION = {"2.2": None, "2.3.1": LID, "2.3.3": None, "2.3.5": LID, "2.3.7": None, "2.4": LID}


def version_message(version: str, name: str) -> InboundMessage:
    batch = parse_webhook((VERSIONS / f"{version}-{name}.json").read_bytes(), HEADERS, {}, TOKEN)
    assert len(batch.messages) == 1
    return batch.messages[0]


def test_version_fixtures_cover_every_family():
    assert {p.name.rsplit("-", 1)[0] for p in VERSIONS.glob("*.json")} == set(LID_BY_VERSION)


@pytest.mark.parametrize("version", LID_BY_VERSION)
def test_a_quoted_reply_parses_the_same_on_every_version(version):
    m = version_message(version, "reply")
    quoted = None if version == "2.4" else "3EB0BOTNOTIFY0001"  # 2.4.0-rc drops the text's contextInfo
    assert replace(m, lid=None) == InboundMessage(
        message_id="3EB0REPLY00000000001",
        instance="suporte",
        phone="5511987654321",
        kind=InboundKind.TEXT,
        timestamp=1764000500,
        gateway="evolution",
        text="Ainda não resolveu, o erro continua",
        push_name="Maria Souza",
        quoted_id=quoted,
        reply_to="5511987654321@s.whatsapp.net",  # the phone JID, wherever the build put it
    )
    assert m.lid == LID_BY_VERSION[version]


@pytest.mark.parametrize("version", LID_BY_VERSION)
def test_a_captioned_document_parses_the_same_on_every_version(version):
    m = version_message(version, "document")
    assert (m.phone, m.reply_to, m.kind, m.text, m.timestamp) == (
        "5511987654321",
        "5511987654321@s.whatsapp.net",
        InboundKind.MEDIA,
        "Segue a nota fiscal",
        1764000510,
    )
    media = m.media
    assert (media.kind, media.mimetype, media.filename, media.size) == (
        MediaKind.DOCUMENT,
        "application/pdf",
        "nota-fiscal-4521.pdf",
        52311,  # a string, a number or a {low, high} Long depending on the build
    )
    assert media.source["key"]["id"] == "3EB0DOCV0000000000001" and m.quoted_id is None


def test_quoted_id_inside_the_content_of_older_builds():
    body = json.loads(load("messages-upsert-extended-text"))
    body["data"]["message"] = {
        "extendedTextMessage": {"text": "isso mesmo", "contextInfo": {"stanzaId": "3EB0QUOTED"}}
    }
    body["data"].pop("contextInfo", None)
    (m,) = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages
    assert (m.text, m.quoted_id) == ("isso mesmo", "3EB0QUOTED")


@pytest.mark.parametrize(
    ("key", "identity", "reply_to", "lid"),
    [
        ({"remoteJid": "777@lid"}, "lid:777", "777@lid", "777"),
        (
            {"remoteJid": "777@lid", "participantAlt": "5511987654321@s.whatsapp.net"},
            "5511987654321",
            None,
            "777",
        ),
        ({"remoteJid": "5511987654321:12@s.whatsapp.net"}, "5511987654321", None, None),
        ({"remoteJid": "777:3@lid"}, "lid:777", "777:3@lid", "777"),
        ({"remoteJid": "abc@lid"}, None, None, None),
        ({"remoteJid": "5511987654321@c.us"}, "5511987654321", None, None),
    ],
)
def test_sender_rule(key, identity, reply_to, lid):
    body = json.loads(load("messages-upsert-text"))
    body["data"]["key"] = {**key, "fromMe": False, "id": "X1"}
    messages = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).messages
    if identity is None:
        assert messages == []
        return
    (m,) = messages
    assert (m.phone, m.lid) == (identity, lid)
    assert m.reply_to == (reply_to or next(v for v in key.values() if "s.whatsapp.net" in v or "c.us" in v))


# ------------------------------------------------------------------------------- receipts


def test_messages_update_is_a_receipt_of_what_the_bot_sent():
    batch = parse("messages-update-read")
    assert batch.receipts == [DeliveryReceipt("3EB0BOTNOTIFY0001", DeliveryStatus.READ, "suporte")]
    assert batch.messages == [] and batch.api_key == "instance-api-key"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("SERVER_ACK", DeliveryStatus.SENT),
        ("DELIVERY_ACK", DeliveryStatus.DELIVERED),
        ("READ", DeliveryStatus.READ),
        ("PLAYED", DeliveryStatus.READ),  # a voice note listened to
        ("ERROR", DeliveryStatus.FAILED),
        (3, DeliveryStatus.DELIVERED),  # builds that pass Baileys' number through
        (4, DeliveryStatus.READ),
        (0, DeliveryStatus.FAILED),
        ("PENDING", None),
        (1, None),
        ("DELETED", None),
        (9, None),
        (True, None),
        (None, None),
    ],
)
def test_receipt_statuses(status, expected):
    body = json.loads(load("messages-update-read"))
    body["data"]["status"] = status
    receipts = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN).receipts
    assert [r.status for r in receipts] == ([expected] if expected else [])


def test_raw_baileys_update_shape_and_lists():
    data = [
        {
            "key": {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": True, "id": "A1"},
            "update": {"status": 3},
        },
        {
            "key": {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": False, "id": "A2"},
            "update": {"status": 4},
        },
    ]
    body = {"event": "MESSAGES_UPDATE", "instance": "suporte", "data": data}
    batch = parse_webhook(json.dumps(body).encode(), HEADERS, {}, TOKEN)
    # the requester's message being read by the bot is not a delivery of ours
    assert batch.receipts == [DeliveryReceipt("A1", DeliveryStatus.DELIVERED, "suporte")]


def test_send_message_is_the_sent_receipt():
    (receipt,) = parse("send-message").receipts
    assert receipt == DeliveryReceipt("3EB0BOTNOTIFY0001", DeliveryStatus.SENT, "suporte", at=1764000300)
    assert parse("send-message").messages == []  # never a message from the requester


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
    for path in sorted(FIXTURES.glob("*.json")) + sorted((FIXTURES / "versions").glob("*-reply.json")):
        for body in mangled(path.read_bytes(), seed=1234):
            _accepts_or_malformed(body)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON_VALUES, seed=st.integers(0, 2**32), name=st.sampled_from(NAMES))
def test_fuzz_wrong_shapes(value, seed, name):
    document = json.loads(load(name))
    replace_somewhere(document, value, random.Random(seed))
    _accepts_or_malformed(json.dumps(document).encode())


EVENTS = ["messages.upsert", "messages.update", "send.message", "connection.update", "qrcode.updated"]


@hsettings(max_examples=150, deadline=None)
@given(data=JSON_VALUES, event=st.sampled_from(EVENTS))
def test_fuzz_any_data(data, event):
    _accepts_or_malformed(json.dumps({"event": event, "instance": "suporte", "data": data}).encode())
