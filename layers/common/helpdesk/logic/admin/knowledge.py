"""The knowledge base as the console manages it: articles (list, search, create, edit, publish,
delete) and the synonyms list. The ERP's `article.upserted` / `article.deleted` come through
`apply_erp_article`."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from helpdesk.domain.hours import ZONE
from helpdesk.domain.knowledge import Article, index
from helpdesk.domain.knowledge.articles import InvalidArticle, checked, merged
from helpdesk.domain.knowledge.synonyms import InvalidSynonyms, parse_lines
from helpdesk.domain.text import fold
from helpdesk.logic.admin.errors import InvalidInput, NotFound
from helpdesk.logic.services import Services
from helpdesk.storage import knowledge, offers

NOT_FOUND = "Artigo não encontrado."


def list_articles(query: str | None = None, status: str | None = None) -> list[Article]:
    """Every article (newest change first); `query` ranks them as the bot would (drafts too)
    when it finds any, else filters by words of the title; `status` is published or draft."""
    articles = knowledge.list_articles()
    if status in ("published", "draft"):
        articles = [a for a in articles if a.published == (status == "published")]
    if not query or not query.strip():
        return articles
    everyone = [replace(a, published=True, cnpjs=(), request_type=None) for a in articles]
    by_id = {a.id: a for a in articles}
    ranked = index(everyone, knowledge.synonyms()).search(query, limit=50)
    if ranked:
        return [by_id[hit.article.id] for hit in ranked]
    wanted = fold(query)
    return [a for a in articles if wanted in fold(a.title) or any(wanted in fold(k) for k in a.keywords)]


def get_article(article_id: str) -> Article:
    article = knowledge.get_article(article_id)
    if article is None:
        raise NotFound(NOT_FOUND, "id")
    return article


def create_article(services: Services, raw: Any) -> Article:
    article_id = uuid.uuid4().hex[:12]
    try:
        article = checked(raw, article_id, default_published=False)
    except InvalidArticle as error:
        raise InvalidInput(error.message, error.field) from None
    return knowledge.put_article(article, services.clock())


def update_article(services: Services, article_id: str, raw: Any) -> Article:
    current = get_article(article_id)
    try:
        article = merged(current, raw)
    except InvalidArticle as error:
        raise InvalidInput(error.message, error.field) from None
    return knowledge.put_article(article, services.clock())


def delete_article(article_id: str) -> None:
    if not knowledge.delete_article(article_id):
        raise NotFound(NOT_FOUND, "id")


class SynonymsList(Struct, frozen=True):
    groups: tuple[tuple[str, ...], ...]


def get_synonyms() -> SynonymsList:
    return SynonymsList(knowledge.synonyms())


def save_synonyms(services: Services, text: str) -> SynonymsList:
    """The console's text box (a group a line, phrases separated by commas)."""
    try:
        groups = parse_lines(text)
    except InvalidSynonyms as error:
        raise InvalidInput(error.message, "synonyms") from None
    knowledge.save_synonyms(groups, services.clock())
    return SynonymsList(groups)


# --- the dashboard's figures -------------------------------------------------------------------


class ArticleFigures(Struct, frozen=True):
    id: str
    title: str
    offered: int = 0
    opened: int = 0
    resolved: int = 0


class KnowledgeFigures(Struct, frozen=True):
    since: date
    until: date
    offers: int  # questions that got articles
    resolved: int  # "resolvidos sem atendimento": no ticket opened
    declined: int  # the ticket opened anyway
    per_day: dict[str, int]  # resolved per day (São Paulo), every day of the period
    articles: list[ArticleFigures]

    @property
    def deflection_rate(self) -> float | None:
        """Avoided / (avoided + opened anyway): an offer nobody answered yet decided nothing."""
        answered = self.resolved + self.declined
        return round(self.resolved / answered, 4) if answered else None


def figures(since: date, until: date) -> KnowledgeFigures:
    """Offers made from `since` to `until` (São Paulo days, both included), by outcome and article."""
    if until < since:
        raise InvalidInput("Período inválido: a data final vem antes da inicial.", "to")
    start = datetime.combine(since, time.min, ZONE).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, ZONE).astimezone(UTC)
    made = [o for o in offers.since(start.isoformat()) if o.offered_at < end.isoformat()]
    per_day = {(since + timedelta(days=n)).isoformat(): 0 for n in range((until - since).days + 1)}
    counts: dict[str, dict[str, Any]] = {}
    for offer in made:
        resolved = offer.outcome == "resolved"
        if resolved:
            day = datetime.fromisoformat(offer.offered_at).astimezone(ZONE).date().isoformat()
            per_day[day] = per_day.get(day, 0) + 1
        for article in offer.articles:
            row = counts.setdefault(
                article.id, {"title": article.title, "offered": 0, "opened": 0, "resolved": 0}
            )
            row["offered"] += 1
            row["opened"] += int(article.opened)
            row["resolved"] += int(resolved and article.opened)
    rows = [ArticleFigures(article_id, **row) for article_id, row in counts.items()]
    rows.sort(key=lambda r: (-r.resolved, -r.offered, r.title))
    return KnowledgeFigures(
        since=since,
        until=until,
        offers=len(made),
        resolved=sum(o.outcome == "resolved" for o in made),
        declined=sum(o.outcome == "declined" for o in made),
        per_day=per_day,
        articles=rows,
    )
