"""Issue 15 through the admin function and the processor, over moto: business hours (set in the
API, read by turns through a cache), rating figures, and the LGPD export and erasure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.domain.messages import MediaKind
from helpdesk.logic import portal
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, knowledge, lids, phones, ratings, sent
from helpdesk.storage.models import Ticket
from helpdesk.storage.tickets import ticket_pk
from helpdesk.storage.transaction import TurnWrite
from local.testing.whatsapp import MARIA, text
from local.testing.whatsapp import Requester as Phone
from tests.integration.erp_fixtures import notifier  # noqa: F401
from tests.integration.test_admin_api import ADMIN, call
from tests.integration.test_processor_flow import PDF, PNG, dynamodb_calls_of
from tests.support.seeding import stored_ticket

PHONE = MARIA
NAME, EMAIL = "Maria Souza", "maria@cliente.com.br"
CNPJ = "11222333000181"


# --- business hours --------------------------------------------------------------------------

WEEKDAYS = {"weekly": {"mon": [["08:00", "18:00"]], "fri": [["08:00", "17:00"]]}, "holidays": ["2026-12-25"]}


def test_hours_are_set_read_validated_and_cleared(processor):
    status, body = call("PUT", "/admin/instances/suporte/hours", body=WEEKDAYS)
    assert status == 200 and body["hours"]["weekly"]["mon"] == [["08:00", "18:00"]]
    assert body["hours"]["weekly"]["tue"] == [] and body["hours"]["holidays"] == ["2026-12-25"]
    assert body["time_zone"] == "America/Sao_Paulo" and body["next_opening"]
    assert call("GET", "/admin/instances/suporte/hours")[1]["hours"] == body["hours"]

    status, error = call(
        "PUT", "/admin/instances/suporte/hours", body={"weekly": {"mon": [["18:00", "08:00"]]}}
    )
    assert (status, error["code"], error["field"]) == (422, "invalid", "weekly.mon[0]")
    assert call("PUT", "/admin/instances/nao-existe/hours", body=WEEKDAYS)[0] == 404

    status, body = call("DELETE", "/admin/instances/suporte/hours")
    assert (status, body["hours"], body["open_now"]) == (200, None, True)


def test_a_ticket_out_of_hours_is_flagged_and_the_requester_told(processor, maria):
    # Never open (no day has hours): every ticket is out of hours, and there is no next opening.
    assert call("PUT", "/admin/instances/suporte/hours", body={"weekly": {}, "holidays": []})[0] == 200
    maria.register()
    maria.says("0")
    maria.says("Impressora não conecta")
    maria.says("1")
    maria.says("Desde ontem.")
    created = " ".join(maria.says("fim"))
    assert "fora do horário de atendimento" in created
    ticket = Ticket.get(ticket_pk(1), "META")
    assert ticket.opened_out_of_hours is True
    assert call("GET", "/admin/tickets/1")[1]["opened_out_of_hours"] is True


def test_hours_cost_no_request_on_ordinary_turns_and_one_per_minute_on_tickets(processor, maria):
    maria.register()
    maria.says("0")
    maria.says("Impressora não conecta")
    maria.says("1")
    # An ordinary answer: unchanged (see test_processor_flow.test_requests_per_turn).
    knowledge.search_index()  # the description's search: the articles read within the minute
    assert dynamodb_calls_of(text(PHONE, "Desde ontem."), processor) == ["Query", "PutItem", "UpdateItem"]
    first = dynamodb_calls_of(text(PHONE, "fim"), processor)
    # query, the instance's hours, the tickets menu, the counter, the transaction, the outbox
    assert first == ["Query", "GetItem", "Query", "UpdateItem", "TransactWriteItems", "UpdateItem"]
    maria.says("0")
    maria.says("Outro problema")
    maria.says("1")
    maria.says("Detalhes.")
    again = dynamodb_calls_of(text(PHONE, "fim"), processor)
    assert again == [call for call in first if call != "GetItem"]  # the hours are cached for a minute


# --- ratings ---------------------------------------------------------------------------------


def rated(number: int, rating: int, at: datetime, *, cnpj: str = CNPJ, instance: str = "suporte") -> None:
    requester = phones.new_requester(
        phone=f"55119{number:08d}", name="R", email="r@x.com", password_hash="h", instance=instance, now=at
    )
    ticket = stored_ticket(
        requester,
        number=number,
        title="t",
        description="d",
        cnpj=cnpj,
        company_name="Acme",
        instance=instance,
        now=at,
    )
    write = TurnWrite()
    ratings.rate(
        ticket, rating=rating, comment=None, author_name="R", action_id=f"r-{number}", now=at, write=write
    )
    write.commit()


def test_rating_figures_per_instance_and_company_over_a_period(aws):
    day = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    rated(1, 5, day)
    rated(2, 4, day)
    rated(3, 1, day, cnpj="11444777000161")
    rated(4, 3, day, instance="vendas")
    rated(5, 2, day - timedelta(days=40))  # outside the period
    rated(6, 5, datetime(2026, 3, 11, 2, 30, tzinfo=UTC))  # 23:30 on the 10th in São Paulo

    status, body = call(
        "GET", "/admin/ratings", query={"instance": "suporte", "from": "2026-03-01", "to": "2026-03-10"}
    )
    assert status == 200
    assert (body["count"], body["average"]) == (4, 3.75)
    assert body["distribution"] == {"1": 1, "2": 0, "3": 0, "4": 1, "5": 2}

    _, acme = call(
        "GET",
        "/admin/ratings",
        query={"company": "11.222.333/0001-81", "from": "2026-03-01", "to": "2026-03-10"},
    )
    assert (acme["count"], acme["average"], acme["cnpj"]) == (4, 4.25, CNPJ)  # 5, 4, 3 (vendas), 5
    _, both = call(
        "GET",
        "/admin/ratings",
        query={"company": CNPJ, "instance": "vendas", "from": "2026-03-01", "to": "2026-03-10"},
    )
    assert both["count"] == 1 and both["average"] == 3.0

    _, none = call(
        "GET", "/admin/ratings", query={"instance": "suporte", "from": "2026-04-01", "to": "2026-04-02"}
    )
    assert (none["count"], none["average"]) == (0, None)
    # Neither a number nor a company (the console's default): every number's ratings.
    for name in ("suporte", "vendas"):
        catalog.create_instance(
            catalog.new_instance(name=name, agent_type="BOT", gateway="simulator", now=day)
        )
    status, every = call("GET", "/admin/ratings", query={"from": "2026-03-01", "to": "2026-03-10"})
    assert status == 200
    assert (every["count"], every["distribution"]) == (5, {"1": 1, "2": 0, "3": 1, "4": 1, "5": 2})
    status, error = call("GET", "/admin/ratings", query={"instance": "suporte", "from": "ontem"})
    assert (status, error["field"]) == (422, "from")


# --- LGPD ------------------------------------------------------------------------------------


def requester_with_history(maria: Phone) -> None:
    """A registered requester with a ticket (a photo, a later message), a failed portal login."""
    maria.register()
    maria.says("0")
    maria.says(f"Sou {NAME}, contato {EMAIL}")
    maria.says("1")
    maria.says("Ligar para (11) 98765-4321, falar com Maria Souza.")
    maria.sends_file(MediaKind.IMAGE, "image/png", "print.png", PNG)
    maria.says("fim")
    maria.says("1")  # the ticket
    maria.says("1")  # a new message
    maria.says("Mais um anexo")
    maria.sends_file(MediaKind.DOCUMENT, "application/pdf", "nota.pdf", PDF)
    maria.says("fim")
    with pytest.raises(portal.InvalidCredentials):
        portal.login(Services(), PHONE, "wrong-password")
    now = datetime.now(UTC)
    lids.link_lid("208877665544", PHONE, now)  # WhatsApp also showed the requester by a LID
    sent.record_sent(
        "wamid.AGENT-1", phone=PHONE, instance="suporte", kind="notification", at=now, ticket_number=1
    )


def everything(aws) -> str:
    table = aws.session.resource("dynamodb").Table(aws.table_name)
    items, page = [], table.scan()
    items += page["Items"]
    while "LastEvaluatedKey" in page:
        page = table.scan(ExclusiveStartKey=page["LastEvaluatedKey"])
        items += page["Items"]
    return json.dumps(items, default=str, ensure_ascii=False)


def bucket_keys(aws) -> list[str]:
    s3 = aws.session.client("s3")
    return [item["Key"] for item in s3.list_objects_v2(Bucket=aws.bucket).get("Contents", [])]


def test_export_gathers_everything_about_the_requester(aws, processor, maria, monkeypatch):
    requester_with_history(maria)
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the time comes from the routes' services
    monkeypatch.setattr(ADMIN.module.admin_api, "services", lambda: Services(clock=lambda: at))
    status, document = call("GET", f"/admin/requesters/{PHONE}/export")
    assert status == 200 and document["exported_at"] == at.isoformat()
    assert document["profile"]["name"] == NAME and document["profile"]["email"] == EMAIL
    assert "password_hash" not in json.dumps(document)
    assert [c["cnpj"] for c in document["companies"]] == [CNPJ]
    [ticket] = document["tickets"]
    assert ticket["title"].startswith("Sou Maria Souza")
    files = [a for action in ticket["actions"] for a in action["attachments"]]
    assert sorted(f["filename"] for f in files) == ["nota.pdf", "print.png"]
    assert all("X-Amz-Expires" in f["url"] or "Expires" in f["url"] for f in files)
    assert document["conversation"]["state"]["step"] == "ticket_menu"
    assert document["portal_login"]["failures"] == 1
    assert [alias["lid"] for alias in document["whatsapp_lids"]] == ["208877665544"]
    assert call("GET", "/admin/requesters/5511900000000/export")[0] == 404


def test_erasure_leaves_no_phone_email_or_name_and_keeps_the_tickets(aws, processor, maria, monkeypatch):
    requester_with_history(maria)
    rated(99, 5, datetime.now(UTC))  # someone else's ticket at the same company
    assert any(PHONE in key for key in bucket_keys(aws))
    assert call("POST", f"/admin/requesters/{PHONE}/erase", body={"confirm": "5511"})[0] == 422

    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(ADMIN.module.admin_api, "services", lambda: Services(clock=lambda: at))
    status, result = call("POST", "/admin/requesters/+55 (11) 98765-4321/erase", body={"confirm": PHONE})
    assert status == 200 and result["erased"] is True
    assert (result["tickets"], result["actions"], result["files"] >= 2) == (1, 2, True)

    stored = everything(aws)
    for secret in (PHONE, "98765-4321", "987654321", EMAIL, NAME, "Maria", "208877665544", "wamid.AGENT-1"):
        assert secret not in stored, secret
    keys = bucket_keys(aws)
    assert not any(PHONE in key for key in keys), keys
    assert not any(key.startswith("inbound/") for key in keys), keys

    status, listing = call("GET", "/admin/tickets", query={"company": CNPJ})
    ticket, other = sorted(listing["items"], key=lambda item: item["number"])
    assert (other["number"], other["requester_name"]) == (99, "R")  # untouched
    assert ticket["requester_name"] == "Titular anonimizado (LGPD)"
    assert ticket["requester_phone"] == "anonimizado"
    assert "anonimizado" in ticket["title"]

    [audit] = call("GET", "/admin/erasures")[1]["items"]
    assert audit["erased_by"] and audit["requester_hash"] == result["requester_hash"]
    assert audit["erased_at"] == at.isoformat()
    assert (audit["tickets"], audit["actions"]) == (1, 2)

    # Idempotent: nothing left to erase, no second audit record.
    status, again = call("POST", f"/admin/requesters/{PHONE}/erase", body={"confirm": PHONE})
    assert status == 200 and again["erased"] is False
    assert len(call("GET", "/admin/erasures")[1]["items"]) == 1
    assert call("GET", f"/admin/requesters/{PHONE}/export")[0] == 404


def test_meus_dados_on_whatsapp(processor, maria):
    maria.register()
    summary = " ".join(maria.says("meus dados"))
    assert NAME in summary and EMAIL in summary and "exclusão" in summary


def test_an_agent_answering_an_erased_requesters_ticket_notifies_nobody(aws, processor, maria, notifier):  # noqa: F811
    from helpdesk.logic.ticket_actions import post_action
    from tests.integration.erp_fixtures import StreamReader, selected

    maria.register()
    maria.says("0")
    maria.says("Impressora")
    maria.says("1")
    maria.says("Não liga.")
    maria.says("fim")
    assert call("POST", f"/admin/requesters/{PHONE}/erase", body={"confirm": PHONE})[1]["erased"]
    stream = StreamReader(aws)
    stream.new_records()
    post_action(
        Services(),
        1,
        author_kind="agent",
        author_name="Ana",
        text="Resolvido?",
        source="erp",
        status="Encerrado",
    )
    records = selected(stream.new_records())
    assert records  # the template lets it through...
    assert notifier.invoke(records) == {"batchItemFailures": []}  # ...and nobody is written to
    assert notifier.gateway.sent == []
