"""The webhook handler over moto: authenticated Evolution deliveries become FIFO messages."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from helpdesk.storage.catalog import hash_key
from local.lambdas import load_function
from local.seed import seed_demo_data
from local.testing.apigw import http_event

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "evolution"


@pytest.fixture
def webhook(aws):
    seed_demo_data()
    return load_function("WebhookFunction")


def post(webhook, payload, token="test-webhook-token", raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(payload).encode()
    event = http_event("POST", "/webhooks/evolution", body=body.decode(), headers={"x-webhook-token": token})
    return webhook.invoke(event)


def queued(aws) -> list[dict]:
    sqs = aws.session.client("sqs")
    messages = sqs.receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])
    return messages.get("Messages", [])


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def test_the_same_webhook_five_times_enqueues_one_message(aws, webhook):
    payload = fixture("messages-upsert-text.json")
    for _ in range(5):
        assert post(webhook, payload)["statusCode"] == 200
    [message] = queued(aws)
    assert message["Attributes"]["MessageGroupId"] == "suporte#5511987654321"
    assert json.loads(message["Body"])["text"] == "12.345.678/0001-95"


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_forged_or_missing_token_is_refused_and_nothing_is_enqueued(aws, webhook, token):
    assert post(webhook, fixture("messages-upsert-text.json"), token=token)["statusCode"] == 401
    assert queued(aws) == []


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'{"event": "messages.upsert", "data": 7}', b"\xff\xfe"])
def test_a_malformed_body_is_a_400_and_nothing_is_enqueued(aws, webhook, raw):
    assert post(webhook, None, raw=raw.decode(errors="replace").encode())["statusCode"] == 400
    assert queued(aws) == []


def test_an_instance_key_that_does_not_match_the_stored_one_is_refused(aws, webhook):
    from helpdesk.storage.models import Instance

    instance = Instance.get("INSTANCE#suporte", "META")
    instance.update(actions=[Instance.api_key_hash.set(hash_key("the-real-key"))])
    payload = fixture("messages-upsert-text.json")
    assert post(webhook, payload)["statusCode"] == 401
    assert post(webhook, {**payload, "apikey": "the-real-key"})["statusCode"] == 200
    assert len(queued(aws)) == 1


def test_ignored_events_answer_200_and_enqueue_nothing(aws, webhook):
    for name in ("messages-upsert-from-me.json", "messages-upsert-group.json"):
        assert post(webhook, fixture(name))["statusCode"] == 200
    assert queued(aws) == []


def test_a_change_with_no_sender_is_queued_as_it_came_for_the_processor_to_attribute(aws, webhook):
    """Evolution's messages.edited from the sender's side: the webhook makes no call to the gateway
    (logic.senders, in the processor, asks whose message it was)."""
    assert post(webhook, fixture("messages-edited-sender-side.json"))["statusCode"] == 200
    [message] = queued(aws)
    body = json.loads(message["Body"])
    assert body["phone"] == "" and body["target_id"] == "3EB0A1B2C3D4E5F60718" and body["kind"] == "edit"
    assert message["Attributes"]["MessageGroupId"] == "suporte#"


def test_inline_media_is_staged_in_the_bucket_not_in_the_queue(aws, webhook):
    payload = fixture("messages-upsert-image-base64.json")
    assert post(webhook, payload)["statusCode"] == 200
    [message] = queued(aws)
    source = json.loads(message["Body"])["media"]["source"]
    assert "base64" not in source
    stored = aws.session.client("s3").get_object(Bucket=aws.bucket, Key=source["s3_key"])["Body"].read()
    inline = payload["data"]["message"]["base64"]
    assert stored == base64.b64decode(inline)


def test_connection_updates_reach_the_instance(aws, webhook):
    from helpdesk.storage.models import Instance

    Instance.get("INSTANCE#suporte", "META").update(actions=[Instance.state.set("connecting")])
    assert post(webhook, fixture("connection-update.json"))["statusCode"] == 200
    assert Instance.get("INSTANCE#suporte", "META").state == "open"
