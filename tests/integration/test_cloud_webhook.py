"""The Cloud API webhook over moto: Meta's delivery rules (a signed delivery is always acknowledged,
unreadable items are left out) and requesters known by business-scoped user ID (BSUID)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpdesk import caches
from helpdesk.storage import phones
from helpdesk.storage.models import IdentityAlias, Item
from local.lambdas import load_function
from local.testing.apigw import http_event

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cloud"
APP_SECRET = "cloud-integration-secret"
NUMBER_ID = "106540352242922"
BSUID = "BR.13491208655302741918"
PHONE = "5511987654321"
PHONE_BSUID = "BR.20571114298467301552"


@pytest.fixture
def webhook(aws, monkeypatch):
    monkeypatch.setenv("CLOUD_APP_SECRET", APP_SECRET)
    return load_function("WebhookFunction")


def post(webhook, body: bytes, secret: str | None = APP_SECRET) -> dict:
    headers = {}
    if secret is not None:
        headers["x-hub-signature-256"] = (
            "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        )
    return webhook.invoke(http_event("POST", "/webhooks/cloud", body=body.decode(), headers=headers))


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def message_of(document: dict) -> dict:
    return document["entry"][0]["changes"][0]["value"]["messages"][0]


def delivered(webhook, document: dict, **message_fields) -> dict:
    message_of(document).update(message_fields)
    return post(webhook, json.dumps(document).encode())


def queued(aws) -> list[tuple[str, dict]]:
    """(group id, body) of every queued message, oldest first."""
    sqs = aws.session.client("sqs")
    found = []
    while True:
        answer = sqs.receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])
        if not answer.get("Messages"):
            return found
        for message in answer["Messages"]:
            found.append((message["Attributes"]["MessageGroupId"], json.loads(message["Body"])))
            sqs.delete_message(QueueUrl=aws.queue_url, ReceiptHandle=message["ReceiptHandle"])


def dynamodb_calls(function) -> list[str]:
    calls: list[str] = []
    events = Item._get_connection().connection.client.meta.events
    hook = lambda model, **_: calls.append(model.name)  # noqa: E731
    events.register("before-call.dynamodb", hook)
    try:
        function()
    finally:
        events.unregister("before-call.dynamodb", hook)
    return calls


def registered(identity: str, bsuid: str | None = None) -> None:
    now = datetime(2026, 5, 1, tzinfo=UTC)
    phones.new_requester(
        phone=identity,
        name="Carla Dias",
        email="carla@cliente.com.br",
        password_hash="x",
        instance=NUMBER_ID,
        now=now,
        bsuid=bsuid,
    ).save()


# --- Meta's rules -------------------------------------------------------------------------------


def test_unreadable_items_are_logged_masked_and_skipped_and_the_rest_is_queued(
    aws, webhook, caplog, monkeypatch
):
    counted: list[tuple[str, float]] = []
    metrics = webhook.module.metrics
    monkeypatch.setattr(metrics, "add_metric", lambda name, unit, value: counted.append((name, value)))
    response = post(webhook, json.dumps(fixture("batch-with-unreadable-items")).encode())
    assert response["statusCode"] == 200 and json.loads(response["body"]) == {"queued": 1}
    [(group, body)] = queued(aws)
    assert (group, body["text"], body["phone"]) == (f"{NUMBER_ID}#{BSUID}", "menu", BSUID)
    skipped = [record for record in caplog.records if record.getMessage() == "webhook item skipped"]
    assert [record.reason for record in skipped] == [
        "message: message has no valid from",
        "message: message has neither from nor from_user_id",
        "message: image.id is missing",
        "message: message is not an object",
        "status: status has no id",
    ]
    assert ("WebhookItemsSkipped", 5) in counted and ("MessagesQueued", 1) in counted
    logged = " ".join(str(vars(record)) for record in caplog.records)
    assert BSUID not in logged and "carla" not in logged  # the queued message is logged masked too


@pytest.mark.parametrize(
    "body", [b"", b"{", b"[]", b'{"object": "page"}', b'{"object": "whatsapp_business_account", "entry": 3}']
)
def test_a_signed_delivery_that_cannot_be_read_is_acknowledged(aws, webhook, body):
    """Anything but 200 makes Meta retry the same delivery for days, and may disable the webhook."""
    assert post(webhook, body)["statusCode"] == 200
    assert queued(aws) == []


@pytest.mark.parametrize("secret", [None, "another-secret"])
def test_unsigned_or_forged_is_still_401(aws, webhook, secret):
    assert post(webhook, json.dumps(fixture("text-bsuid-only")).encode(), secret=secret)["statusCode"] == 401
    assert post(webhook, b"nope", secret=secret)["statusCode"] == 401
    assert queued(aws) == []


# --- identity ------------------------------------------------------------------------------------


def test_phone_and_bsuid_are_linked_and_a_later_bsuid_only_message_reaches_the_phone(aws, webhook):
    registered(PHONE)
    first = dynamodb_calls(lambda: delivered(webhook, fixture("text-phone-and-bsuid")))
    # The first pairing: the number's instance key (cached a minute), the alias, a changed number,
    # a requester under the BSUID (none: the phone is the identity); then the link.
    assert first == ["GetItem", "GetItem", "GetItem", "GetItem", "PutItem"]
    later = fixture("text-phone-and-bsuid")
    for field in ("from",):
        message_of(later).pop(field)
    del later["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"]
    # Warm: the link is cached, the webhook reads nothing more from the table.
    assert dynamodb_calls(lambda: delivered(webhook, later, id="wamid.LATER")) == []
    groups = [(group, body["reply_to"]) for group, body in queued(aws)]
    assert groups == [(f"{NUMBER_ID}#{PHONE}", PHONE), (f"{NUMBER_ID}#{PHONE}", PHONE_BSUID)]
    assert IdentityAlias.get(f"BSUID#{PHONE_BSUID}", "ALIAS").phone == PHONE


def test_a_bsuid_only_requester_keeps_the_bsuid_when_a_phone_appears(aws, webhook):
    registered(BSUID, bsuid=BSUID)
    delivered(webhook, fixture("text-bsuid-only"))
    with_phone = fixture("text-bsuid-only")
    message_of(with_phone)["from"] = PHONE
    delivered(webhook, with_phone, id="wamid.WITHPHONE")
    assert [group for group, _ in queued(aws)] == [f"{NUMBER_ID}#{BSUID}"] * 2
    assert IdentityAlias.get(f"BSUID#{BSUID}", "ALIAS").phone == BSUID


def test_a_changed_bsuid_moves_the_link(aws, webhook):
    registered(BSUID, bsuid=BSUID)
    assert post(webhook, json.dumps(fixture("system-user-changed-user-id")).encode())["statusCode"] == 200
    assert queued(aws) == []  # a system update is no message of the requester
    delivered(webhook, fixture("text-bsuid-only"), from_user_id="BR.99017341126645782210", id="wamid.NEWID")
    [(group, body)] = queued(aws)
    assert group == f"{NUMBER_ID}#{BSUID}" and body["reply_to"] == "BR.99017341126645782210"


def test_a_changed_number_moves_the_link(aws, webhook):
    registered(PHONE)
    delivered(webhook, fixture("text-phone-and-bsuid"))
    assert post(webhook, json.dumps(fixture("system-user-changed-number")).encode())["statusCode"] == 200
    # The new number with the new BSUID, and the new number with a BSUID never seen.
    delivered(
        webhook,
        fixture("text-phone-and-bsuid"),
        **{"from": "5511912345678", "id": "wamid.N1"},
        from_user_id="BR.30468825719362018474",
    )
    delivered(
        webhook,
        fixture("text-phone-and-bsuid"),
        **{"from": "5511912345678", "id": "wamid.N2"},
        from_user_id="BR.55555555555555555555",
    )
    assert [group for group, _ in queued(aws)] == [f"{NUMBER_ID}#{PHONE}"] * 3


def test_a_change_of_someone_never_registered_moves_nothing(aws, webhook):
    assert post(webhook, json.dumps(fixture("system-user-changed-user-id")).encode())["statusCode"] == 200
    assert [item for item in Item.scan() if isinstance(item, IdentityAlias)] == []


def test_a_bsuid_only_contact_costs_one_read_and_one_write_then_nothing(aws, webhook):
    first = dynamodb_calls(lambda: delivered(webhook, fixture("text-bsuid-only")))
    assert first == [
        "GetItem",
        "GetItem",
        "PutItem",
    ]  # the number's key (cached a minute), the alias; its link
    assert dynamodb_calls(lambda: delivered(webhook, fixture("text-bsuid-only"), id="wamid.AGAIN")) == []
    assert IdentityAlias.get(f"BSUID#{BSUID}", "ALIAS").phone == BSUID


def test_a_bsuid_first_seen_alone_joins_the_phones_requester_when_it_shows_up_with_the_phone(aws, webhook):
    """Someone registered by phone before WhatsApp sent BSUIDs, first seen with the BSUID alone (a
    new conversation under it), later with both: from then on the phone's requester."""
    registered(PHONE)
    delivered(webhook, fixture("text-bsuid-only"))
    caches.reset()  # another container: what is known comes from the table
    with_phone = fixture("text-bsuid-only")
    message_of(with_phone)["from"] = PHONE
    delivered(webhook, with_phone, id="wamid.WITHPHONE")
    delivered(webhook, fixture("text-bsuid-only"), id="wamid.ALONEAGAIN")
    groups = [group for group, _ in queued(aws)]
    assert groups == [f"{NUMBER_ID}#{BSUID}", f"{NUMBER_ID}#{PHONE}", f"{NUMBER_ID}#{PHONE}"]
