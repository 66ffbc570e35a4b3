"""Articles offered before a ticket (the knowledge base's deflection records), one item per offer:

| entity   | pk                  | sk            | gsi1 (pk / sk)                     |
|----------|---------------------|---------------|------------------------------------|
| kb_offer | KBOFFER#<phone>     | <offered at>  | KBOFFERS / <offered at>#<phone>    |

The turn that offers writes it (`offered`), the turn that settles it writes it again with the
outcome (`resolved`: no ticket, a deflection; `declined`). The dashboard reads a period of the
gsi1 partition in one Query; LGPD export and erasure read the requester's own partition."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from msgspec import Struct
from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute

from helpdesk.domain.step_data import OfferedArticle
from helpdesk.storage.models import Item
from helpdesk.storage.transaction import TurnWrite

DASHBOARD_PK = "KBOFFERS"


class KbOffer(Item, discriminator="kb_offer"):
    phone = UnicodeAttribute()
    cnpj = UnicodeAttribute()
    instance = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute()  # offered | resolved | declined
    articles = JSONAttribute()  # [{"id", "title", "opened"}]
    updated_at = UTCDateTimeAttribute()


def offers_pk(phone: str) -> str:
    return f"KBOFFER#{phone}"


def record(
    write: TurnWrite,
    *,
    phone: str,
    instance: str,
    offered_at: str,
    cnpj: str,
    articles: tuple[OfferedArticle, ...],
    outcome: str,
    now: datetime,
) -> None:
    write.save(
        KbOffer(
            pk=offers_pk(phone),
            sk=offered_at,
            gsi1pk=DASHBOARD_PK,
            gsi1sk=f"{offered_at}#{phone}",
            phone=phone,
            cnpj=cnpj,
            instance=instance,
            outcome=outcome,
            articles=[{"id": a.id, "title": a.title, "opened": a.opened} for a in articles],
            updated_at=now,
        )
    )


class Offer(Struct, frozen=True):
    offered_at: str
    cnpj: str
    outcome: str
    articles: tuple[OfferedArticle, ...]

    def as_dict(self) -> dict[str, Any]:
        articles = [{"id": a.id, "title": a.title, "opened": a.opened} for a in self.articles]
        return {
            "offered_at": self.offered_at,
            "cnpj": self.cnpj,
            "outcome": self.outcome,
            "articles": articles,
        }


def _offer(item: KbOffer) -> Offer:
    articles = tuple(
        OfferedArticle(str(a["id"]), str(a["title"]), bool(a.get("opened"))) for a in item.articles
    )
    return Offer(item.sk, item.cnpj, item.outcome, articles)


def since(first: str) -> list[Offer]:
    """Every offer made from `first` (an ISO date or time) on, oldest first."""
    query = Item.by_gsi1.query(DASHBOARD_PK, Item.gsi1sk >= first)
    return [_offer(item) for item in query if isinstance(item, KbOffer)]


def of_requester(phone: str) -> list[Offer]:
    return [_offer(item) for item in Item.query(offers_pk(phone)) if isinstance(item, KbOffer)]


def erase_requester(phone: str) -> int:
    """Deletes the requester's offers; how many there were."""
    items = [item for item in Item.query(offers_pk(phone)) if isinstance(item, KbOffer)]
    with KbOffer.batch_write() as batch:
        for item in items:
            batch.delete(item)
    return len(items)
