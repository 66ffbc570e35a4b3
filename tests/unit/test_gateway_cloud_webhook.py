import hashlib
import hmac
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef
from helpdesk.gateways.base import (
    DeliveryReceipt,
    DeliveryStatus,
    IdentityChange,
    WebhookBatch,
    WebhookMalformed,
    WebhookUnauthorized,
)
from helpdesk.gateways.cloud_webhook import parse_webhook, verify_subscription
from tests.unit.fuzzing import JSON_VALUES, mangled, replace_somewhere

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cloud"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
APP_SECRET = "cloud-app-secret"
ACCESS_TOKEN = "EAAG-cloud-access-token"
NUMBER_ID = "106540352242922"
BSUID = "BR.13491208655302741918"
PARENT_BSUID = "BR.ENT.11815799212886844830"


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
        reply_to="5511987654321",
    )


def test_twelve_digit_wa_id_is_normalized_for_the_identity_only():
    m = only("text-12-digit")
    assert (m.phone, m.reply_to) == ("5531987654321", "553187654321")  # replies go to the wa_id as given


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


def test_statuses_are_receipts():
    batch = parse_signed(load("statuses"))
    receipt = DeliveryReceipt(
        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjQ1RkE0", DeliveryStatus.DELIVERED, NUMBER_ID, at=1764000510
    )
    assert batch == WebhookBatch(receipts=[receipt])


def test_failed_status_carries_the_error():
    (receipt,) = parse_signed(load("status-failed-131047")).receipts
    assert (receipt.status, receipt.error_code) == (DeliveryStatus.FAILED, 131047)
    assert receipt.error == "131047 Re-engagement message"


@pytest.mark.parametrize(
    ("status", "expected"),
    [("sent", "sent"), ("read", "read"), ("deleted", None), ("warning", None), (3, None), (None, None)],
)
def test_status_values(status, expected):
    body = json.loads(load("statuses"))
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = status
    receipts = parse_signed(json.dumps(body).encode()).receipts
    assert [r.status.value for r in receipts] == ([expected] if expected else [])


# ------------------------------------------------------------------------------- BSUIDs


def test_a_user_whose_phone_is_hidden_is_known_by_the_bsuid():
    assert only("text-bsuid-only") == InboundMessage(
        message_id="wamid.HBgVQlIuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgASGBQTEXTBSUID01",
        instance=NUMBER_ID,
        phone=BSUID,
        kind=InboundKind.TEXT,
        timestamp=1779372805,
        gateway="cloud",
        text="Oi, preciso de ajuda",
        push_name="Carla Dias",
        reply_to=BSUID,  # the adapter sends to it as `recipient`
        bsuid=BSUID,
        username="@carla.dias",
    )


def test_phone_and_bsuid_together_keep_the_phone_as_identity_and_carry_the_bsuid():
    m = only("text-phone-and-bsuid")
    assert (m.phone, m.reply_to, m.bsuid) == ("5511987654321", "5511987654321", "BR.20571114298467301552")
    assert (m.push_name, m.username) == ("Maria Souza", "@maria.souza")


def test_media_and_interactive_replies_without_phone():
    image = only("image-bsuid-only")
    assert (image.phone, image.kind, image.text) == (BSUID, InboundKind.MEDIA, "print do erro")
    assert image.media and image.media.source == {"media_id": "1003383421387299"}
    tapped = only("interactive-bsuid-only")
    assert (tapped.phone, tapped.text, tapped.username) == (BSUID, "2", "@carla.dias")
    assert tapped.quoted_id == "wamid.HBgVQlIuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgARGBJMENU01"


def test_the_bsuid_comes_from_contacts_when_the_message_lacks_from_user_id():
    body = json.loads(load("text-phone-and-bsuid"))
    del body["entry"][0]["changes"][0]["value"]["messages"][0]["from_user_id"]
    (m,) = parse_signed(json.dumps(body).encode()).messages
    assert m.bsuid == "BR.20571114298467301552"


def test_a_status_with_only_the_bsuid_is_a_receipt():
    (receipt,) = parse_signed(load("statuses-bsuid-only")).receipts
    assert (receipt.message_id, receipt.status) == (
        "wamid.HBgVQlIuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgARGBJBOTSENT1",
        DeliveryStatus.READ,
    )


def test_system_changed_number():
    batch = parse_signed(load("system-user-changed-number"))
    assert batch == WebhookBatch(
        identity_changes=[
            IdentityChange(
                instance=NUMBER_ID,
                kind="user_changed_number",
                previous_phone="5511987654321",
                previous_bsuid="BR.20571114298467301552",
                phone="5511912345678",
                bsuid="BR.30468825719362018474",
            )
        ]
    )


def test_system_changed_user_id():
    (change,) = parse_signed(load("system-user-changed-user-id")).identity_changes
    assert (change.kind, change.previous_phone, change.phone) == ("user_changed_user_id", None, None)
    assert (change.previous_bsuid, change.bsuid) == (BSUID, "BR.99017341126645782210")


def test_other_system_messages_are_ignored_and_a_change_naming_nothing_is_skipped():
    body = json.loads(load("system-user-changed-user-id"))
    system = body["entry"][0]["changes"][0]["value"]["messages"][0]["system"]
    system["type"] = "customer_identity_changed"
    assert parse_signed(json.dumps(body).encode()) == WebhookBatch()
    system["type"] = "user_changed_user_id"
    del system["user_id"]
    assert parse_signed(json.dumps(body).encode()).skipped == [
        "system: user_changed_user_id names no previous or no new identifier"
    ]


def with_message(**fields) -> bytes:
    body = json.loads(load("text"))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    message.update(fields)
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    "interactive",
    [
        {"type": "button_reply", "button_reply": {"id": "2", "title": "Não"}},
        {"type": "list_reply", "list_reply": {"id": "2", "title": "Financeiro", "description": "Boletos"}},
    ],
)
def test_a_tapped_option_reads_as_its_id_the_typed_answer(interactive):
    (m,) = parse_signed(with_message(type="interactive", interactive=interactive)).messages
    assert (m.kind, m.text) == (InboundKind.TEXT, "2")


ORIGINAL = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYIDNFQjATEXT01"


def test_an_edit_names_the_edited_message_and_its_new_text():
    m = only("edit")
    assert (m.kind, m.target_id, m.text, m.phone) == (
        InboundKind.EDIT,
        ORIGINAL,
        "O sistema não emite a nota fiscal",
        "5511987654321",
    )


def test_an_edited_caption_is_the_new_text():
    edit = {"original_message_id": ORIGINAL, "message": {"type": "image", "image": {"caption": "a tela"}}}
    (m,) = parse_signed(with_message(type="edit", edit=edit)).messages
    assert (m.kind, m.text) == (InboundKind.EDIT, "a tela")


def test_a_revoke_names_the_deleted_message():
    m = only("revoke")
    assert (m.kind, m.target_id, m.text) == (InboundKind.REVOKE, ORIGINAL, None)


def test_a_reaction_names_the_message_and_the_emoji_and_an_empty_one_takes_it_back():
    m = only("reaction")
    assert (m.kind, m.target_id, m.text) == (
        InboundKind.REACTION,
        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkJPVE5PVElGWTAwMDEA",
        "👍",
    )
    (removed,) = parse_signed(with_message(type="reaction", reaction={"message_id": "wamid.X"})).messages
    assert (removed.kind, removed.target_id, removed.text) == (InboundKind.REACTION, "wamid.X", "")


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "revoke", "revoke": {}},
        {"type": "reaction", "reaction": {"emoji": "👍"}},
        {"type": "edit", "edit": {"original_message_id": "wamid.X", "message": {"type": "sticker"}}},
    ],
)
def test_a_change_that_names_no_message_or_no_text_is_dropped(fields):
    assert parse_signed(with_message(**fields)).messages == []


def test_template_quick_reply_reads_as_its_payload():
    (m,) = parse_signed(with_message(type="button", button={"payload": "0", "text": "Ver"})).messages
    assert m.text == "0"
    (m,) = parse_signed(with_message(type="button", button={"text": "Ver"})).messages
    assert m.text == "Ver"


def test_quoted_message_id_from_context():
    raw = with_message(type="text", text={"body": "ok"}, context={"from": "551140028922", "id": "wamid.BOT1"})
    (m,) = parse_signed(raw).messages
    assert (m.text, m.quoted_id) == ("ok", "wamid.BOT1")


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
    ],
)
def test_a_body_that_is_no_notification_is_malformed(body):
    with pytest.raises(WebhookMalformed):
        parse_signed(body)


@pytest.mark.parametrize(
    ("body", "skipped"),
    [
        (b'{"object": "whatsapp_business_account", "entry": [1]}', "entry: entry is not an object"),
        (
            b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", '
            b'"value": {}}]}]}',
            "change: value.metadata is not an object",
        ),
        (
            b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", '
            b'"value": {"metadata": {"phone_number_id": "1"}, "messages": [{"type": "text"}]}}]}]}',
            "message: message needs type and id",
        ),
    ],
)
def test_an_unreadable_item_is_skipped_and_named(body, skipped):
    assert parse_signed(body) == WebhookBatch(skipped=[skipped])


def test_unreadable_items_are_skipped_and_the_rest_of_the_delivery_goes_on():
    batch = parse_signed(load("batch-with-unreadable-items"))
    assert [(m.phone, m.text) for m in batch.messages] == [(BSUID, "menu")]
    assert batch.skipped == [
        "message: message has no valid from",  # Meta's documentation placeholders, sent as they are
        "message: message has neither from nor from_user_id",
        "message: image.id is missing",
        "message: message is not an object",
        "status: status has no id",
    ]
    assert all(BSUID not in reason and "<" not in reason for reason in batch.skipped)


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
