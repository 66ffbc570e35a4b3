"""Ratings and the rest of "closing the loop" on a ticket: asked once per closing, reopened by
the requester, rated. The turn and the notifier call these with domain values; the keys and
the models stay here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from msgspec import Struct
from pynamodb.exceptions import UpdateError

from helpdesk.storage import tickets
from helpdesk.storage.models import Action, Rating, Ticket
from helpdesk.storage.transaction import TurnWrite, condition_failed


def ratings_pk(instance: str) -> str:
    return f"RATINGS#{instance}"


def company_ratings_pk(cnpj: str) -> str:
    return f"RATINGS#COMPANY#{cnpj}"


def claim_fix_question(number: int, now: datetime) -> bool:
    """True the first time a closing of this ticket asks the requester (until it is reopened):
    a duplicate `ticket.closed` asks once."""
    try:
        Ticket(pk=tickets.ticket_pk(number), sk="META").update(
            actions=[Ticket.fix_asked_at.set(now)],
            condition=Ticket.pk.exists() & Ticket.fix_asked_at.does_not_exist(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def reopen(
    ticket: Ticket, *, status: str, author_name: str, text: str, action_id: str, now, write: TurnWrite
):
    """The requester's "not solved": a status action (the ERP hears `ticket.reopened`) and the
    ticket reopened, asked again at its next closing."""
    action = tickets.new_action(
        ticket=ticket,
        author_kind="requester",
        author_name=author_name,
        text=text,
        attachments=(),
        source="whatsapp",
        now=now,
        action_id=action_id,
        kind="status",
        status=status,
    )
    write.save(action, condition=Action.pk.does_not_exist())
    write.update(
        ticket,
        [
            Ticket.status.set(status),
            Ticket.updated_at.set(now),
            Ticket.fix_asked_at.remove(),
            Ticket.reopened_count.add(1),
        ],
        condition=Ticket.pk.exists(),
    )
    return action


def rate(
    ticket: Ticket,
    *,
    rating: int,
    comment: str | None,
    author_name: str,
    action_id: str,
    now,
    write: TurnWrite,
):
    """The rating on the ticket, an action (the ERP hears `ticket.rated`) and an item the
    console's figures read."""
    action = tickets.new_action(
        ticket=ticket,
        author_kind="requester",
        author_name=author_name,
        text=comment or "",
        attachments=(),
        source="whatsapp",
        now=now,
        action_id=action_id,
        kind="rating",
    )
    action.rating = rating
    write.save(action, condition=Action.pk.does_not_exist())
    updates = [Ticket.rating.set(rating), Ticket.rated_at.set(now), Ticket.updated_at.set(now)]
    updates.append(Ticket.rating_comment.set(comment) if comment else Ticket.rating_comment.remove())
    write.update(ticket, updates, condition=Ticket.pk.exists())
    sk = f"{_stamp(now)}#{tickets.padded(int(ticket.number))}"
    item = Rating(
        pk=ratings_pk(ticket.instance),
        sk=sk,
        ticket_number=int(ticket.number),
        instance=ticket.instance,
        cnpj=ticket.cnpj,
        rating=rating,
        rated_at=now,
        gsi1pk=company_ratings_pk(ticket.cnpj),
        gsi1sk=sk,
    )
    write.save(item)
    return action


class RatingFigures(Struct, frozen=True):
    count: int
    average: float | None
    distribution: dict[int, int]  # 1..5 -> how many


def figures(ratings: Iterable[int]) -> RatingFigures:
    distribution = dict.fromkeys(range(1, 6), 0)
    for rating in ratings:
        if rating in distribution:
            distribution[rating] += 1
    count = sum(distribution.values())
    total = sum(value * n for value, n in distribution.items())
    return RatingFigures(count, round(total / count, 2) if count else None, distribution)


def period_figures(
    *, instance: str | None, cnpj: str | None, since: datetime, until: datetime
) -> RatingFigures:
    """Ratings given between `since` and `until` (aware, both included) on that number and/or at
    that company: one Query either way (by company through gsi1, filtered by number if both)."""
    low, high = _stamp(since), _stamp(until) + "~"
    if cnpj:
        items = Rating.by_gsi1.query(
            company_ratings_pk(cnpj),
            Rating.gsi1sk.between(low, high),
            filter_condition=(Rating.instance == instance) if instance else None,
        )
    else:
        items = Rating.query(ratings_pk(instance or ""), Rating.sk.between(low, high))
    return figures(int(item.rating) for item in items if isinstance(item, Rating))


def numbers_figures(instances: Iterable[str], *, since: datetime, until: datetime) -> RatingFigures:
    """Ratings given between `since` and `until` on any of these numbers: one Query per number."""
    low, high = _stamp(since), _stamp(until) + "~"
    return figures(
        int(item.rating)
        for instance in instances
        for item in Rating.query(ratings_pk(instance), Rating.sk.between(low, high))
        if isinstance(item, Rating)
    )


def _stamp(at: datetime) -> str:
    """Sort keys hold UTC ISO times: bounds are compared in the same form."""
    return at.astimezone(UTC).isoformat()
