"""Knowledge-base suggestions in the portal's new-ticket form, over moto: the bot's search for the
requester's own company and type, "Isso resolveu?" yes counted as a deflection, a ticket opened
with suggestions on screen recording them (on the ticket and as a declined offer); the console's
dashboard figures count them as the bot's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from helpdesk.domain.knowledge import Article
from helpdesk.logic import portal
from helpdesk.logic.admin import knowledge as admin_knowledge
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, knowledge, offers, tickets
from tests.integration.erp_fixtures import CNPJ, seed_ticket
from tests.integration.portal_fixtures import Browser, call, make_requester

OTHER_CNPJ = "11444777000161"
NOW = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)  # 23:30 on the 6th in São Paulo


def at(now: datetime) -> Services:
    return Services(clock=lambda: now)


@pytest.fixture
def seeded(aws):
    seeded = seed_ticket()
    catalog.create_request_type(
        catalog.new_request_type(type_id="fin", name="Financeiro", kind="synthetic", whatsapp=True)
    )
    for article in (
        Article(
            "boleto",
            "Como emitir a segunda via do boleto",
            "Acesse *Financeiro > Boletos*.",
            ("boleto", "segunda via"),
        ),
        Article(
            "excel", "Como exportar relatórios para o Excel", "Clique em _Exportar_.", ("excel", "planilha")
        ),
        Article(
            "alheio",
            "Segunda via do boleto da Outra",
            "Só para a outra empresa.",
            ("boleto",),
            cnpjs=(OTHER_CNPJ,),
        ),
        Article("rascunho", "Boleto vencido: segunda via", "Ainda em revisão.", ("boleto",), published=False),
    ):
        knowledge.put_article(article, NOW)
    return seeded


def test_suggestions_are_the_bots_for_the_requesters_company_and_type(seeded):
    found = portal.suggest(seeded.phone, CNPJ, "fin", "Preciso da segunda via do boleto")
    assert [a.id for a in found] == ["boleto"]  # not the other company's, nor the draft
    assert portal.suggest(seeded.phone, CNPJ, None, "exportar planilha pro excel")[0].id == "excel"
    assert portal.suggest(seeded.phone, CNPJ, None, "o forno da padaria quebrou") == []
    assert portal.suggest(seeded.phone, CNPJ, None, "boleto") == []  # too little typed yet
    assert portal.suggest(seeded.phone, OTHER_CNPJ, None, "segunda via do boleto") == []  # not theirs


def test_yes_counts_a_deflection_and_a_ticket_opened_after_suggestions_records_them(seeded):
    shown = [{"id": "boleto", "opened": True}, {"id": "excel"}, {"id": "alheio", "opened": True}]
    with pytest.raises(portal.InvalidAction, match="Abra a sugestão"):
        portal.resolved(at(NOW), seeded.phone, CNPJ, [{"id": "boleto"}])
    assert portal.resolved(at(NOW), seeded.phone, CNPJ, shown) == 2  # another company's is dropped

    later = NOW + timedelta(hours=1)  # 00:30 on the 7th in São Paulo
    ticket = portal.open_ticket(
        at(later),
        seeded.phone,
        cnpj=CNPJ,
        title="Boleto não aparece",
        type_id="fin",
        description="Não achei a segunda via.",
        offered=portal.offered_from([{"id": "boleto", "opened": True}, {"id": "nada"}], CNPJ),
    )
    assert tickets.get_ticket(ticket.number).offered_articles == [
        {"id": "boleto", "title": "Como emitir a segunda via do boleto", "opened": True}
    ]
    recorded = offers.of_requester(seeded.phone)
    assert [(o.outcome, [a.id for a in o.articles]) for o in recorded] == [
        ("resolved", ["boleto", "excel"]),
        ("declined", ["boleto"]),
    ]

    # The dashboard's figures count the portal's as the bot's, on São Paulo days.
    figures = admin_knowledge.figures(date(2026, 12, 1), date(2026, 12, 7))
    assert (figures.offers, figures.resolved, figures.declined) == (2, 1, 1)
    assert (figures.per_day["2026-12-06"], figures.per_day["2026-12-07"]) == (1, 0)
    by_id = {a.id: (a.offered, a.opened, a.resolved) for a in figures.articles}
    assert by_id == {"boleto": (2, 2, 1), "excel": (1, 0, 0)}


def test_the_routes_need_a_session_and_answer_as_the_page_reads_them(seeded):
    assert call("GET", f"/portal/api/articles?cnpj={CNPJ}&q=segunda+via+do+boleto").status == 401
    person = make_requester("5511933330003", "Carla Dias")
    browser = Browser()
    assert browser.login(person.phone, person.password).status == 200
    reply = browser.get(f"/portal/api/articles?cnpj={CNPJ}&type=fin&q=segunda+via+do+boleto")
    assert reply.status == 200 and [a["id"] for a in reply.json()["items"]] == ["boleto"]
    assert set(reply.json()["items"][0]) == {"id", "title", "body"}
    shown = {"cnpj": CNPJ, "offered_articles": [{"id": "boleto", "opened": True}]}
    assert call("POST", "/portal/api/articles/resolved", body=shown, cookies=browser.cookies).status == 403
    assert browser.post("/portal/api/articles/resolved", shown).status == 201
    assert [o.outcome for o in offers.of_requester(person.phone)] == ["resolved"]
