"""Knowledge-base articles in the portal's new-ticket form (issue 31), counted as on WhatsApp.

As the subject and description are typed the page asks for suggestions: the same search and
threshold as the bot (`storage.knowledge.search_index`, at most three), over the published
articles for the company chosen (one of the requester's served ones) and the request type.
"Isso resolveu?" yes: no ticket, one `resolved` offer record (a deflection); a ticket opened with
suggestions on screen records them on the ticket and one `declined` offer record, in the ticket's
own write (`opening`). Suggestions shown and then left alone (the page closed) record nothing: the
portal cannot tell that apart from someone still reading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from helpdesk.domain.knowledge import Article
from helpdesk.domain.step_data import OfferedArticle
from helpdesk.logic.portal.posting import InvalidAction
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, knowledge, offers, phones
from helpdesk.storage.transaction import TurnWrite

MIN_QUESTION_CHARS = 8  # fewer typed characters: nothing to search yet
MAX_QUESTION_CHARS = 4000


def _type_name(type_id: str | None) -> str | None:
    """The bot's type of that id; None ("Outro", or unknown): every type's articles."""
    if not type_id:
        return None
    return next((kind.name for kind in catalog.whatsapp_request_types() if kind.id == type_id), None)


def _served(phone: str, cnpj: str) -> bool:
    links = phones.load_phone(phone).links
    return any(link.cnpj == cnpj and link.company_active is not False for link in links)


def suggest(phone: str, cnpj: str, type_id: str | None, text: str) -> list[Article]:
    """At most three articles for what is typed, as the bot would offer them; none for a company
    that is not the requester's."""
    text = text.strip()[:MAX_QUESTION_CHARS]
    if len(text) < MIN_QUESTION_CHARS or not _served(phone, cnpj):
        return []
    hits = knowledge.search_index().search(text, cnpj=cnpj, request_type=_type_name(type_id))
    return [hit.article for hit in hits]


def offered_from(raw: Any, cnpj: str) -> tuple[OfferedArticle, ...]:
    """The suggestions the page says it showed ([{id, opened}], at most three): only published
    articles for that company, titled as stored (the page's words are not taken)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > 3 or not all(isinstance(item, dict) for item in raw):
        raise InvalidAction("Sugestões inválidas.")
    found = knowledge.search_index()
    offered: dict[str, OfferedArticle] = {}
    for item in raw:
        article = found.article(str(item.get("id", "")))
        if article is not None and article.applies(cnpj, None):
            offered[article.id] = OfferedArticle(article.id, article.title, item.get("opened") is True)
    return tuple(offered.values())


def record(
    write: TurnWrite,
    phone: str,
    instance: str,
    cnpj: str,
    offered: Sequence[OfferedArticle],
    outcome: str,
    services: Services,
) -> None:
    """One offer record, as the bot's (storage.offers): `resolved` or `declined`."""
    now = services.clock()
    offers.record(
        write,
        phone=phone,
        instance=instance,
        offered_at=now.isoformat(),
        cnpj=cnpj,
        articles=tuple(offered),
        outcome=outcome,
        now=now,
    )


def resolved(services: Services, phone: str, cnpj: str, raw: Any) -> int:
    """ "Isso resolveu?" yes: a deflection (no ticket); how many articles it records."""
    if not _served(phone, cnpj):
        raise InvalidAction("Escolha uma das suas empresas atendidas.")
    offered = offered_from(raw, cnpj)
    if not any(article.opened for article in offered):
        raise InvalidAction("Abra a sugestão que resolveu antes de confirmar.")
    requester = phones.load_phone(phone).requester
    write = TurnWrite()
    record(
        write, phone, (requester.instance if requester else None) or "", cnpj, offered, "resolved", services
    )
    write.commit()
    return len(offered)
