"""The admin API routes the console added, on moto with the template's resources: the dashboard
(30 days x 10 instances in two queries; tickets per status kept from the stream), ticket search, answers with files, and the admins (the
template's Cognito user pool)."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pynamodb.connection.base import Connection

from helpdesk.gateways.base import InstanceUpdate
from helpdesk.logic import inbound
from helpdesk.storage import ratings, transaction
from helpdesk.storage.models import Action, Requester, Stats, Ticket
from helpdesk.storage.tickets import NEW_TICKET_STATUS, ticket_pk
from local.testing.gateways import RecordingGateway
from local.testing.stats import StatsConsumer
from tests.integration.test_admin_api import (
    assert_error,
    call,
    make_ticket,
    recording_gateway,
    write_counters,
)
from tests.support.seeding import stored_ticket

PDF = b"%PDF-1.4\n%%EOF\n"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


@pytest.fixture
def gateway(aws, monkeypatch) -> RecordingGateway:
    return recording_gateway(monkeypatch)


def file_item(name: str, mimetype: str, body: bytes) -> dict:
    return {"filename": name, "mimetype": mimetype, "content": base64.b64encode(body).decode()}


# --- dashboard ------------------------------------------------------------------------------


def dynamodb_requests(monkeypatch) -> list[tuple[str, str | None]]:
    """Every DynamoDB request pynamodb sends from now on: (operation, index or partition)."""
    sent: list[tuple[str, str | None]] = []
    real_dispatch = Connection.dispatch

    def counted(self, operation_name, operation_kwargs):
        values = operation_kwargs.get("ExpressionAttributeValues", {})
        partition = next((v.get("S") for k, v in sorted(values.items()) if k == ":0"), None)
        sent.append((operation_name, operation_kwargs.get("IndexName") or partition))
        return real_dispatch(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "dispatch", counted)
    return sent


def test_the_dashboard_adds_up_30_days_of_10_instances_in_two_queries(gateway, aws, monkeypatch):
    now = datetime.now(UTC)
    for n in range(10):
        assert call("POST", "/admin/instances", body={"name": f"loja{n}"})[0] == 201
        for back in range(30):
            # As the stats consumer and the notifier leave them: one update per instance and day.
            write_counters(f"loja{n}", now - timedelta(days=back), received=2, sent=3, conversations=1)
    write_counters("loja0", now - timedelta(days=31), received=1000)  # before the window
    write_counters("loja1", now, failed=2)
    make_ticket(1, status="Aberto")  # tickets count from their creation, whatever opened them
    make_ticket(2, status="Aguardando cliente")
    make_ticket(3, status="Aberto")
    make_ticket(4, status="Encerrado")
    StatsConsumer(aws).drain()  # the tickets per status come from the table stream

    def no_scan(*args, **kwargs):
        raise AssertionError("the dashboard must not scan")

    monkeypatch.setattr(Stats, "scan", no_scan)
    monkeypatch.setattr(Ticket, "scan", no_scan)
    requests = dynamodb_requests(monkeypatch)
    started = time.perf_counter()
    status, board = call("GET", "/admin/dashboard", query={"days": "30"})
    elapsed = time.perf_counter() - started
    print(f"dashboard: {elapsed:.3f} s, {len(requests)} requests")
    assert status == 200
    assert len(board["days"]) == 30 and board["days"][-1] == now.astimezone(SAO_PAULO).date().isoformat()
    assert board["totals"] == {"received": 600, "sent": 900, "conversations": 300, "tickets": 4, "failed": 2}
    assert board["per_day"][-1] == {
        "received": 20,
        "sent": 30,
        "conversations": 10,
        "tickets": 4,
        "failed": 2,
    }
    loja1 = next(i for i in board["instances"] if i["name"] == "loja1")
    assert loja1["totals"] == {"received": 60, "sent": 90, "conversations": 30, "tickets": 0, "failed": 2}
    assert len(loja1["per_day"]) == 30
    # Created here, never linked: every number is flagged as disconnected.
    assert sorted(board["disconnected"]) == sorted(f"loja{n}" for n in range(10))
    assert board["open_by_status"] == {"Aberto": 2, "Aguardando cliente": 1}
    # Two requests whatever the number of instances, days or tickets (was 12 here: one Query per
    # instance, plus one reading every ticket's status): the instances, and the STATS index
    # partition with the 300 day counters and the status counts (one page, about 30 KB).
    assert sorted(r[0] for r in requests) == ["Query", "Query"], requests
    assert all(r[1] == "gsi1" for r in requests), requests
    assert elapsed < 3.0, f"dashboard took {elapsed:.2f} s"

    week = call("GET", "/admin/dashboard")[1]
    assert len(week["days"]) == 7 and week["totals"]["received"] == 140


def test_dashboard_days_are_sao_paulo_days_and_every_ticket_counts_whatever_opened_it(gateway, aws):
    assert call("POST", "/admin/instances", body={"name": "noite"})[0] == 201
    today = datetime.now(SAO_PAULO).date()
    # 23:40 in São Paulo yesterday: 02:40 UTC today.
    late = (datetime.combine(today, datetime.min.time(), SAO_PAULO) - timedelta(minutes=20)).astimezone(UTC)
    write_counters("noite", late, received=2, sent=2, conversations=1)
    requester = Requester(phone="5511988887777", name="Pessoa")
    for number, source in ((61, "whatsapp"), (62, "portal")):
        ticket = stored_ticket(
            requester, number=number, cnpj="11222333000181", company_name="Acme", instance="noite", now=late
        )
        ticket.update(actions=[Ticket.source.set(source)])
    StatsConsumer(aws).drain()  # tickets are counted from the table stream
    board = call("GET", "/admin/dashboard")[1]
    assert board["days"][-1] == today.isoformat()
    noite = next(i for i in board["instances"] if i["name"] == "noite")
    assert noite["per_day"][-2] == {"received": 2, "sent": 2, "conversations": 1, "tickets": 2, "failed": 0}
    assert noite["per_day"][-1]["tickets"] == 0
    assert board["totals"]["tickets"] == 2


def test_open_tickets_by_status_follow_every_status_change_exactly_under_redelivery(gateway, aws):
    consumer = StatsConsumer(aws)

    def open_by_status(deliveries: int = 1) -> dict[str, int]:
        consumer.drain(deliveries)
        return call("GET", "/admin/dashboard")[1]["open_by_status"]

    ticket = make_ticket(40, status=NEW_TICKET_STATUS)
    make_ticket(41, status=NEW_TICKET_STATUS)
    assert open_by_status() == {NEW_TICKET_STATUS: 2}

    # Agent answers that keep the status change nothing; a status change moves one ticket.
    assert call("POST", "/admin/tickets/40/actions", body={"text": "Olhando."})[0] == 201
    assert call("POST", "/admin/tickets/40/actions", body={"status": "Em atendimento"})[0] == 201
    assert open_by_status(deliveries=2) == {NEW_TICKET_STATUS: 1, "Em atendimento": 1}

    # Closed: no longer open (counted as closed, which the dashboard does not show).
    assert call("POST", "/admin/tickets/40/actions", body={"status": "Encerrado"})[0] == 201
    assert open_by_status() == {NEW_TICKET_STATUS: 1}

    # The requester says it is not solved: reopened, as the turn writes it.
    write = transaction.TurnWrite()
    ratings.reopen(
        Ticket.get(ticket.pk, ticket.sk),
        status="Reaberto",
        author_name="Pessoa",
        text="Não resolveu",
        action_id="wamid.reopen",
        now=datetime.now(UTC),
        write=write,
    )
    write.commit()
    # Every batch handed over twice (a crash after the counters were written): counted once.
    assert open_by_status(deliveries=2) == {NEW_TICKET_STATUS: 1, "Reaberto": 1}
    assert consumer.drain(deliveries=3) == 0 and open_by_status() == {NEW_TICKET_STATUS: 1, "Reaberto": 1}


def test_the_dashboard_says_since_when_a_number_is_disconnected(gateway):
    for name in ("matriz", "filial"):
        assert call("POST", "/admin/instances", body={"name": name})[0] == 201
    down_since = datetime(2026, 11, 26, 22, 15, tzinfo=UTC)
    inbound.apply_instance_update(InstanceUpdate("filial", state="close", reason=401), down_since)
    inbound.apply_instance_update(InstanceUpdate("matriz", state="open"), down_since)

    board = call("GET", "/admin/dashboard")[1]
    shown = {i["name"]: (i["state"], i["disconnected_at"]) for i in board["instances"]}
    assert shown == {"matriz": ("open", None), "filial": ("close", down_since.isoformat())}
    assert board["disconnected"] == ["filial"]


@pytest.mark.parametrize("days", ["1", "90", "x", ""])
def test_the_dashboard_offers_7_or_30_days(gateway, days):
    assert_error(call("GET", "/admin/dashboard", query={"days": days}), 422, "invalid", "days")


# --- ticket search --------------------------------------------------------------------------


def test_tickets_are_found_by_number_title_company_or_requester(gateway):
    first = make_ticket(5, phone="5511911112222")
    first.title, first.company_name = "Relatório de vendas em branco", "Padaria Pão Quente"
    first.save()
    make_ticket(6, phone="5521933334444")
    numbers = lambda q: [t["number"] for t in call("GET", "/admin/ticket-search", query={"q": q})[1]["items"]]  # noqa: E731
    assert numbers("5") == [5]
    assert numbers("relatorio VENDAS") == [5]
    assert numbers("pao quente") == [5]
    assert numbers("Pessoa 4444") == [6]
    assert numbers("933334444") == [6]
    assert numbers("Chamado") == [6]
    assert numbers("nada disso") == []
    assert_error(call("GET", "/admin/ticket-search", query={"q": " "}), 422, "invalid", "q")


# --- answers with files ---------------------------------------------------------------------


def test_an_answer_with_files_and_a_status_is_one_action_and_the_files_are_stored(gateway, aws):
    make_ticket(30)
    status, action = call(
        "POST",
        "/admin/tickets/30/actions",
        body={
            "text": "Segue o boleto.",
            "status": "Aguardando cliente",
            "attachments": [
                file_item("boleto.pdf", "application/pdf", PDF),
                file_item("", "image/png", b"png"),
            ],
        },
    )
    assert status == 201, action
    assert action["kind"] == "status" and action["status"] == "Aguardando cliente"
    assert [a["filename"] for a in action["attachments"]] == ["boleto.pdf", "image-2.png"]
    stored = list(Action.query(ticket_pk(30), Action.sk.startswith("ACTION#")))
    assert len(stored) == 1 and len(stored[0].attachments) == 2
    s3 = aws.session.client("s3")
    body = s3.get_object(Bucket=aws.bucket, Key=stored[0].attachments[0].key)["Body"].read()
    assert body == PDF and stored[0].attachments[0].key.startswith("media/admin/30/")
    assert call("GET", "/admin/tickets/30")[1]["status"] == "Aguardando cliente"

    # A file the browser could not type is typed by its name.
    status, guessed = call(
        "POST", "/admin/tickets/30/actions", body={"attachments": [file_item("planilha.csv", "", b"a;b")]}
    )
    assert status == 201 and guessed["attachments"][0]["mimetype"] == "text/csv"

    # Files alone are an answer too.
    status, only_file = call(
        "POST", "/admin/tickets/30/actions", body={"attachments": [file_item("a.txt", "text/plain", b"oi")]}
    )
    assert status == 201 and only_file["text"] == ""


def test_refused_files_store_nothing(gateway, aws, monkeypatch):
    make_ticket(31)
    cases = [
        ([file_item("x.exe", "application/x-msdownload", b"MZ")], "attachments[0]"),
        ([{"filename": "a.pdf", "mimetype": "application/pdf", "content": "not base64!"}], "attachments[0]"),
        ([file_item("a.pdf", "application/pdf", PDF)] * 21, "attachments"),
        ("a.pdf", "attachments"),
    ]
    for attachments, field in cases:
        response = call("POST", "/admin/tickets/31/actions", body={"text": "x", "attachments": attachments})
        assert_error(response, 422, "invalid", field)
    monkeypatch.setenv("MEDIA_MAX_BYTES", "10")
    from helpdesk import caches

    caches.reset()
    big = [file_item("a.pdf", "application/pdf", PDF)]
    assert_error(call("POST", "/admin/tickets/31/actions", body={"attachments": big}), 422, "invalid")
    assert aws.session.client("s3").list_objects_v2(Bucket=aws.bucket).get("KeyCount", 0) == 0
    assert list(Action.query(ticket_pk(31), Action.sk.startswith("ACTION#"))) == []
    assert_error(call("POST", "/admin/tickets/31/actions", body={"text": " "}), 422, "invalid", "text")
    assert_error(call("POST", "/admin/tickets/99/actions", body={"attachments": big}), 404, "not_found")


def upload(body: bytes, filename: str, mimetype: str) -> dict:
    """Sends a file as the console does: checked first, then in parts; returns its attachment item."""
    status, started = call(
        "POST", "/admin/uploads", body={"filename": filename, "mimetype": mimetype, "size": len(body)}
    )
    assert status == 201, started
    size = started["part_bytes"]
    for part in range(started["parts"]):
        path = f"/admin/uploads/{started['upload_id']}/parts/{part}"
        assert call("PUT", path, body=body[part * size : (part + 1) * size])[0] == 204
    return {"filename": filename, "mimetype": mimetype, "upload_id": started["upload_id"]}


def test_a_file_larger_than_a_request_is_uploaded_in_parts_and_answered_up_to_the_erp_limit(gateway, aws):
    make_ticket(32)
    video = bytes(range(256)) * (10 * 1024 * 4)  # 10 MB: over Lambda's 6 MB request, under 16 MB
    status, action = call(
        "POST",
        "/admin/tickets/32/actions",
        body={"text": "Veja o vídeo.", "attachments": [upload(video, "passo-a-passo.mp4", "video/mp4")]},
    )
    assert status == 201, action
    [attachment] = list(Action.query(ticket_pk(32), Action.sk.startswith("ACTION#")))[0].attachments
    s3 = aws.session.client("s3")
    assert attachment.size == len(video) and attachment.filename == "passo-a-passo.mp4"
    assert s3.get_object(Bucket=aws.bucket, Key=attachment.key)["Body"].read() == video
    # The parts are gone once the answer is saved.
    assert s3.list_objects_v2(Bucket=aws.bucket, Prefix="uploads/").get("KeyCount", 0) == 0


def test_uploads_are_refused_as_the_erp_refuses_files_and_an_incomplete_one_stores_nothing(gateway, aws):
    make_ticket(33)
    start = {"filename": "a.mp4", "mimetype": "video/mp4"}
    too_big = call("POST", "/admin/uploads", body={**start, "size": 16 * 1024 * 1024 + 1})
    assert_error(too_big, 422, "invalid", "size")
    assert "16 MB" in too_big[1]["message"]
    exe = {"filename": "x.exe", "mimetype": "application/x-msdownload", "size": 10}
    assert_error(call("POST", "/admin/uploads", body=exe), 422, "invalid", "size")
    assert_error(call("POST", "/admin/uploads", body={**start, "size": "10"}), 422, "invalid", "size")

    status, started = call("POST", "/admin/uploads", body={**start, "size": 7 * 1024 * 1024})
    assert status == 201 and started["parts"] == 3
    parts = f"/admin/uploads/{started['upload_id']}/parts"
    oversized = b"x" * (started["part_bytes"] + 1)
    assert_error(call("PUT", f"{parts}/0", body=oversized), 422, "invalid", "body")
    assert_error(call("PUT", f"{parts}/99", body=b"x"), 422, "invalid", "part")
    assert_error(call("PUT", "/admin/uploads/not-an-id/parts/0", body=b"x"), 404, "not_found")
    assert_error(call("PUT", "/admin/uploads/" + "0" * 32 + "/parts/0", body=b"x"), 404, "not_found")
    part_bytes = started["part_bytes"]
    incomplete = {"filename": "a.mp4", "mimetype": "video/mp4", "upload_id": started["upload_id"]}

    def refused_answer() -> None:
        answer = call("POST", "/admin/tickets/33/actions", body={"attachments": [incomplete]})
        assert_error(answer, 422, "invalid", "attachments[0]")

    assert call("PUT", f"{parts}/0", body=b"x" * part_bytes)[0] == 204
    assert call("PUT", f"{parts}/2", body=b"x" * (1024 * 1024))[0] == 204
    refused_answer()  # part 1 never came
    assert call("PUT", f"{parts}/1", body=b"x" * (part_bytes - 1))[0] == 204
    refused_answer()  # one byte short of the declared size
    unknown = {**incomplete, "upload_id": "0" * 32 + "-10"}
    assert_error(call("POST", "/admin/tickets/33/actions", body={"attachments": [unknown]}), 422, "invalid")
    assert list(Action.query(ticket_pk(33), Action.sk.startswith("ACTION#"))) == []


# --- admins ---------------------------------------------------------------------------------


def test_admins_are_invited_listed_disabled_and_enabled(gateway):
    status, invited = call("POST", "/admin/admins", body={"email": " Bia@Example.com "})
    assert status == 201, invited
    assert invited["email"] == "bia@example.com" and invited["status"] == "FORCE_CHANGE_PASSWORD"
    assert invited["enabled"] is True
    assert_error(call("POST", "/admin/admins", body={"email": "bia@example.com"}), 409, "conflict", "email")
    assert_error(call("POST", "/admin/admins", body={"email": "not-an-email"}), 422, "invalid", "email")

    listed = call("GET", "/admin/admins")[1]["items"]
    assert [a["email"] for a in listed] == ["bia@example.com"]
    path = f"/admin/admins/{invited['username']}"
    assert call("PATCH", path, body={"enabled": False})[0] == 204
    assert call("GET", "/admin/admins")[1]["items"][0]["enabled"] is False
    assert call("PATCH", path, body={"enabled": True})[0] == 204
    assert call("GET", "/admin/admins")[1]["items"][0]["enabled"] is True
    assert_error(call("PATCH", path, body={}), 422, "invalid", "enabled")
    assert_error(call("PATCH", "/admin/admins/nobody", body={"enabled": False}), 404, "not_found")


def test_an_admin_cannot_disable_themselves(gateway):
    invited = call("POST", "/admin/admins", body={"email": "eu@example.com"})[1]
    me = {"sub": invited["username"], "cognito:username": invited["username"], "token_use": "id"}
    response = call("PATCH", f"/admin/admins/{invited['username']}", body={"enabled": False}, claims=me)
    assert_error(response, 409, "conflict", "username")
