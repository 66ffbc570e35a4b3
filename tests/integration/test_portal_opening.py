"""A ticket opened from the portal, over moto: the bot's rules (subject, the types the bot offers or
"Outro"), the same counter as WhatsApp tickets, and the ERP hears `ticket.created` with the files."""

from __future__ import annotations

import base64
import json

import pytest

from helpdesk.aws import s3
from helpdesk.logic import portal
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, tickets
from tests.integration.erp_fixtures import CNPJ, StreamReader, seed_ticket, selected
from tests.integration.portal_fixtures import Browser, call, make_requester
from tests.integration.test_notifier import erp_server  # noqa: F401 - a fixture
from tests.support.portuguese import foreign_words

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII="
)


@pytest.fixture
def seeded(aws):
    seeded = seed_ticket()
    for type_id, name, kind, whatsapp in (
        ("install", "Instalação", "synthetic", True),
        ("audit", "Auditoria interna", "analytic", True),
        ("hidden", "Fora do WhatsApp", "synthetic", False),
    ):
        catalog.create_request_type(
            catalog.new_request_type(type_id=type_id, name=name, kind=kind, whatsapp=whatsapp)
        )
    return seeded


def test_the_form_offers_what_the_bot_offers(seeded):
    choices = portal.new_ticket_choices(seeded.phone)
    assert choices.companies == [(CNPJ, "Empresa Demonstração Ltda")]
    assert [kind.name for kind in choices.request_types] == ["Instalação"]


def test_a_portal_ticket_is_numbered_like_a_whatsapp_one_and_the_erp_hears_of_it(
    aws,
    seeded,
    notifier,
    erp_server,  # noqa: F811
):
    stream = StreamReader(aws)
    stream.new_records()
    files = [portal.UploadedFile("print_erro.png", "image/png", PNG)]
    ticket = portal.open_ticket(
        Services(),
        seeded.phone,
        cnpj=CNPJ,
        title="Nota fiscal não sai",
        type_id="install",
        description="Erro 500 ao emitir.",
        files=files,
    )
    assert tickets.allocate_ticket_number() == ticket.number + 1  # the one counter the bot's tickets take
    stored = tickets.get_ticket(ticket.number)
    assert (stored.source, stored.request_type_name, stored.status) == ("portal", "Instalação", "Aberto")
    opening = tickets.actions_of(stored)
    assert [a.text for a in opening] == ["Erro 500 ao emitir."]
    attachment = opening[0].attachments[0]
    assert attachment.filename == "print_erro.png" and s3.get(attachment.key) == PNG

    assert notifier.invoke(selected(stream.new_records())) == {"batchItemFailures": []}
    events = [json.loads(body) for _, body in erp_server.received]
    created = [e for e in events if e["type"] == "ticket.created"]
    assert len(created) == 1 and [e["type"] for e in events].count("action.created") == 0
    data = created[0]["data"]
    assert (data["number"], data["title"], data["description"]) == (
        ticket.number,
        "Nota fiscal não sai",
        "Erro 500 ao emitir.",
    )
    assert [a["filename"] for a in data["attachments"]] == ["print_erro.png"]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "  "}, "assunto"),
        ({"title": "Duas\nlinhas"}, "uma linha"),
        ({"title": "x" * 121}, "limite"),
        ({"type_id": "audit"}, "tipos"),  # analytic: agents' classification, never offered
        ({"type_id": "hidden"}, "tipos"),
        ({"description": " "}, "Descreva"),
        ({"cnpj": "11444777000161"}, "empresas"),
    ],
)
def test_what_the_bot_would_refuse_is_refused_in_portuguese(seeded, fields, reason):
    answer = {"cnpj": CNPJ, "title": "Assunto", "type_id": None, "description": "Detalhe", **fields}
    with pytest.raises(portal.InvalidAction) as refused:
        portal.open_ticket(Services(), seeded.phone, **answer)
    assert reason in str(refused.value) and foreign_words(str(refused.value)) == []


def test_outro_is_no_type(seeded):
    ticket = portal.open_ticket(
        Services(), seeded.phone, cnpj=CNPJ, title="Dúvida", type_id=None, description="Como faço?"
    )
    assert tickets.get_ticket(ticket.number).request_type_id is None


def test_the_routes_open_a_ticket_with_a_session(seeded):
    assert call("GET", "/portal/api/new-ticket").status == 401
    browser = Browser()
    person = make_requester("5511933330003", "Caio Rota")
    assert browser.login(person.phone, person.password).status == 200
    form = browser.get("/portal/api/new-ticket").json()
    assert [t["name"] for t in form["request_types"]] == ["Instalação"] and form["max_subject_length"] == 120
    body = {"cnpj": CNPJ, "title": "Sem acesso", "request_type_id": None, "description": "Senha expirou."}
    created = browser.post("/portal/api/tickets", body)
    assert created.status == 201, created.body
    assert browser.get(f"/portal/api/tickets/{created.json()['number']}").json()["title"] == "Sem acesso"
    refused = browser.post("/portal/api/tickets", {**body, "title": ""})
    assert refused.status == 400 and "assunto" in refused.json()["message"]
    assert (
        call("POST", "/portal/api/tickets", body=body, headers={"X-Requested-With": "portal"}).status == 401
    )
