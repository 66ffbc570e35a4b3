"""The managed list of ticket statuses: the console's page API, agents' answers and the ERP's events
held to it (names matched ignoring case and accents, the ERP's own names mapped), the status filter,
and a requester's reply moving a ticket the team waited on back to the team."""

from __future__ import annotations

import pytest

from helpdesk.logic import ticket_actions
from helpdesk.logic.services import Services
from helpdesk.storage import statuses
from helpdesk.storage.models import StatusCount, Ticket
from tests.integration.test_admin_api import assert_error, call, make_ticket, recording_gateway


@pytest.fixture
def admin(aws, monkeypatch):
    statuses.forget()
    yield recording_gateway(monkeypatch)
    statuses.forget()


DEFAULT_NAMES = [
    "Aberto",
    "Em atendimento",
    "Aguardando cliente",
    "Resolvido",
    "Fechado",
    "Encerrado",
    "Reaberto",
]


def status_of(number: int) -> str:
    return Ticket.get(f"TICKET#{number}", "META").status


def test_the_list_starts_with_the_statuses_in_use_and_the_configured_roles(admin):
    status, body = call("GET", "/admin/statuses")
    assert status == 200 and body["names"] == DEFAULT_NAMES
    assert body["roles"] == {
        "closed": "Encerrado",
        "reopened": "Reaberto",
        "waiting": "Aguardando cliente",
        "acting": "Em atendimento",
    }
    assert body["erp_names"]["Em atendimento"] == ["Em andamento"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"names": ["Aberto", "aberto"], "roles": {}}, "names[1]"),
        ({"names": ["Em curso"], "roles": {}}, "names"),
        ({"names": ["Aberto", ""], "roles": {}}, "names[1]"),
        (
            {"names": ["Aberto", "Fim"], "roles": {"closed": "Fim", "reopened": "Aberto", "waiting": "x"}},
            "roles.waiting",
        ),
        ({"names": ["Aberto"], "roles": "Aberto"}, "roles"),
    ],
)
def test_a_wrong_list_is_refused_naming_the_field(admin, body, field):
    assert_error(call("PUT", "/admin/statuses", body=body), 422, "invalid", field)


ROLES = {
    "closed": "Encerrado",
    "reopened": "Reaberto",
    "waiting": "Aguardando cliente",
    "acting": "Em atendimento",
}


@pytest.mark.parametrize(
    ("roles", "field", "named"),
    [
        # What the console's rename bug once saved: every role on the new-ticket status.
        (dict.fromkeys(ROLES, "Aberto"), "roles.closed", "Encerrado"),
        ({**ROLES, "closed": "Aberto"}, "roles.closed", "Encerrado"),
        ({**ROLES, "acting": "Aguardando cliente"}, "roles.acting", "A equipe precisa agir"),
        ({**ROLES, "waiting": "Pendente"}, "roles.waiting", "Aguardando o cliente"),
    ],
)
def test_a_role_set_that_cannot_work_is_refused_naming_the_role(admin, roles, field, named):
    body = {"names": DEFAULT_NAMES, "roles": roles}
    response = call("PUT", "/admin/statuses", body=body)
    assert_error(response, 422, "invalid", field)
    assert f"Função “{named}”" in response[1]["message"]
    assert call("GET", "/admin/statuses")[1]["roles"] == ROLES  # nothing saved


def test_an_admin_saves_a_list_and_answers_only_take_its_statuses(admin):
    roles = {
        "closed": "Concluído",
        "reopened": "Reaberto",
        "waiting": "Pendente cliente",
        "acting": "Com a equipe",
    }
    saved = {
        "names": ["Aberto", "Com a equipe", "Pendente cliente", "Concluído", "Reaberto"],
        "roles": roles,
        "erp_names": {"Com a equipe": ["Em andamento"]},
    }
    status, body = call("PUT", "/admin/statuses", body=saved)
    assert status == 200 and body["roles"] == roles
    assert call("GET", "/admin/statuses")[1]["names"] == saved["names"]

    make_ticket(501)
    assert_error(
        call("POST", "/admin/tickets/501/actions", body={"status": "Emm atendimentoo"}),
        422,
        "invalid",
        "status",
    )
    assert status_of(501) == "Aberto"
    # Case and accents do not matter: the list's spelling is what the ticket gets.
    status, action = call("POST", "/admin/tickets/501/actions", body={"status": "  PENDENTE cliente"})
    assert status == 201 and action["status"] == "Pendente cliente"
    assert status_of(501) == "Pendente cliente"


def test_the_status_filter_ignores_case_and_accents(admin):
    make_ticket(601, status="Aguardando cliente")
    make_ticket(602, status="Em atendimento")
    make_ticket(603, status="aguardando CLIENTE")  # written so by an older version
    # What the stats consumer counts from the table stream (not running here).
    for status, count in (("Aguardando cliente", 1), ("Em atendimento", 1), ("aguardando CLIENTE", 1)):
        StatusCount(pk="TICKETSTATUS", sk=status, status=status, tickets=count).save()
    status, body = call("GET", "/admin/tickets", query={"status": "AGUARDANDO clíente"})
    assert status == 200 and [t["number"] for t in body["items"]] == [603, 601]


def test_a_requesters_reply_moves_a_waiting_ticket_to_the_team(admin):
    make_ticket(701, phone="5511977001122", status="Aguardando cliente")
    make_ticket(702, phone="5511977001122", status="Resolvido")
    for number in (701, 702):
        ticket_actions.post_action(
            Services(),
            number,
            author_kind="requester",
            author_name="Pessoa",
            text="Segue o print.",
            source="portal",
        )
    assert status_of(701) == "Em atendimento"
    assert status_of(702) == "Resolvido"  # only the waiting status moves


def test_the_erps_statuses_are_mapped_and_an_unknown_one_is_refused(admin, erp_app):
    make_ticket(801)
    event = {"event_id": "erp-801-1", "type": "ticket.status_changed", "ticket_number": 801}
    status, body = erp_app.post({**event, "status": "EM ANDAMENTO"})  # the ERP's name for it
    assert status == 200 and status_of(801) == "Em atendimento"
    status, body = erp_app.post({**event, "event_id": "erp-801-2", "status": "aguardando cliente"})
    assert status == 200 and status_of(801) == "Aguardando cliente"
    status, body = erp_app.post({**event, "event_id": "erp-801-3", "status": "Emm atendimentoo"})
    assert status == 422 and body["field"] == "status" and "Em atendimento" in body["message"]
    assert status_of(801) == "Aguardando cliente"
