"""Admin API for the knowledge base (issue 31): articles and the synonyms list. Same conventions as
admin_api (errors, auth); documented in docs/openapi.yaml."""

from __future__ import annotations

from datetime import date, timedelta

import admin_api
from admin_api import ADMIN_ONLY
from msgspec.structs import asdict

from helpdesk.api.http import Router
from helpdesk.api.requests import json_object, json_value, text_field
from helpdesk.api.responses import created, no_content
from helpdesk.domain.hours import ZONE
from helpdesk.domain.knowledge.articles import as_dict
from helpdesk.domain.knowledge.synonyms import to_lines
from helpdesk.logic.admin import knowledge
from helpdesk.logic.admin.errors import InvalidInput
from helpdesk.texts.fields import field_label

router = Router()
DEFAULT_DAYS = 30


@router.get("/admin/articles", middlewares=ADMIN_ONLY)
def list_articles():
    query = router.current_event.get_query_string_value
    found = knowledge.list_articles(query("q", None), query("status", None))
    return {"items": [as_dict(article) for article in found]}


@router.post("/admin/articles", middlewares=ADMIN_ONLY)
def create_article():
    article = knowledge.create_article(admin_api.services(), json_value(router.current_event))
    return created(as_dict(article))


@router.get("/admin/articles/<article_id>", middlewares=ADMIN_ONLY)
def get_article(article_id: str):
    return as_dict(knowledge.get_article(article_id))


@router.put("/admin/articles/<article_id>", middlewares=ADMIN_ONLY)
def update_article(article_id: str):
    article = knowledge.update_article(admin_api.services(), article_id, json_value(router.current_event))
    return as_dict(article)


@router.delete("/admin/articles/<article_id>", middlewares=ADMIN_ONLY)
def delete_article(article_id: str):
    knowledge.delete_article(article_id)
    return no_content()


@router.get("/admin/knowledge/synonyms", middlewares=ADMIN_ONLY)
def get_synonyms():
    groups = knowledge.get_synonyms().groups
    return {"groups": [list(g) for g in groups], "text": to_lines(groups)}


@router.put("/admin/knowledge/synonyms", middlewares=ADMIN_ONLY)
def put_synonyms():
    body = json_object(router.current_event, optional=False)
    groups = knowledge.save_synonyms(admin_api.services(), text_field(body, "text", required=True)).groups
    return {"groups": [list(g) for g in groups], "text": to_lines(groups)}


@router.get("/admin/knowledge/figures", middlewares=ADMIN_ONLY)
def knowledge_figures():
    """The dashboard's "resolvidos sem atendimento": offers, deflections and per-article counts."""
    query = router.current_event.get_query_string_value
    today = admin_api.services().clock().astimezone(ZONE).date()
    until = _day(query("to", None), today, "to")
    since = _day(query("from", None), until - timedelta(days=DEFAULT_DAYS - 1), "from")
    found = knowledge.figures(since, until)
    return {
        "from": found.since.isoformat(),
        "to": found.until.isoformat(),
        "offers": found.offers,
        "resolved": found.resolved,
        "declined": found.declined,
        "deflection_rate": found.deflection_rate,
        "resolved_per_day": found.per_day,
        "articles": [asdict(row) for row in found.articles],
    }


def _day(raw: str | None, default: date, name: str) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{field_label(name)}: informe uma data (AAAA-MM-DD).", name) from None
