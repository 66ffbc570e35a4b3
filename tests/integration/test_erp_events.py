"""POST /erp/events against moto: signed events become actions; forged, stale or invalid ones do not."""

from __future__ import annotations

import base64
import json
import time

import pytest

from helpdesk.storage.models import Action, Item, Ticket
from helpdesk.storage.stats import stats_totals
from helpdesk.storage.tickets import ticket_pk
from tests.integration.erp_fixtures import PNG_BASE64, StreamReader, seed_ticket, selected


def actions(number: int) -> list[Action]:
    return [item for item in Item.query(ticket_pk(number)) if isinstance(item, Action)]


def s3_keys(aws) -> list[str]:
    listing = aws.session.client("s3").list_objects_v2(Bucket=aws.bucket)
    return [obj["Key"] for obj in listing.get("Contents", [])]


def image_event(number: int, event_id: str = "evt-1001") -> dict:
    return {
        "event_id": event_id,
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": "Troque o cartucho, por favor. Segue a foto do painel.",
        "attachments": [{"filename": "painel.png", "mimetype": "image/png", "base64": PNG_BASE64}],
    }


def test_a_signed_action_with_an_image_reaches_the_requester_once(aws, erp_app, notifier):
    seeded = seed_ticket()
    stream = StreamReader(aws)
    stream.new_records()  # the seed's own records

    status, body = erp_app.post(image_event(seeded.ticket_number))

    assert (status, body["result"]) == (200, "applied")
    [action] = actions(seeded.ticket_number)
    assert (action.author_kind, action.author_name, action.source, action.action_id) == (
        "agent",
        "Carlos Lima",
        "erp",
        "evt-1001",
    )
    [attachment] = action.attachments
    assert attachment.key == f"media/erp/{seeded.ticket_number}/evt-1001/painel.png"
    assert (attachment.kind, attachment.mimetype, attachment.size) == ("image", "image/png", 70)
    assert s3_keys(aws) == [attachment.key]
    ticket = Ticket.get(ticket_pk(seeded.ticket_number), "META")
    assert ticket.last_action.author_name == "Carlos Lima"

    result = notifier.invoke(selected(stream.new_records()))

    assert result == {"batchItemFailures": []}
    [(instance, phone, text)] = notifier.gateway.sent
    assert (instance, phone) == ("suporte", seeded.phone)
    assert f"Atendimento {seeded.ticket_number}" in text and "Impressora não imprime" in text
    assert "Carlos Lima" in text and "Troque o cartucho" in text
    [(_, _, media)] = notifier.gateway.media
    assert (media.kind, media.mimetype, media.filename) == ("image", "image/png", "painel.png")
    assert attachment.key in media.url and "Signature=" in media.url  # a presigned, short-lived link
    assert stats_totals("suporte")["sent"] == 2

    # The same event again: 200, and nothing new anywhere.
    status, body = erp_app.post(image_event(seeded.ticket_number))
    assert (status, body["result"]) == (200, "applied")
    assert len(actions(seeded.ticket_number)) == 1
    assert selected(stream.new_records()) == []  # no new action: nothing for the notifier


def test_a_redelivered_event_after_the_idempotency_record_expired_is_still_applied_once(aws, erp_app):
    seeded = seed_ticket()
    assert erp_app.post(image_event(seeded.ticket_number, "evt-2"))[0] == 200
    # Forget Powertools' record: the action id marker still stops a second action.
    dynamodb = aws.session.client("dynamodb")
    records = dynamodb.query(
        TableName=aws.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "IDEMPOTENCY#erp"}},
    )["Items"]
    assert [r["status"]["S"] for r in records] == ["COMPLETED"]
    assert "expires_at" in records[0]  # the table's TTL attribute removes them
    for record in records:
        dynamodb.delete_item(TableName=aws.table_name, Key={"pk": record["pk"], "sk": record["sk"]})
    status, body = erp_app.post(image_event(seeded.ticket_number, "evt-2"))
    assert (status, body["result"]) == (200, "duplicate")
    assert len(actions(seeded.ticket_number)) == 1


def test_a_forged_signature_is_refused_and_nothing_is_written(aws, erp_app):
    seeded = seed_ticket()
    status, body = erp_app.post(image_event(seeded.ticket_number), secret="not-the-erp-secret")
    assert status == 401 and body == {"message": "Unauthorized", "code": "unauthorized", "field": None}
    assert actions(seeded.ticket_number) == [] and s3_keys(aws) == []


def test_a_tampered_body_is_refused(aws, erp_app):
    seeded = seed_ticket()
    raw = json.dumps(image_event(seeded.ticket_number)).encode()
    from helpdesk.logic import erp

    headers = erp.sign(raw, "test-erp-secret")
    tampered = raw.replace(b"Troque", b"Compre")
    status, _ = erp_app.post(tampered, headers=headers)
    assert status == 401
    assert actions(seeded.ticket_number) == []


# Clear of the 300 s window: the header holds whole seconds and the check runs a moment later.
@pytest.mark.parametrize("age", [330, -330, 3600])
def test_a_stale_or_future_timestamp_is_refused(aws, erp_app, age):
    seeded = seed_ticket()
    status, _ = erp_app.post(image_event(seeded.ticket_number), timestamp=time.time() - age)
    assert status == 401
    assert actions(seeded.ticket_number) == []


def test_missing_signature_headers_are_refused(aws, erp_app):
    seeded = seed_ticket()
    status, _ = erp_app.post(image_event(seeded.ticket_number), headers={"X-Signature": ""})
    assert status == 401


def test_an_unknown_ticket_is_404(aws, erp_app):
    seed_ticket()
    status, body = erp_app.post(image_event(999999, "evt-404"))
    assert status == 404
    assert "999999" in body["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_id": None}, "event_id"),
        ({"event_id": "has spaces"}, "event_id"),
        ({"type": "ticket.deleted"}, "type"),
        ({"ticket_number": "abc"}, "ticket_number"),
        ({"ticket_number": None}, "ticket_number"),
        ({"text": 42}, "text"),
        ({"visible_to_requester": "yes"}, "visible_to_requester"),
        ({"attachments": {"a": 1}}, "attachments"),
        (
            {"attachments": [{"filename": "x.png", "mimetype": "image/png", "base64": "***"}]},
            "attachments[0].base64",
        ),
        (
            {"attachments": [{"filename": "x.exe", "mimetype": "application/x-ms", "base64": PNG_BASE64}]},
            "attachments[0]",
        ),
        ({"attachments": [{"mimetype": "image/png", "base64": PNG_BASE64}]}, "attachments[0].filename"),
        ({"attachments": [{"url": "ftp://erp/x.png"}]}, "attachments[0].url"),
    ],
)
def test_an_invalid_body_is_422_naming_the_field(aws, erp_app, change, field):
    seeded = seed_ticket()
    event = {**image_event(seeded.ticket_number), **change}
    event = {key: value for key, value in event.items() if value is not None}
    status, body = erp_app.post(event)
    assert status == 422, body
    assert body["field"] == field and field in body["message"]
    assert actions(seeded.ticket_number) == [] and s3_keys(aws) == []


def test_a_body_that_is_not_json_is_422(aws, erp_app):
    status, body = erp_app.post(b"not json")
    assert (status, body["field"]) == (422, "body")


def test_a_status_change_and_a_closing_update_the_ticket(aws, erp_app):
    seeded = seed_ticket()
    status, _ = erp_app.post(
        {
            "event_id": "st-1",
            "type": "ticket.status_changed",
            "ticket_number": seeded.ticket_number,
            "status": "Em andamento",
            "note": "Técnico a caminho.",
        }
    )
    assert status == 200
    assert Ticket.get(ticket_pk(seeded.ticket_number), "META").status == "Em atendimento"
    closing = {"event_id": "st-2", "type": "ticket.closed", "ticket_number": seeded.ticket_number}
    status, _ = erp_app.post(closing)
    assert status == 200
    assert Ticket.get(ticket_pk(seeded.ticket_number), "META").status == "Encerrado"
    kinds = sorted((a.action_id, a.kind, a.status, a.text) for a in actions(seeded.ticket_number))
    assert kinds == [
        ("st-1", "status", "Em atendimento", "Técnico a caminho."),
        ("st-2", "status", "Encerrado", ""),
    ]


def test_an_internal_note_is_stored_but_hidden(aws, erp_app, notifier):
    seeded = seed_ticket()
    stream = StreamReader(aws)
    stream.new_records()
    event = {
        "event_id": "note-1",
        "type": "action.created",
        "ticket_number": seeded.ticket_number,
        "text": "Cliente difícil.",
        "visible_to_requester": False,
    }
    assert erp_app.post(event)[0] == 200
    [action] = actions(seeded.ticket_number)
    assert action.visible_to_requester is False
    assert Ticket.get(ticket_pk(seeded.ticket_number), "META").last_action is None  # not in the summary
    assert notifier.invoke(selected(stream.new_records())) == {"batchItemFailures": []}
    assert notifier.gateway.sent == []


def test_a_url_attachment_is_downloaded_with_a_cap(aws, erp_app, monkeypatch):
    seeded = seed_ticket()
    png = base64.b64decode(PNG_BASE64)

    class FakeResponse:
        status_code = 200
        headers = {"Content-Type": "image/png", "Content-Length": str(len(png))}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def iter_content(self, size):
            yield png

    calls = []

    def fake_get(url, **kwargs):
        calls.append((url, kwargs))
        return FakeResponse()

    monkeypatch.setattr("requests.get", fake_get)
    event = {
        "event_id": "url-1",
        "type": "action.created",
        "ticket_number": seeded.ticket_number,
        "text": "Foto",
        "attachments": [{"url": "https://erp.example.com/files/foto%20painel.png"}],
    }
    assert erp_app.post(event)[0] == 200
    [action] = actions(seeded.ticket_number)
    assert action.attachments[0].filename == "foto_painel.png"
    assert action.attachments[0].key == f"media/erp/{seeded.ticket_number}/url-1/foto_painel.png"
    assert calls[0][1]["timeout"] and calls[0][1]["stream"] is True

    monkeypatch.setenv("MEDIA_MAX_BYTES", "10")
    from helpdesk import caches

    caches.reset()
    event["event_id"] = "url-2"
    status, body = erp_app.post(event)
    assert (status, body["field"]) == (422, "attachments[0]")
    assert "larger" in body["message"]
