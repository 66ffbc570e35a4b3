"""The notifier against moto: real stream records (read from moto's DynamoDB Streams and filtered by
the template's criteria) through the Lambda handler, a fake gateway recording what is sent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpdesk.domain.conversation import ActionRef
from helpdesk.gateways.base import GatewayError, GatewayRejected
from helpdesk.logic import erp
from helpdesk.logic.services import Services
from helpdesk.logic.ticket_actions import post_action
from helpdesk.storage import saved
from helpdesk.storage.models import Action
from helpdesk.storage.stats import stats_totals
from helpdesk.storage.transaction import TurnWrite
from local.testing.gateways import TextOnlyGateway
from tests.integration.erp_fixtures import StreamReader, seed_ticket, selected, set_conversation


@pytest.fixture
def world(aws):
    seeded = seed_ticket()
    stream = StreamReader(aws)
    stream.new_records()  # the seed's own records
    return seeded, stream


def agent_says(number: int, text: str, **kwargs):
    return post_action(
        Services(), number, author_kind="agent", author_name="Carlos Lima", text=text, source="erp", **kwargs
    )


def test_a_status_change_reaches_the_requester(world, notifier):
    seeded, stream = world
    agent_says(seeded.ticket_number, "Técnico a caminho.", status="Em andamento", action_id="st-1")

    assert notifier.invoke(selected(stream.new_records())) == {"batchItemFailures": []}

    [(instance, phone, text)] = notifier.gateway.sent
    assert (instance, phone) == ("suporte", seeded.phone)
    assert "Situação alterada para *Em andamento*" in text and "Técnico a caminho." in text
    # Not looking at the ticket: told how to open it.
    assert f"digite *{seeded.ticket_number}*" in text and "1 - Enviar uma nova mensagem" not in text


def test_a_requester_looking_at_the_ticket_sees_the_action_menu_again(world, notifier):
    seeded, stream = world
    set_conversation(seeded.phone, "ticket_menu", {"ticket_number": seeded.ticket_number})
    agent_says(seeded.ticket_number, "Pode testar agora?")

    notifier.invoke(selected(stream.new_records()))

    [(_, _, text)] = notifier.gateway.sent
    assert "Pode testar agora?" in text
    assert text.endswith("3 - Encerrar a conversa")  # texts.action_menu, last
    assert "no menu de atendimentos" not in text


def test_a_requester_looking_at_another_ticket_is_told_how_to_open_this_one(world, notifier):
    seeded, stream = world
    set_conversation(seeded.phone, "ticket_menu", {"ticket_number": seeded.ticket_number + 1})
    agent_says(seeded.ticket_number, "Pode testar agora?")

    notifier.invoke(selected(stream.new_records()))

    [(_, _, text)] = notifier.gateway.sent
    assert "no menu de atendimentos" in text


def test_the_requesters_own_action_is_not_echoed(world, notifier):
    seeded, stream = world
    post_action(
        Services(),
        seeded.ticket_number,
        author_kind="requester",
        author_name="Ana",
        text="Ainda não funciona",
        source="portal",
    )
    records = stream.new_records()
    # The filter lets it through for the ERP; WhatsApp never echoes it back to its author.
    action = next(r for r in selected(records) if r["dynamodb"]["NewImage"]["entity"]["S"] == "action")
    assert notifier.invoke([action]) == {"batchItemFailures": []}
    assert notifier.gateway.sent == []


def test_markers_and_hidden_notes_are_ignored(world, notifier):
    seeded, stream = world
    agent_says(seeded.ticket_number, "Nota interna", visible_to_requester=False)
    records = stream.new_records()
    marker = next(r for r in records if r["dynamodb"]["NewImage"]["entity"]["S"] == "marker")
    assert notifier.invoke(selected(records) + [marker]) == {"batchItemFailures": []}
    assert notifier.gateway.sent == []


def test_a_failing_send_is_a_batch_item_failure_and_a_retry_sends(world, notifier):
    seeded, stream = world
    agent_says(seeded.ticket_number, "Primeira")
    agent_says(seeded.ticket_number, "Segunda")
    records = selected(stream.new_records())
    assert len(records) == 2

    notifier.gateway.fail = GatewayError("gateway down")
    result = notifier.invoke(records)
    failed = [{"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in records]
    assert result == {"batchItemFailures": failed}
    assert notifier.gateway.sent == []

    notifier.gateway.fail = None  # the stream retries the failed records
    assert notifier.invoke(records) == {"batchItemFailures": []}
    assert len(notifier.gateway.sent) == 2


def test_one_failing_record_does_not_hold_back_the_others(world, notifier, monkeypatch):
    seeded, stream = world
    agent_says(seeded.ticket_number, "boa")
    agent_says(seeded.ticket_number, "ruim")
    records = selected(stream.new_records())
    original = notifier.gateway.send_text

    def flaky(instance, phone, text):
        if "ruim" in text:
            raise GatewayError("boom")
        original(instance, phone, text)

    monkeypatch.setattr(notifier.gateway, "send_text", flaky)
    result = notifier.invoke(records)
    failed = [r for r in records if r["dynamodb"]["NewImage"]["text"]["S"] == "ruim"]
    assert result == {"batchItemFailures": [{"itemIdentifier": failed[0]["dynamodb"]["SequenceNumber"]}]}
    assert [t for _, _, t in notifier.gateway.sent if "boa" in t]


def test_a_duplicate_stream_record_sends_once(world, notifier):
    seeded, stream = world
    agent_says(seeded.ticket_number, "Uma vez só")
    [record] = selected(stream.new_records())

    assert notifier.invoke([record]) == {"batchItemFailures": []}
    assert notifier.invoke([record]) == {"batchItemFailures": []}  # redelivered by the stream
    assert notifier.invoke([record, record]) == {"batchItemFailures": []}

    assert len(notifier.gateway.sent) == 1
    assert stats_totals("suporte")["sent"] == 1


def test_an_attachment_the_gateway_refuses_goes_as_a_link(world, notifier, aws, monkeypatch):
    seeded, stream = world
    from helpdesk.domain.messages import Attachment, MediaKind

    aws.session.client("s3").put_object(Bucket=aws.bucket, Key="media/erp/x/manual.pdf", Body=b"%PDF-1.4")
    pdf = Attachment("media/erp/x/manual.pdf", MediaKind.DOCUMENT, "application/pdf", "manual.pdf", 8)
    agent_says(seeded.ticket_number, "Segue o manual", attachments=[pdf])

    def refuse(instance, phone, media):
        raise GatewayRejected("documents not allowed here")

    monkeypatch.setattr(notifier.gateway, "send_media", refuse)
    assert notifier.invoke(selected(stream.new_records())) == {"batchItemFailures": []}
    first, link = [t for _, _, t in notifier.gateway.sent]
    assert "📎 1 anexo" in first
    assert link.startswith("📎 manual.pdf: https://") and "Signature=" in link and "Expires=" in link


def test_without_media_support_the_links_go_in_the_text(world, aws):
    seeded, _ = world
    from helpdesk.domain.messages import Attachment, MediaKind
    from helpdesk.logic import notifications

    photo = Attachment("k/foto.png", MediaKind.IMAGE, "image/png", "foto.png", 3)
    action = agent_says(seeded.ticket_number, "Foto", attachments=[photo])
    gateway = TextOnlyGateway()
    image = {**action.attribute_values, "attachments": [a.as_dict() for a in action.attachments]}
    notifications.notify_requester(image, Services(gateway=gateway))
    [(_, _, text)] = gateway.sent
    assert "📎 foto.png: https://" in text


# --- outbound to the ERP ---------------------------------------------------------------------


class ErpStandIn(BaseHTTPRequestHandler):
    received: list[tuple[dict, bytes]] = []
    status = 200

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def erp_server(monkeypatch):
    ErpStandIn.received, ErpStandIn.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), ErpStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ERP_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/helpdesk/events")
    from helpdesk import caches

    caches.reset()
    yield ErpStandIn
    server.shutdown()
    caches.reset()


def test_what_requesters_create_is_delivered_signed_to_the_erp(aws, notifier, erp_server):
    stream = StreamReader(aws)
    seeded = seed_ticket()  # a requester, and a ticket opened with its description
    post_action(
        Services(),
        seeded.ticket_number,
        author_kind="requester",
        author_name="Ana",
        text="Mais um detalhe",
        source="portal",
        action_id="portal-1",
    )
    agent_says(seeded.ticket_number, "Resposta")  # the agent's: to WhatsApp, never back to the ERP
    records = stream.new_records()
    outbound = selected(records)
    entities = sorted(r["dynamodb"]["NewImage"]["entity"]["S"] for r in outbound)
    assert entities == ["action", "action", "requester", "ticket"]  # the agent's too, for WhatsApp

    result = notifier.invoke(outbound)
    assert result == {"batchItemFailures": []}, notifier.exceptions

    events = {}
    for headers, body in erp_server.received:
        erp.verify_signature(body, headers, "test-erp-secret")  # the same scheme as the inbound events
        event = json.loads(body)
        events[event["type"]] = event
    assert set(events) == {"requester.created", "ticket.created", "action.created"}
    assert events["ticket.created"]["data"]["number"] == seeded.ticket_number
    assert events["action.created"]["data"]["text"] == "Mais um detalhe"
    assert events["action.created"]["event_id"] == "action.created:portal-1"
    requester = events["requester.created"]["data"]
    assert requester["phone"] == seeded.phone and requester["email"] == "ana@example.com"
    everything = b" ".join(body for _, body in erp_server.received)
    for secret in (b"password", b"secret-hash", b"username"):
        assert secret not in everything
    assert len(notifier.gateway.sent) == 1  # the agent's answer reached the requester

    # A redelivered record is not posted twice.
    notifier.invoke(outbound)
    assert len(erp_server.received) == 3


def test_an_erp_that_fails_gets_the_record_retried(aws, notifier, erp_server):
    stream = StreamReader(aws)
    seed_ticket()
    erp_server.status = 400
    outbound = selected(stream.new_records())
    result = notifier.invoke(outbound)
    assert len(result["batchItemFailures"]) == len(outbound) == 2
    erp_server.status = 200
    assert notifier.invoke(outbound) == {"batchItemFailures": []}


def test_without_an_erp_url_the_records_are_acknowledged_and_skipped(aws, notifier, monkeypatch):
    monkeypatch.setenv("ERP_WEBHOOK_URL", "")
    stream = StreamReader(aws)
    seed_ticket()
    outbound = selected(stream.new_records())
    assert len(outbound) == 2
    assert notifier.invoke(outbound) == {"batchItemFailures": []}


def test_a_reaction_to_a_notification_reaches_the_erp_once_as_action_reacted(aws, notifier, erp_server):
    seeded = seed_ticket()
    answer = post_action(
        Services(),
        seeded.ticket_number,
        author_kind="agent",
        author_name="Carlos",
        text="Resposta",
        source="erp",
    )
    stream = StreamReader(aws)
    stream.new_records()  # what came before the reaction
    write = TurnWrite()
    ref = ActionRef(seeded.ticket_number, answer.action_id, answer.sk)
    saved.react(write, ref, "👍", "3EB0REACT0001", answer.created_at)
    write.commit()
    Action(pk=answer.pk, sk=answer.sk).update(actions=[Action.delivery.set("read")])  # a later receipt
    outbound = selected(stream.new_records())
    assert len(outbound) == 2  # both changes carry the reaction
    assert notifier.invoke(outbound) == {"batchItemFailures": []}, notifier.exceptions
    [(headers, body)] = erp_server.received
    erp.verify_signature(body, headers, "test-erp-secret")
    event = json.loads(body)
    assert (event["type"], event["event_id"]) == ("action.reacted", "action.reacted:3EB0REACT0001")
    data = event["data"]
    assert (data["emoji"], data["action_id"], data["ticket_number"]) == (
        "👍",
        answer.action_id,
        seeded.ticket_number,
    )
    assert data["author_kind"] == "agent" and data["reacted_at"]
