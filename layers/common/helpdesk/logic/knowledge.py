"""The knowledge base outside the console: the ERP's article events, and what the bot and the
portal search (the per-container index of storage.knowledge)."""

from __future__ import annotations

from typing import Any

from helpdesk.domain.knowledge.articles import checked
from helpdesk.logic.services import Services
from helpdesk.storage import knowledge


def apply_erp_article(services: Services, kind: str, article_id: str, raw: Any) -> str:
    """`article.upserted` (the whole article, published unless it says otherwise) or
    `article.deleted`; "applied" or, for a delete of nothing, "absent". A redelivery is stopped
    before this by the ERP events' idempotency; applying the same upsert twice changes nothing."""
    if kind == "article.deleted":
        return "applied" if knowledge.delete_article(article_id) else "absent"
    article = checked(raw, article_id, default_published=True)
    knowledge.put_article(article, services.clock(), source="erp")
    return "applied"
