"""The admin API through the admin function's handler, over moto (table and bucket from template.yaml)."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from helpdesk.domain.messages import Attachment, MediaKind
from helpdesk.gateways.base import GatewayRejected, InstanceUpdate
from helpdesk.logic import ticket_actions
from helpdesk.logic.inbound import apply_instance_update
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, stats, transaction
from helpdesk.storage.catalog import hash_key
from helpdesk.storage.models import Instance, Requester, Stats
from local.lambdas import load_function
from local.testing.apigw import admin_event, http_event
from local.testing.gateways import RecordingGateway
from tests.support.seeding import stored_ticket

ADMIN = load_function("AdminFunction")
CNPJ = "11.222.333/0001-81"
OTHER_CNPJ = "11444777000161"


def recording_gateway(monkeypatch) -> RecordingGateway:
    """The admin function's routes get services with a recording gateway: its `services` factory
    replaced, as tests/support.whatsapp.Processor does for the processor's."""
    fake = RecordingGateway(name="simulator")
    monkeypatch.setattr(ADMIN.module.admin_api, "services", lambda: Services(gateway=fake))
    return fake


@pytest.fixture
def gateway(aws, monkeypatch) -> RecordingGateway:
    return recording_gateway(monkeypatch)


def call(method: str, path: str, **kwargs):
    result = ADMIN.invoke(admin_event(method, path, **kwargs))
    body = json.loads(result["body"]) if result.get("body") else None
    return int(result["statusCode"]), body


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    got_status, body = response
    assert got_status == status, body
    assert body["code"] == code and body["message"]
    if field:
        assert body["field"] == field


# --- auth -----------------------------------------------------------------------------------

ADMIN_ROUTES = [
    ("GET", "/admin/instances"),
    ("POST", "/admin/instances"),
    ("GET", "/admin/instances/x"),
    ("DELETE", "/admin/instances/x"),
    ("POST", "/admin/instances/x/connect"),
    ("GET", "/admin/instances/x/stats"),
    ("GET", "/admin/companies"),
    ("POST", "/admin/companies"),
    ("PATCH", f"/admin/companies/{OTHER_CNPJ}"),
    ("DELETE", f"/admin/companies/{OTHER_CNPJ}"),
    ("GET", f"/admin/companies/{OTHER_CNPJ}/impact"),
    ("GET", "/admin/request-types"),
    ("POST", "/admin/request-types"),
    ("PATCH", "/admin/request-types/x"),
    ("DELETE", "/admin/request-types/x"),
    ("GET", "/admin/tickets"),
    ("GET", "/admin/tickets/1"),
    ("POST", "/admin/tickets/1/actions"),
    ("POST", "/admin/tickets/1/status"),
    ("GET", "/admin/ticket-search"),
    ("POST", "/admin/uploads"),
    ("PUT", "/admin/uploads/x/parts/0"),
    ("GET", "/admin/dashboard"),
    ("GET", "/admin/admins"),
    ("POST", "/admin/admins"),
    ("PATCH", "/admin/admins/x"),
    ("GET", "/admin/instances/x/hours"),
    ("PUT", "/admin/instances/x/hours"),
    ("DELETE", "/admin/instances/x/hours"),
    ("GET", "/admin/ratings"),
    ("GET", "/admin/requesters/5511987654321/export"),
    ("GET", "/admin/erasures"),
    ("POST", "/admin/requesters/5511987654321/erase"),
    ("GET", "/admin/statuses"),
    ("PUT", "/admin/statuses"),
    ("GET", "/admin/articles"),
    ("POST", "/admin/articles"),
    ("GET", "/admin/articles/x"),
    ("PUT", "/admin/articles/x"),
    ("DELETE", "/admin/articles/x"),
    ("GET", "/admin/knowledge/synonyms"),
    ("PUT", "/admin/knowledge/synonyms"),
    ("GET", "/admin/knowledge/figures"),
]


def test_the_route_list_above_covers_every_admin_route():
    resolver = ADMIN.module.app
    routes = resolver._static_routes + resolver._dynamic_routes
    registered = {(route.method, route.path) for route in routes if route.path.startswith("/admin/")}

    def listed(method: str, rule: str) -> bool:
        pattern = re.compile("^" + re.sub(r"<\w+>", "[^/]+", rule) + "$")
        return any(m == method and pattern.match(path) for m, path in ADMIN_ROUTES)

    assert all(listed(*route) for route in registered)
    assert len(registered) == len(ADMIN_ROUTES)


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
@pytest.mark.parametrize(
    "claims",
    [None, {}, {"sub": "x", "token_use": "access", "client_id": "console"}],
    ids=["no-authorizer", "empty-claims", "access-token"],
)
def test_every_route_refuses_a_call_without_jwt_claims(gateway, method, path, claims):
    event = http_event(method, path, body={}, claims=claims, route_key="ANY /admin/{proxy+}")
    result = ADMIN.invoke(event)
    assert int(result["statusCode"]) == 401
    assert json.loads(result["body"])["code"] == "unauthorized"
    assert gateway.calls == []


def test_the_console_is_served_without_claims_under_a_strict_policy(aws):
    def get(path: str, route_key: str) -> dict:
        return ADMIN.invoke(http_event("GET", path, route_key=route_key))

    page = get("/console", "GET /console")
    assert int(page["statusCode"]) == 200 and page["headers"]["Content-Type"].startswith("text/html")
    policy = page["headers"]["Content-Security-Policy"]
    assert (
        "default-src 'none'" in policy
        and "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
    )
    assert "/console/assets/app.js" in page["body"]
    script = get("/console/assets/app.js", "GET /console/{proxy+}")
    assert int(script["statusCode"]) == 200 and script["headers"]["Content-Type"].startswith(
        "text/javascript"
    )
    for probe in ("/console/assets/index.html", "/console/assets/..%2Fapp.py", "/console/admin_api.py"):
        assert int(get(probe, "GET /console/{proxy+}")["statusCode"]) == 404


# --- instances ------------------------------------------------------------------------------


def test_create_list_get_and_delete_an_instance(gateway):
    status, body = call(
        "POST", "/admin/instances", body={"name": "vendas", "agent_type": "BOT", "api_key": "k-1"}
    )
    assert status == 201
    assert body["name"] == "vendas" and body["agent_type"] == "BOT" and body["state"] == "close"
    assert body["has_api_key"] is True and "api_key" not in body
    assert "histórico de conversas manuais" in body["warning"]
    assert gateway.calls == [("create", "vendas")]
    assert catalog.get_instance("vendas").api_key_hash == hash_key("k-1")

    status, body = call("GET", "/admin/instances")
    assert status == 200 and [i["name"] for i in body["items"]] == ["vendas"]

    status, body = call("GET", "/admin/instances/vendas")
    assert status == 200 and body["state"] == "close" and body["qr"] is None

    status, body = call("DELETE", "/admin/instances/vendas")
    assert status == 204 and body is None
    assert gateway.calls[-2:] == [("logout", "vendas"), ("delete", "vendas")]
    assert catalog.get_instance("vendas") is None
    assert_error(call("GET", "/admin/instances/vendas"), 404, "not_found", "name")


def test_agent_type_defaults_to_bot_and_no_api_key_stores_no_hash(gateway):
    status, body = call("POST", "/admin/instances", body={"name": "suporte-2"})
    assert status == 201 and body["agent_type"] == "BOT" and body["has_api_key"] is False
    assert catalog.get_instance("suporte-2").api_key_hash is None


def test_instance_validation_and_conflict(gateway):
    assert_error(call("POST", "/admin/instances", body={}), 422, "invalid", "name")
    assert_error(call("POST", "/admin/instances", body={"name": "com espaço"}), 422, "invalid", "name")
    assert_error(call("POST", "/admin/instances", body={"name": 12}), 422, "invalid", "name")
    assert_error(
        call("POST", "/admin/instances", body={"name": "a", "agent_type": "HUMAN"}),
        422,
        "invalid",
        "agent_type",
    )
    assert_error(call("POST", "/admin/instances", body="not json"), 400, "malformed", "body")
    assert_error(call("POST", "/admin/instances", body=["a"]), 400, "malformed", "body")
    assert call("POST", "/admin/instances", body={"name": "dup"})[0] == 201
    assert_error(call("POST", "/admin/instances", body={"name": "dup"}), 409, "conflict", "name")
    assert gateway.calls == [("create", "dup")]


def test_a_gateway_refusal_on_create_leaves_no_instance(gateway, monkeypatch):
    def refuse(instance):
        raise GatewayRejected("name taken at the gateway")

    monkeypatch.setattr(gateway, "create_instance", refuse)
    assert_error(call("POST", "/admin/instances", body={"name": "recusada"}), 502, "gateway_error")
    assert catalog.get_instance("recusada") is None


def test_connect_returns_the_qr_as_png_and_svg_and_the_state_follows_the_gateway_events(gateway):
    call("POST", "/admin/instances", body={"name": "loja"})
    status, body = call("POST", "/admin/instances/loja/connect")
    assert status == 200
    assert body["state"] == "connecting" and body["pairing_code"] == "ABCD1234"
    assert body["qr"]["code"] == "2@qr-for-loja"
    png = body["qr"]["png"]
    assert png.startswith("data:image/png;base64,")
    assert base64.b64decode(png.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    assert body["qr"]["svg"].startswith("<svg") and "<path" in body["qr"]["svg"]

    # A refreshed QR arrives by webhook: GET shows the latest one.
    apply_instance_update(
        InstanceUpdate("loja", qr_code="2@second-qr", pairing_code="WXYZ9876"), datetime.now(UTC)
    )
    status, body = call("GET", "/admin/instances/loja")
    assert (
        body["state"] == "connecting"
        and body["qr"]["code"] == "2@second-qr"
        and body["pairing_code"] == "WXYZ9876"
    )

    # The phone scanned it: connection.update "open" stored by the webhook, no QR shown any more.
    apply_instance_update(InstanceUpdate("loja", state="open"), datetime.now(UTC))
    status, body = call("GET", "/admin/instances/loja")
    assert body["state"] == "open" and body["qr"] is None and body["pairing_code"] is None

    apply_instance_update(InstanceUpdate("loja", state="close"), datetime.now(UTC))
    assert call("GET", "/admin/instances/loja")[1]["state"] == "close"


def test_connect_and_delete_an_unknown_instance_are_404(gateway):
    assert_error(call("POST", "/admin/instances/nada/connect"), 404, "not_found", "name")
    assert_error(call("DELETE", "/admin/instances/nada"), 404, "not_found", "name")
    assert gateway.calls == []


# --- stats ----------------------------------------------------------------------------------


def write_counters(instance: str, when: datetime, phone: str = "5511900000000", **counts: int) -> None:
    write = transaction.TurnWrite()
    stats.add_counts(write, instance, when, phone, **counts)
    write.commit()


def test_stats_per_day_and_in_total(gateway):
    call("POST", "/admin/instances", body={"name": "numeros"})
    now = datetime.now(UTC)
    write_counters("numeros", now, received=3, sent=5, conversations=1, tickets=1)
    write_counters("numeros", now, "5521988887777", received=1, sent=1)  # another phone, another shard
    write_counters("numeros", now - timedelta(days=2), received=2, sent=2, conversations=2)
    write_counters("numeros", now - timedelta(days=30), received=7)  # outside a 7-day window
    # Written before the counters came from the stream: a day in shards, and the same in a total.
    before = (now - timedelta(days=3)).date().isoformat()
    Stats(pk="STATS#numeros", sk=f"DAY#{before}#07", day=before, instance="numeros", received=5).save()
    Stats(pk="STATS#numeros", sk="TOTAL#07", instance="numeros", received=5).save()

    status, body = call("GET", "/admin/instances/numeros/stats", query={"days": "7"})
    assert status == 200
    assert body["instance"] == "numeros" and body["days"] == 7
    assert body["total"] == {"received": 18, "sent": 8, "conversations": 3, "tickets": 1, "failed": 0}
    days = body["per_day"]
    assert [d["day"] for d in days] == [
        (now.date() - timedelta(days=n)).isoformat() for n in range(6, -1, -1)
    ]
    assert days[-1] == {
        "day": now.date().isoformat(),
        "received": 4,
        "sent": 6,
        "conversations": 1,
        "tickets": 1,
        "failed": 0,
    }
    assert days[-3]["conversations"] == 2 and days[-3]["received"] == 2
    assert days[-4]["received"] == 5
    assert sum(d["received"] for d in days) == 11

    default = call("GET", "/admin/instances/numeros/stats")[1]
    assert default["days"] == 7 and len(default["per_day"]) == 7


def test_stats_of_a_quiet_instance_are_zeros_and_days_is_validated(gateway):
    call("POST", "/admin/instances", body={"name": "quieta"})
    status, body = call("GET", "/admin/instances/quieta/stats", query={"days": "2"})
    assert status == 200 and body["total"]["received"] == 0 and len(body["per_day"]) == 2
    for bad in ("0", "91", "x", "-1"):
        assert_error(
            call("GET", "/admin/instances/quieta/stats", query={"days": bad}), 422, "invalid", "days"
        )
    assert_error(call("GET", "/admin/instances/nada/stats"), 404, "not_found")


def test_stats_are_read_without_scans(gateway, monkeypatch):
    call("POST", "/admin/instances", body={"name": "semscan"})

    def no_scan(*args, **kwargs):
        raise AssertionError("scan used")

    monkeypatch.setattr(Stats, "scan", no_scan)
    assert call("GET", "/admin/instances/semscan/stats")[0] == 200


# --- companies ------------------------------------------------------------------------------


def test_companies_create_list_update_delete(gateway):
    status, body = call("POST", "/admin/companies", body={"cnpj": CNPJ, "name": "Acme Ltda"})
    assert status == 201
    assert body == {
        **body,
        "cnpj": "11222333000181",
        "cnpj_formatted": CNPJ,
        "name": "Acme Ltda",
        "active": True,
    }
    call("POST", "/admin/companies", body={"cnpj": OTHER_CNPJ, "name": "Beta SA", "active": False})

    status, body = call("GET", "/admin/companies")
    assert [(c["name"], c["active"], c["cnpj_formatted"]) for c in body["items"]] == [
        ("Acme Ltda", True, CNPJ),
        ("Beta SA", False, "11.444.777/0001-61"),
    ]

    status, body = call(
        "PATCH", "/admin/companies/11222333000181", body={"name": "Zeta Ltda", "active": False}
    )
    assert status == 200 and body["name"] == "Zeta Ltda" and body["active"] is False
    assert [c["name"] for c in call("GET", "/admin/companies")[1]["items"]] == ["Beta SA", "Zeta Ltda"]
    assert catalog.get_company("11222333000181").active is False

    assert_error(call("DELETE", "/admin/companies/11222333000181"), 422, "invalid", "confirm")
    confirmed = {"confirm": "11.222.333/0001-81"}
    assert call("DELETE", "/admin/companies/11222333000181", query=confirmed) == (204, None)
    assert catalog.get_company("11222333000181") is None
    assert_error(call("DELETE", "/admin/companies/11222333000181", query=confirmed), 404, "not_found", "cnpj")


def test_company_validation_conflict_and_404(gateway):
    assert_error(call("POST", "/admin/companies", body={"name": "X"}), 422, "invalid", "cnpj")
    assert_error(
        call("POST", "/admin/companies", body={"cnpj": "11.222.333/0001-82", "name": "X"}),
        422,
        "invalid",
        "cnpj",
    )
    assert_error(call("POST", "/admin/companies", body={"cnpj": CNPJ}), 422, "invalid", "name")
    assert_error(call("POST", "/admin/companies", body={"cnpj": CNPJ, "name": "  "}), 422, "invalid", "name")
    assert_error(
        call("POST", "/admin/companies", body={"cnpj": CNPJ, "name": "X", "active": "sim"}),
        422,
        "invalid",
        "active",
    )
    assert call("POST", "/admin/companies", body={"cnpj": CNPJ, "name": "X"})[0] == 201
    # The same CNPJ, written differently, is the same company.
    assert_error(
        call("POST", "/admin/companies", body={"cnpj": "11222333000181", "name": "Y"}),
        409,
        "conflict",
        "cnpj",
    )
    assert_error(call("PATCH", f"/admin/companies/{OTHER_CNPJ}", body={"name": "Nope"}), 404, "not_found")
    assert_error(call("PATCH", "/admin/companies/11222333000181", body={}), 422, "invalid")


# --- request types --------------------------------------------------------------------------


def test_request_types_and_what_reaches_the_bot(gateway):
    status, offered = call(
        "POST",
        "/admin/request-types",
        body={"name": "Erro no sistema", "kind": "synthetic", "whatsapp": True},
    )
    assert status == 201 and offered["reaches_whatsapp"] is True and offered["active"] is True
    _, analytic = call(
        "POST", "/admin/request-types", body={"name": "Apuração", "kind": "analytic", "whatsapp": True}
    )
    _, internal = call(
        "POST", "/admin/request-types", body={"name": "Interno", "kind": "synthetic", "whatsapp": False}
    )
    assert analytic["reaches_whatsapp"] is False and internal["reaches_whatsapp"] is False

    assert [t.name for t in catalog.whatsapp_request_types()] == ["Erro no sistema"]
    status, body = call("GET", "/admin/request-types")
    assert [t["name"] for t in body["items"]] == ["Apuração", "Erro no sistema", "Interno"]

    # Changes are seen by the bot at once in this container (the cache is dropped).
    status, body = call(
        "PATCH", f"/admin/request-types/{internal['id']}", body={"whatsapp": True, "name": "Dúvida"}
    )
    assert status == 200 and body["reaches_whatsapp"] is True and body["name"] == "Dúvida"
    assert sorted(t.name for t in catalog.whatsapp_request_types()) == ["Dúvida", "Erro no sistema"]
    call("PATCH", f"/admin/request-types/{offered['id']}", body={"active": False})
    assert [t.name for t in catalog.whatsapp_request_types()] == ["Dúvida"]

    assert call("DELETE", f"/admin/request-types/{internal['id']}") == (204, None)
    assert catalog.whatsapp_request_types() == []
    assert_error(call("DELETE", f"/admin/request-types/{internal['id']}"), 404, "not_found")


def test_request_type_validation(gateway):
    assert_error(
        call("POST", "/admin/request-types", body={"kind": "synthetic", "whatsapp": True}),
        422,
        "invalid",
        "name",
    )
    assert_error(
        call("POST", "/admin/request-types", body={"name": "A", "whatsapp": True}), 422, "invalid", "kind"
    )
    assert_error(
        call("POST", "/admin/request-types", body={"name": "A", "kind": "x", "whatsapp": True}),
        422,
        "invalid",
        "kind",
    )
    assert_error(
        call("POST", "/admin/request-types", body={"name": "A", "kind": "analytic"}),
        422,
        "invalid",
        "whatsapp",
    )
    assert_error(call("PATCH", "/admin/request-types/nada", body={"active": True}), 404, "not_found")
    _, created = call(
        "POST", "/admin/request-types", body={"name": "A", "kind": "analytic", "whatsapp": False}
    )
    assert_error(
        call("PATCH", f"/admin/request-types/{created['id']}", body={"kind": "other"}), 422, "invalid", "kind"
    )


# --- tickets --------------------------------------------------------------------------------


def make_ticket(
    number: int, *, phone: str = "5511988887777", cnpj: str = "11222333000181", status: str = "Aberto"
):
    return stored_ticket(
        Requester(phone=phone, name=f"Pessoa {phone[-4:]}"),
        number=number,
        title=f"Chamado {number}",
        description="Não consigo emitir nota",
        cnpj=cnpj,
        company_name="Acme Ltda",
        request_type=("erro", "Erro no sistema"),
        status=status,
    )


def test_tickets_are_listed_newest_first_with_filters_and_pages(gateway):
    for number in range(1, 8):
        make_ticket(
            number,
            phone="5511988880001" if number % 2 else "5511988880002",
            cnpj="11222333000181" if number <= 4 else OTHER_CNPJ,
            status="Fechado" if number == 3 else "Aberto",
        )
    status, body = call("GET", "/admin/tickets")
    assert status == 200 and [t["number"] for t in body["items"]] == [7, 6, 5, 4, 3, 2, 1]
    assert body["next_cursor"] is None
    assert body["items"][0]["cnpj_formatted"] == "11.444.777/0001-61"

    assert [t["number"] for t in call("GET", "/admin/tickets", query={"company": CNPJ})[1]["items"]] == [
        4,
        3,
        2,
        1,
    ]
    assert [t["number"] for t in call("GET", "/admin/tickets", query={"status": "Fechado"})[1]["items"]] == [
        3
    ]
    by_phone = call("GET", "/admin/tickets", query={"phone": "+55 (11) 98888-0002"})[1]["items"]
    assert [t["number"] for t in by_phone] == [6, 4, 2]
    both = call("GET", "/admin/tickets", query={"phone": "5511988880001", "company": CNPJ})[1]["items"]
    assert [t["number"] for t in both] == [3, 1]

    seen, cursor = [], None
    while True:
        query = {"limit": "2", "company": CNPJ, **({"cursor": cursor} if cursor else {})}
        status, page = call("GET", "/admin/tickets", query=query)
        assert status == 200 and len(page["items"]) <= 2
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [4, 3, 2, 1]


def test_ticket_list_validation(gateway):
    assert_error(call("GET", "/admin/tickets", query={"limit": "0"}), 422, "invalid", "limit")
    assert_error(call("GET", "/admin/tickets", query={"limit": "101"}), 422, "invalid", "limit")
    assert_error(call("GET", "/admin/tickets", query={"cursor": "not-a-cursor"}), 422, "invalid", "cursor")
    forged = base64.urlsafe_b64encode(json.dumps({"pk": {"S": "x"}}).encode()).decode()
    assert_error(call("GET", "/admin/tickets", query={"cursor": forged}), 422, "invalid", "cursor")
    assert_error(call("GET", "/admin/tickets", query={"company": "123"}), 422, "invalid", "company")
    assert_error(call("GET", "/admin/tickets", query={"phone": "12"}), 422, "invalid", "phone")


def test_ticket_detail_has_actions_and_presigned_attachment_links(gateway, aws):
    make_ticket(10)
    aws.session.client("s3").put_object(Bucket=aws.bucket, Key="tickets/10/print.png", Body=b"png")
    ticket_actions.post_action(
        Services(),
        10,
        author_kind="requester",
        author_name="Pessoa",
        text="Segue o print",
        source="whatsapp",
        attachments=[Attachment("tickets/10/print.png", MediaKind.IMAGE, "image/png", "print.png", 3)],
    )
    status, body = call("GET", "/admin/tickets/10")
    assert status == 200
    assert body["number"] == 10 and body["description"] == "Não consigo emitir nota"
    [action] = body["actions"]
    assert action["text"] == "Segue o print" and action["author_kind"] == "requester"
    [attachment] = action["attachments"]
    assert attachment["filename"] == "print.png" and attachment["mimetype"] == "image/png"
    url = urlsplit(attachment["url"])
    assert url.path.endswith("/tickets/10/print.png")
    query = parse_qs(url.query)
    if "X-Amz-Expires" in query:  # SigV4 signs a lifetime, SigV2 an expiry time
        lifetime = int(query["X-Amz-Expires"][0])
    else:
        lifetime = int(query["Expires"][0]) - int(datetime.now(UTC).timestamp())
    assert 0 < lifetime <= 300  # PRESIGNED_URL_SECONDS: short-lived

    assert_error(call("GET", "/admin/tickets/999"), 404, "not_found", "number")
    assert_error(call("GET", "/admin/tickets/abc"), 422, "invalid", "number")


def test_an_agent_answers_and_changes_the_status_from_the_console(gateway):
    make_ticket(20)
    status, action = call("POST", "/admin/tickets/20/actions", body={"text": "Já estamos verificando."})
    assert status == 201
    assert action["author_kind"] == "agent" and action["source"] == "admin"
    assert action["author_name"] == "Equipe de suporte" and action["kind"] == "message"

    status, change = call(
        "POST", "/admin/tickets/20/status", body={"status": "Resolvido", "text": "Corrigido."}
    )
    assert status == 201 and change["kind"] == "status" and change["status"] == "Resolvido"

    status, body = call("GET", "/admin/tickets/20")
    assert body["status"] == "Resolvido"
    assert [a["text"] for a in body["actions"]] == ["Já estamos verificando.", "Corrigido."]
    assert body["last_action"]["text"] == "Corrigido."

    call("POST", "/admin/tickets/20/actions", body={"text": "Nota interna", "visible_to_requester": False})
    assert call("GET", "/admin/tickets/20")[1]["last_action"]["text"] == "Corrigido."


def test_ticket_action_validation_404_and_duplicate(gateway):
    make_ticket(30)
    assert_error(call("POST", "/admin/tickets/30/actions", body={}), 422, "invalid", "text")
    assert_error(call("POST", "/admin/tickets/30/actions", body={"text": "  "}), 422, "invalid", "text")
    assert_error(call("POST", "/admin/tickets/30/status", body={"text": "x"}), 422, "invalid", "status")
    assert_error(call("POST", "/admin/tickets/999/actions", body={"text": "oi"}), 404, "not_found", "number")
    assert_error(call("POST", "/admin/tickets/999/status", body={"status": "Fechado"}), 404, "not_found")
    assert call("POST", "/admin/tickets/30/actions", body={"text": "oi", "action_id": "a-1"})[0] == 201
    assert_error(
        call("POST", "/admin/tickets/30/actions", body={"text": "oi", "action_id": "a-1"}), 409, "conflict"
    )


def test_an_unknown_admin_path_is_404(gateway):
    assert call("GET", "/admin/nothing-here")[0] == 404


def test_the_instance_model_keeps_only_the_hash(gateway):
    call("POST", "/admin/instances", body={"name": "chave", "api_key": "segredo"})
    stored = Instance.get("INSTANCE#chave", "META")
    assert stored.api_key_hash == hash_key("segredo") and "segredo" not in json.dumps(stored.to_simple_dict())
