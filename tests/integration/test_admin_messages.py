"""Each validation error of the admin API, provoked over the admin function's handler: the message
an admin reads in the console is pt-BR and names fields as the page does (see
tests/unit/test_messages_pt_br.py for the raises walked in the source)."""

from __future__ import annotations

from datetime import UTC, datetime

from helpdesk.storage import catalog
from tests.integration.test_admin_api import call, recording_gateway
from tests.support.portuguese import foreign_words

CNPJ = "11222333000181"
HOURS = "/admin/instances/suporte/hours"
BAD_REQUESTS = [
    ("POST", "/admin/instances", {}, None),
    ("POST", "/admin/instances", {"name": "com espaço"}, None),
    ("POST", "/admin/instances", {"name": "loja", "agent_type": "HUMANO"}, None),
    ("POST", "/admin/instances", {"name": 5}, None),
    ("GET", "/admin/instances/nao-existe", None, None),
    ("GET", "/admin/instances/suporte/stats", None, {"days": "abc"}),
    ("POST", "/admin/companies", {"cnpj": "123", "name": "Acme"}, None),
    ("POST", "/admin/companies", {"cnpj": CNPJ, "name": " "}, None),
    ("PATCH", f"/admin/companies/{CNPJ}", {}, None),
    ("PATCH", f"/admin/companies/{CNPJ}", {"active": "sim"}, None),
    ("POST", "/admin/request-types", {"name": "Dúvida", "kind": "outro"}, None),
    ("PATCH", "/admin/request-types/nao-existe", {}, None),
    ("GET", "/admin/tickets", None, {"company": "123"}),
    ("GET", "/admin/tickets", None, {"cursor": "xyz"}),
    ("GET", "/admin/tickets/abc", None, None),
    ("GET", "/admin/tickets/999999", None, None),
    ("POST", "/admin/tickets/999999/actions", {"text": "Oi", "visible_to_requester": "sim"}, None),
    ("POST", "/admin/uploads", {"filename": "a.png", "mimetype": "image/png"}, None),
    ("GET", "/admin/ticket-search", None, {"q": ""}),
    ("GET", "/admin/dashboard", None, {"days": "9"}),
    ("GET", "/admin/ratings", None, {"from": "ontem"}),
    ("GET", "/admin/ratings", None, {"from": "2026-03-10", "to": "2026-03-01"}),
    ("GET", "/admin/ratings", None, {"company": "123"}),
    ("PUT", HOURS, {"weekly": {"mon": [["8:00", "12:00"]]}}, None),
    ("PUT", HOURS, {"weekly": {"mon": [["12:00", "08:00"]]}}, None),
    ("PUT", HOURS, {"weekly": {"mon": [["08:00"]]}}, None),
    ("PUT", HOURS, {"weekly": {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}}, None),
    ("PUT", HOURS, {"weekly": {"lunes": []}}, None),
    ("PUT", HOURS, {"weekly": "seg"}, None),
    ("PUT", HOURS, {"holidays": ["25/12/2026"]}, None),
    ("PUT", HOURS, ["08:00"], None),
    ("GET", "/admin/requesters/abc/export", None, None),
    ("GET", "/admin/requesters/5511999990000/export", None, None),
    ("POST", "/admin/requesters/5511999990000/erase", {"confirm": "5511000000000"}, None),
    ("POST", "/admin/admins", {"email": "não é e-mail"}, None),
    ("GET", "/admin/nada-aqui", None, None),
    ("POST", "/admin/companies", "{não é json", None),
]


def test_every_refusal_reads_in_portuguese(aws, monkeypatch):
    recording_gateway(monkeypatch)
    now = datetime(2026, 3, 10, tzinfo=UTC)
    catalog.create_instance(
        catalog.new_instance(name="suporte", agent_type="BOT", gateway="simulator", now=now)
    )
    unreadable = []
    for method, path, body, query in BAD_REQUESTS:
        status, answer = call(method, path, body=body, query=query)
        assert status >= 400, (method, path, body, query, answer)
        if not answer["message"] or foreign_words(answer["message"]):
            unreadable.append((method, path, answer["message"]))
    assert unreadable == []
