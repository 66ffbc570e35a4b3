"""The knowledge base's admin routes and ERP events over moto (table from template.yaml); their
authorization is checked with every admin route's in test_admin_api."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pynamodb.exceptions import QueryError

from helpdesk.domain.step_data import OfferedArticle
from helpdesk.logic import erp_outbound
from helpdesk.storage import knowledge, offers
from helpdesk.storage.conversations import get_conversation
from helpdesk.storage.models import Item
from helpdesk.storage.tickets import ticket_pk
from helpdesk.storage.transaction import TurnWrite
from local.seed import seed_demo_articles
from local.testing.whatsapp import MARIA
from tests.integration.erp_fixtures import erp_app  # noqa: F401  (fixture)
from tests.integration.test_admin_api import ADMIN, assert_error, call, gateway  # noqa: F401  (fixture)

ARTICLE = {
    "title": "Como emitir a 2ª via do boleto",
    "body": "Acesse o *Portal do Cliente* e clique em _Financeiro > Faturas_.",
    "keywords": ["boleto", "segunda via"],
}


def test_an_article_is_created_as_a_draft_edited_published_and_deleted(gateway):  # noqa: F811
    status, created = call("POST", "/admin/articles", body=ARTICLE)
    assert status == 201, created
    assert (created["published"], created["cnpjs"], created["request_type"]) == (False, [], None)
    assert created["updated_at"]
    article_id = created["id"]

    status, edited = call(
        "PUT",
        f"/admin/articles/{article_id}",
        body={"published": True, "cnpjs": ["11.222.333/0001-81"], "request_type": "Dúvida"},
    )
    assert status == 200, edited
    assert (edited["published"], edited["cnpjs"], edited["title"]) == (
        True,
        ["11222333000181"],
        ARTICLE["title"],
    )
    assert call("GET", f"/admin/articles/{article_id}")[1]["published"] is True

    status, listed = call("GET", "/admin/articles", query={"q": "segunda via boleto"})
    assert [item["id"] for item in listed["items"]] == [article_id]
    assert call("GET", "/admin/articles", query={"status": "draft"})[1]["items"] == []

    assert call("DELETE", f"/admin/articles/{article_id}")[0] == 204
    assert_error(call("GET", f"/admin/articles/{article_id}"), 404, "not_found")
    assert_error(call("DELETE", f"/admin/articles/{article_id}"), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**ARTICLE, "title": " "}, "title", "Preencha o campo Título."),
        ({**ARTICLE, "body": "x" * 3001}, "body", "O campo Texto aceita até 3000 caracteres (tem 3001)."),
        (
            {**ARTICLE, "cnpjs": ["11.222.333/0001-00"]},
            "cnpjs",
            "Empresas: CNPJ inválido: 11.222.333/0001-00.",
        ),
        ({**ARTICLE, "body": "Ligue para a Ana: (11) 98765-4321"}, "body", None),
        ({**ARTICLE, "published": "sim"}, "published", "Publicado: informe verdadeiro ou falso."),
    ],
)
def test_invalid_articles_are_refused_in_portuguese_naming_the_field(gateway, body, field, message):  # noqa: F811
    status, answer = call("POST", "/admin/articles", body=body)
    assert (status, answer["field"]) == (422, field), answer
    if message:
        assert answer["message"] == message
    assert knowledge.list_articles() == []


def test_the_synonyms_list_is_edited_as_lines(gateway):  # noqa: F811
    status, current = call("GET", "/admin/knowledge/synonyms")
    assert status == 200 and "boleto" in current["text"]
    status, saved = call("PUT", "/admin/knowledge/synonyms", body={"text": "boleto, fatura\nsenha, password"})
    assert (status, saved["groups"]) == (200, [["boleto", "fatura"], ["senha", "password"]])
    assert_error(
        call("PUT", "/admin/knowledge/synonyms", body={"text": "boleto"}), 422, "invalid", "synonyms"
    )


def test_erp_article_events_upsert_and_delete_once(erp_app):  # noqa: F811
    upsert = {
        "event_id": "kb-1",
        "type": "article.upserted",
        "article_id": "erp-boleto",
        "article": {**ARTICLE, "keywords": "boleto, fatura"},
    }
    assert erp_app.post(upsert) == (200, {"event_id": "kb-1", "result": "applied"})
    [article] = knowledge.list_articles()
    assert (article.id, article.published, article.keywords) == ("erp-boleto", True, ("boleto", "fatura"))
    assert knowledge.search_index().search("segunda via do boleto")[0].article.id == "erp-boleto"

    changed = {**upsert, "article": {**ARTICLE, "title": "Outro título"}}
    assert erp_app.post(changed)[1]["result"] == "applied"  # a redelivery of kb-1: the first result
    assert knowledge.get_article("erp-boleto").title == ARTICLE["title"]

    deleted = {"event_id": "kb-2", "type": "article.deleted", "article_id": "erp-boleto"}
    assert erp_app.post(deleted) == (200, {"event_id": "kb-2", "result": "applied"})
    assert erp_app.post({**deleted, "event_id": "kb-3"}) == (200, {"event_id": "kb-3", "result": "absent"})
    assert knowledge.list_articles() == []


def test_erp_article_events_are_checked_like_the_consoles(erp_app):  # noqa: F811
    status, body = erp_app.post(
        {"event_id": "kb-9", "type": "article.upserted", "article_id": "x", "article": {"title": "T"}}
    )
    assert status == 422 and body["field"] == "article.body", body
    status, body = erp_app.post({"event_id": "kb-10", "type": "article.upserted", "article_id": "x"})
    assert status == 422 and body["field"] == "article", body
    assert json.dumps(body)


def offered(phone: str, at: str, outcome: str, *articles: tuple[str, bool]) -> None:
    write = TurnWrite()
    chosen = tuple(
        OfferedArticle(article_id, f"Artigo {article_id}", opened) for article_id, opened in articles
    )
    offers.record(
        write,
        phone=phone,
        instance="suporte",
        offered_at=at,
        cnpj="11222333000181",
        articles=chosen,
        outcome=outcome,
        now=datetime.now(UTC),
    )
    write.commit()


def test_a_requesters_offers_are_exported_and_erased_with_them(gateway):  # noqa: F811
    phone, other = "5511987654321", "5511912345678"
    offered(phone, "2026-12-01T10:00:00+00:00", "resolved", ("boleto", True))
    offered(other, "2026-12-01T11:00:00+00:00", "declined", ("boleto", False))
    status, document = call("GET", f"/admin/requesters/{phone}/export")
    assert status == 200, document
    [offer] = document["knowledge_offers"]
    assert (offer["outcome"], offer["articles"][0]["id"], offer["articles"][0]["opened"]) == (
        "resolved",
        "boleto",
        True,
    )

    status, result = call("POST", f"/admin/requesters/{phone}/erase", body={"confirm": phone})
    assert (status, result["erased"]) == (200, True)
    assert offers.of_requester(phone) == []
    assert len(offers.of_requester(other)) == 1  # someone else's stay


def test_the_dashboard_counts_deflections_per_period_and_article(gateway):  # noqa: F811
    offered("5511900000001", "2026-12-01T13:00:00+00:00", "resolved", ("boleto", True), ("senha", False))
    offered("5511900000002", "2026-12-01T14:00:00+00:00", "declined", ("boleto", True))
    offered("5511900000003", "2026-12-02T02:30:00+00:00", "resolved", ("senha", True))  # 1st, São Paulo
    offered("5511900000004", "2026-12-02T15:00:00+00:00", "offered", ("boleto", False))
    offered("5511900000005", "2026-12-05T15:00:00+00:00", "resolved", ("boleto", True))  # after the period
    status, board = call("GET", "/admin/knowledge/figures", query={"from": "2026-12-01", "to": "2026-12-02"})
    assert status == 200, board
    assert (board["offers"], board["resolved"], board["declined"]) == (4, 2, 1)
    assert board["deflection_rate"] == 0.6667  # 2 avoided of 3 answered: the unanswered offer decides nothing
    assert board["resolved_per_day"] == {"2026-12-01": 2, "2026-12-02": 0}
    rows = {row["id"]: (row["offered"], row["opened"], row["resolved"]) for row in board["articles"]}
    assert rows == {"boleto": (3, 2, 1), "senha": (2, 1, 1)}
    assert_error(call("GET", "/admin/knowledge/figures", query={"from": "ontem"}), 422, "invalid", "from")


def test_a_deflection_on_whatsapp_keeps_the_draft_for_a_day_and_records_the_offer(processor, maria):
    seed_demo_articles()
    maria.register()
    maria.says("0")
    maria.says("Boleto vencido")
    maria.says("1")
    assert "Antes de abrir" in " ".join(maria.says("preciso da segunda via do boleto"))
    maria.says("1")
    assert "Não abri o atendimento" in " ".join(maria.says("sim"))
    conversation = get_conversation(MARIA)
    assert conversation.state["step"] == "kb_resolved"
    # The conversation item, and the draft in it, expire a day after the last message (table TTL).
    kept = conversation.expires_at - conversation.last_activity  # TTL in whole seconds
    assert timedelta(hours=24) - timedelta(seconds=1) < kept <= timedelta(hours=24)
    [offer] = offers.of_requester(MARIA)
    assert (offer.outcome, offer.articles[0].id, offer.articles[0].opened) == (
        "resolved",
        "boleto-2via",
        True,
    )
    assert Item.count(ticket_pk(1)) == 0  # no ticket


def test_ticket_created_tells_the_erp_what_was_offered_first(aws):
    offered = [{"id": "boleto-2via", "title": "Como emitir a 2ª via do boleto", "opened": True}]
    image = {"entity": "ticket", "number": 1042, "title": "Boleto", "offered_articles": json.dumps(offered)}
    event = erp_outbound._event_of(image, [])
    assert event is not None and event["data"]["offered_articles"] == offered
    assert "offered_articles" not in erp_outbound._event_of({**image, "offered_articles": None}, [])["data"]


def test_an_unreadable_knowledge_base_offers_nothing_and_the_turn_goes_on(processor, maria, monkeypatch):
    seed_demo_articles()
    maria.register()
    maria.says("0")
    maria.says("Boleto vencido")
    maria.says("1")

    def unreadable(*args, **kwargs):
        raise QueryError("throttled")

    monkeypatch.setattr(knowledge, "_read_all", unreadable)
    replies = " ".join(maria.says("preciso da segunda via do boleto"))
    assert "Antes de abrir" not in replies and "*Fim*" in replies
