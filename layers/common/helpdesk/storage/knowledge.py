"""The knowledge base's articles and synonyms: one partition (pk KB), so one Query reads them all.

| entity      | pk | sk              |
|-------------|----|-----------------|
| kb_article  | KB | ARTICLE#<id>    |
| kb_synonyms | KB | SYNONYMS        |

A container keeps the search index of what it read for a minute (`search_index`), like the
managed statuses: only a turn that searches reads, at most once a minute; the index is built again
only when an article or the synonyms changed (their `updated_at`s)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError, PynamoDBException

from helpdesk import caches
from helpdesk.storage.models import Item
from helpdesk.storage.transaction import condition_failed

# The knowledge base's domain (its search index, the default synonyms) is imported where it is
# used: the processor's turns load it when one searches, not at every cold start.
if TYPE_CHECKING:
    from helpdesk.domain.knowledge import Article, SearchIndex

logger = Logger(child=True)
PARTITION = "KB"
ARTICLE_PREFIX = "ARTICLE#"
SYNONYMS_SK = "SYNONYMS"
_TTL = 60.0


class KbArticle(Item, discriminator="kb_article"):
    article_id = UnicodeAttribute()
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    keywords = ListAttribute(of=UnicodeAttribute, null=True)
    request_type = UnicodeAttribute(null=True)
    cnpjs = ListAttribute(of=UnicodeAttribute, null=True)
    published = BooleanAttribute(default=False)
    source = UnicodeAttribute(default="console")  # console | erp
    updated_at = UTCDateTimeAttribute()


class KbSynonyms(Item, discriminator="kb_synonyms"):
    groups = JSONAttribute()  # [[phrase, ...], ...]
    updated_at = UTCDateTimeAttribute()


def _article(item: KbArticle) -> Article:
    from helpdesk.domain.knowledge import Article

    return Article(
        id=item.article_id,
        title=item.title,
        body=item.body,
        keywords=tuple(str(k) for k in item.keywords or ()),
        request_type=item.request_type,
        cnpjs=tuple(str(c) for c in item.cnpjs or ()),
        published=bool(item.published),
        updated_at=item.updated_at,
    )


def _read_all() -> tuple[list[Article], tuple[tuple[str, ...], ...] | None, datetime | None]:
    articles: list[Article] = []
    groups, synonyms_at = None, None
    for item in Item.query(PARTITION):
        if isinstance(item, KbArticle):
            articles.append(_article(item))
        elif isinstance(item, KbSynonyms):
            groups = tuple(tuple(str(p) for p in group) for group in item.groups)
            synonyms_at = item.updated_at
    return articles, groups, synonyms_at


def list_articles() -> list[Article]:
    """Every article, drafts too, most recently changed first."""
    found = _read_all()[0]
    return sorted(found, key=lambda a: a.updated_at or datetime.min.replace(tzinfo=UTC), reverse=True)


def get_article(article_id: str) -> Article | None:
    try:
        return _article(KbArticle.get(PARTITION, ARTICLE_PREFIX + article_id))
    except KbArticle.DoesNotExist:
        return None


def put_article(article: Article, now: datetime, source: str = "console") -> Article:
    item = KbArticle(
        pk=PARTITION,
        sk=ARTICLE_PREFIX + article.id,
        article_id=article.id,
        title=article.title,
        body=article.body,
        keywords=list(article.keywords) or None,
        request_type=article.request_type,
        cnpjs=list(article.cnpjs) or None,
        published=article.published,
        source=source,
        updated_at=now,
    )
    item.save()
    forget()
    return _article(item)


def delete_article(article_id: str) -> bool:
    """Whether there was one to delete."""
    try:
        KbArticle(pk=PARTITION, sk=ARTICLE_PREFIX + article_id).delete(condition=KbArticle.pk.exists())
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    forget()
    return True


def synonyms() -> tuple[tuple[str, ...], ...]:
    """The admins' list, or the defaults until one is saved."""
    try:
        item = KbSynonyms.get(PARTITION, SYNONYMS_SK)
    except KbSynonyms.DoesNotExist:
        from helpdesk.domain.knowledge.synonyms import DEFAULT_SYNONYMS

        return DEFAULT_SYNONYMS
    return tuple(tuple(str(p) for p in group) for group in item.groups)


def save_synonyms(groups: tuple[tuple[str, ...], ...], now: datetime) -> None:
    KbSynonyms(pk=PARTITION, sk=SYNONYMS_SK, groups=[list(g) for g in groups], updated_at=now).save()
    forget()


# --- the per-container index -------------------------------------------------------------------

_cache: tuple[float, tuple, SearchIndex] | None = None


def search_index() -> SearchIndex:
    """The published articles' index: read at most once a minute, rebuilt only when they changed."""
    global _cache
    if _cache and time.monotonic() - _cache[0] < _TTL:
        return _cache[2]
    from helpdesk.domain.knowledge import index
    from helpdesk.domain.knowledge.synonyms import DEFAULT_SYNONYMS

    articles, groups, synonyms_at = _read_all()
    version = (synonyms_at, tuple(sorted((a.id, a.updated_at, a.published) for a in articles)))
    if _cache and _cache[1] == version:
        _cache = (time.monotonic(), version, _cache[2])
    else:
        _cache = (time.monotonic(), version, index(articles, DEFAULT_SYNONYMS if groups is None else groups))
    return _cache[2]


class ArticleReads:
    """What the dialog context reads of the knowledge base (mixed into storage.phones')."""

    def articles(self) -> SearchIndex:
        """The index; an empty one when the table cannot be read now (the ticket opens as if no
        article scored: a failed read must not hold the requester's turn back)."""
        try:
            return search_index()
        except PynamoDBException:
            logger.warning("knowledge base unreadable: nothing offered this turn", exc_info=True)
            from helpdesk.domain.knowledge import index

            return index([])


@caches.register
def forget() -> None:
    global _cache
    _cache = None
