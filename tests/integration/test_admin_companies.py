"""Deleting a company says what it affects, asks for its CNPJ, refuses while tickets are open and
leaves no orphan; deactivating keeps it for history, and its requesters are told on WhatsApp that
it is no longer served."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpdesk.storage import catalog, phones
from helpdesk.storage.models import CompanyLink, Ticket
from local.seed import seed_demo_data
from local.testing.whatsapp import Processor, first_contact
from local.testing.whatsapp import Requester as Phone
from tests.integration.test_admin_api import assert_error, call, gateway, make_ticket  # noqa: F401

CNPJ = "11222333000181"
PHONE = "5511988887777"


@pytest.fixture
def maria(aws):
    seed_demo_data()  # the demo company: 11.222.333/0001-81
    return Phone(Processor(aws), "5511987654321")


def link(phone: str, cnpj: str = CNPJ) -> None:
    phones.company_link(phone=phone, cnpj=cnpj, company_name="Acme Ltda", now=datetime.now(UTC)).save()


def test_the_impact_counts_requesters_tickets_and_open_ones(gateway):  # noqa: F811
    catalog.new_company(cnpj=CNPJ, name="Acme Ltda", now=datetime.now(UTC)).save()
    link(PHONE)
    link("5511900001111")
    make_ticket(11, status="Em atendimento")
    make_ticket(12, status="Encerrado")
    make_ticket(13, status="Aberto", cnpj="11444777000161")
    assert call("GET", f"/admin/companies/{CNPJ}/impact") == (
        200,
        {"requesters": 2, "tickets": 2, "open_tickets": 1},
    )
    assert_error(call("GET", "/admin/companies/11444777000161/impact"), 404, "not_found", "cnpj")


def test_a_company_with_open_tickets_is_not_deleted_and_one_without_leaves_no_link(gateway):  # noqa: F811
    catalog.new_company(cnpj=CNPJ, name="Acme Ltda", now=datetime.now(UTC)).save()
    link(PHONE)
    ticket = make_ticket(21, status="Aguardando cliente")
    confirm = {"confirm": "11.222.333/0001-81"}
    assert_error(
        call("DELETE", f"/admin/companies/{CNPJ}", query={"confirm": "11444777000161"}),
        422,
        "invalid",
        "confirm",
    )
    assert_error(call("DELETE", f"/admin/companies/{CNPJ}", query=confirm), 409, "conflict", "cnpj")
    assert catalog.get_company(CNPJ) is not None

    ticket.status = "Encerrado"
    ticket.save()
    assert call("DELETE", f"/admin/companies/{CNPJ}", query=confirm) == (204, None)
    assert catalog.get_company(CNPJ) is None
    assert phones.company_links(CNPJ) == []  # no requester still linked to a company that is gone


def test_a_deactivated_company_is_kept_and_its_requester_is_told_it_is_no_longer_served(gateway, maria):  # noqa: F811
    for text in first_contact():
        maria.says(text)
    assert call("PATCH", f"/admin/companies/{CNPJ}", body={"active": False})[0] == 200
    assert catalog.get_company(CNPJ).active is False
    assert CompanyLink.get(f"PHONE#{maria.phone}", f"COMPANY#{CNPJ}").company_active is False

    maria.says("sair")
    answer = " ".join(maria.says("bom dia"))
    assert "não é mais atendida por este canal" in answer
    assert "Recuperar acesso" not in answer  # no menu of that company: another CNPJ is asked
    assert "não é mais atendida" in " ".join(maria.says("11.222.333/0001-81"))

    # Reactivated: its menu again.
    assert call("PATCH", f"/admin/companies/{CNPJ}", body={"active": True})[0] == 200
    maria.says("sair")
    assert "Recuperar acesso" in " ".join(maria.says("bom dia"))


def test_a_deactivation_reaches_a_conversation_under_way_and_no_ticket_is_opened(gateway, maria):  # noqa: F811
    for text in first_contact():
        maria.says(text)
    maria.says("0")
    maria.says("Impressora não imprime")  # a ticket being written when the company is deactivated
    assert call("PATCH", f"/admin/companies/{CNPJ}", body={"active": False})[0] == 200

    answer = " ".join(maria.says("2"))
    assert "A empresa *Empresa Demonstração Ltda* não é mais atendida por este canal." in answer
    for text in ("Não imprime desde ontem.", "Fim", "0"):
        assert "criado" not in " ".join(maria.says(text))
    assert not list(Ticket.scan())
