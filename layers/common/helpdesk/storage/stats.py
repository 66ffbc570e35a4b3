"""Per-instance counters (received, sent, conversations, tickets, failed), one item per instance
and day, in the requesters' time zone (`DAY_ZONE`, São Paulo: activity at 23:00 there is that
day's, not the next UTC day's).

A turn writes no counter. It records what it counted on the conversation item it saves anyway
(`turn_counts`, beside `outbox_message_id`, the id of the message the turn applied); the stats
consumer reads the table stream and adds those up, one update per instance and day per batch.

Why the counts are exact:
- A message is counted when the conversation item changes to a new `outbox_message_id`. Only a
  turn does that, once per message: a redelivered message finds its id among the recent ones and
  writes nothing (no change, no stream record), and a turn whose conditional write lost to another
  writer wrote nothing either. Other changes of the item (the outbox marked sent, a crashed turn's
  outbox re-sent, the TTL deletion) keep the id and count nothing.
- DynamoDB streams carry each item change exactly once; Lambda may hand a batch to the consumer
  more than once (a crash or timeout after the counters were written, a retry). The consumer's
  counter updates and a marker of the batch (its first and last sequence numbers) commit in one
  transaction on the condition that the marker does not exist: a batch comes back identical (the
  source neither bisects nor reports partial failures), finds its marker, and is skipped.
- `failed` counts the bot's logged messages (storage.sent) that WhatsApp reported as not
  delivered: the stream record of a sent-log item changing to "failed". A receipt moves an item
  forward at most once (its conditional update), and "failed" is final, so each such message
  makes one such change. A notification refused for the 24-hour window counts here even though
  the notifier then re-sends it as the template (that template is a message of its own).
- `tickets` counts every ticket created, whatever opened it (WhatsApp, the portal, and any
  other writer of a ticket item): the stream record of a ticket item's creation (no old image),
  on the day of its `created_at`. The turn's own note of a ticket (`turn_counts.tickets`) is not
  added, or a WhatsApp ticket would count twice.
Notifications (the notifier's messages) are added directly (`add_counts`).

Counters stored before days became São Paulo days stay on the UTC day they were added to, and
tickets opened on the portal before tickets were counted from the stream are not counted (the
dashboard shows 7 or 30 days, so both fade out within a month).

The same consumer keeps how many tickets are in each status, from the tickets' changes on the
stream (a new ticket adds one to its status; a status change moves one from the old status to the
new; a deleted ticket takes one off), committed in the batch's transaction: exact for the same
reasons. A ticket change that keeps the status counts nothing.

The dashboard reads all of it in one Query (`dashboard_figures`): every counter item carries the
STATS gsi1 pair, set by the same update that adds to it. Day items written before that pair
existed are read by instance (`stats_by_day`, `stats_totals`) but not by the dashboard.

Totals are the sum of the days. Items written before this scheme (DAY#<day>#<shard> beside
TOTAL#<shard>, the same counts twice) are read as days too, and the TOTAL items ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from msgspec import Struct
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from helpdesk.domain.hours import ZONE as DAY_ZONE
from helpdesk.storage.models import Conversation, Item, Stats, StatsBatch, StatusCount, TurnCounts
from helpdesk.storage.transaction import TurnWrite

STAT_NAMES = ("received", "sent", "conversations", "tickets", "failed")
BATCH_MARKER_TTL = timedelta(days=2)  # the stream keeps records 24 hours


def _pk(instance: str) -> str:
    return f"STATS#{instance}"


def _day_key(day: str) -> str:
    return f"DAY#{day}"


# The dashboard's index partition (models.py): days sort by date, then the statuses after them.
FIGURES_PK = "STATS"
STATUS_PREFIX = "STATUS#"


def _increment(instance: str, day: str, counts: dict[str, int]) -> tuple[Stats, list]:
    actions = [getattr(Stats, name).add(n) for name, n in counts.items() if n]
    actions += [Stats.day.set(day), Stats.instance.set(instance), Stats.entity.set(Stats)]
    actions += [Stats.gsi1pk.set(FIGURES_PK), Stats.gsi1sk.set(f"{day}#{instance}")]
    return Stats(pk=_pk(instance), sk=_day_key(day)), actions


def _status_increment(status: str, n: int) -> tuple[StatusCount, list]:
    actions = [
        StatusCount.tickets.add(n),
        StatusCount.status.set(status),
        StatusCount.entity.set(StatusCount),
        StatusCount.gsi1pk.set(FIGURES_PK),
        StatusCount.gsi1sk.set(STATUS_PREFIX + status),
    ]
    return StatusCount(pk="TICKETSTATUS", sk=status), actions


def add_counts(write: TurnWrite, instance: str, now: datetime, shard_key: str, **increments: int) -> None:
    """Adds to the instance's counters of the day (UTC) in `write`. A turn's counts instead ride
    on the conversation item it saves (`turn_counts`) when `write` has one."""
    increments = {name: n for name, n in increments.items() if n}
    if not increments:
        return
    conversation = write.saved(Conversation)
    if conversation is not None and increments.get("received") == 1:
        # Its tickets are not noted: the consumer counts them from the tickets' creation.
        conversation.turn_counts = TurnCounts(
            sent=increments.get("sent", 0), conversations=increments.get("conversations") or None
        )
        return
    item, actions = _increment(instance, local_day(now), increments)
    write.update(item, actions)


def local_day(when: datetime) -> str:
    """The ISO date of `when` (aware) in DAY_ZONE: the day its counters are added to."""
    return when.astimezone(DAY_ZONE).date().isoformat()


def _stored_day(image: dict[str, Any] | None, name: str) -> str:
    """The DAY_ZONE day of a UTCDateTimeAttribute in a stream image (2026-11-27T10:00:00.000000+0000)."""
    return local_day(datetime.strptime(_value(image, name), "%Y-%m-%dT%H:%M:%S.%f%z"))


# --- the stream consumer ---------------------------------------------------------------------


def _value(image: dict[str, Any] | None, name: str) -> Any:
    if not image or name not in image:
        return None
    ((kind, value),) = image[name].items()
    return None if kind == "NULL" else value


def counts_of_change(record: dict[str, Any]) -> tuple[str, str, dict[str, int]] | None:
    """(instance, day, counts) of a stream record that applied a message or failed a delivery,
    else None."""
    change = record.get("dynamodb", {})
    new, old = change.get("NewImage"), change.get("OldImage")
    if _value(new, "entity") == "sent":
        return _failed_delivery(new, old)
    if _value(new, "entity") == "ticket":
        return _ticket_opened(new, old)
    if _value(new, "entity") != "conversation":
        return None
    applied = _value(new, "outbox_message_id")
    counted = _value(new, "turn_counts")
    if not applied or applied == _value(old, "outbox_message_id") or counted is None:
        return None
    counts = {"received": 1}
    for name in ("sent", "conversations"):  # its tickets are counted from the tickets' creation
        counts[name] = int(counted.get(name, {}).get("N", 0))
    return _value(new, "instance"), _stored_day(new, "last_activity"), counts


def _ticket_opened(new: dict[str, Any], old: dict[str, Any] | None) -> tuple[str, str, dict[str, int]] | None:
    """A ticket item just created (by a turn, the portal or any other writer)."""
    if old is not None:
        return None
    return _value(new, "instance") or "", _stored_day(new, "created_at"), {"tickets": 1}


def _failed_delivery(
    new: dict[str, Any], old: dict[str, Any] | None
) -> tuple[str, str, dict[str, int]] | None:
    """A sent-log item that just became "failed": counted on the day of the receipt."""
    if _value(new, "status") != "failed" or _value(old, "status") in (None, "failed"):
        return None
    return _value(new, "instance"), _stored_day(new, "status_at"), {"failed": 1}


# A status is a key of its counter: never empty, and within DynamoDB's 1,024 bytes of a sort key
# (4 bytes a character at most, after the index's "STATUS#"). A failed key would retry the whole
# batch, every counter with it, until the stream drops it.
MAX_STATUS_CHARS = 250


def _status_of(image: dict[str, Any] | None) -> str | None:
    if _value(image, "entity") != "ticket":
        return None
    status = (_value(image, "status") or "").strip()[:MAX_STATUS_CHARS]
    return status or None


def status_change(record: dict[str, Any]) -> dict[str, int]:
    """What a stream record changes in the tickets per status ({} for anything but a ticket's
    creation, status change or deletion)."""
    change = record.get("dynamodb", {})
    new, old = change.get("NewImage"), change.get("OldImage")
    before = _status_of(old)
    after = _status_of(new)
    if before == after:
        return {}
    delta = {before: -1} if before is not None else {}
    if after is not None:
        delta[after] = delta.get(after, 0) + 1
    return delta


def add_stream_batch(records: list[dict[str, Any]], now: datetime) -> bool:
    """Adds up a stream batch's applied messages and ticket status changes: one update per
    instance and day and one per status, committed with the batch's marker. False when the batch
    had been added before (nothing written)."""
    sums: dict[tuple[str, str], dict[str, int]] = {}
    statuses: dict[str, int] = {}
    for record in records:
        for status, n in status_change(record).items():
            statuses[status] = statuses.get(status, 0) + n
        found = counts_of_change(record)
        if found is None:
            continue
        instance, day, counts = found
        total = sums.setdefault((instance, day), dict.fromkeys(STAT_NAMES, 0))
        for name, n in counts.items():
            total[name] += n
    statuses = {status: n for status, n in statuses.items() if n}
    if not sums and not statuses:
        return True
    sequence = [r["dynamodb"]["SequenceNumber"] for r in records]
    marker = StatsBatch(
        pk=f"STATSBATCH#{sequence[0]}-{sequence[-1]}",
        sk="META",
        records=len(records),
        expires_at=now + BATCH_MARKER_TTL,
    )
    try:
        with TransactWrite(connection=Item._get_connection().connection) as transaction:
            transaction.save(marker, condition=StatsBatch.pk.does_not_exist())
            for (instance, day), counts in sorted(sums.items()):
                item, actions = _increment(instance, day, counts)
                transaction.update(item, actions=actions)
            for status, n in sorted(statuses.items()):
                counter, actions = _status_increment(status, n)
                transaction.update(counter, actions=actions)
    except TransactWriteError as error:
        reasons = getattr(error, "cancellation_reasons", None) or []
        if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            return False  # this batch was added before: a redelivery
        raise
    return True


# --- reading ---------------------------------------------------------------------------------


def _summed(items: Iterable[Stats]) -> dict[str, dict[str, int]]:
    """Items added up by day (older items: one per shard)."""
    sums: dict[str, dict[str, int]] = {}
    for item in items:
        counts = sums.setdefault(item.day, dict.fromkeys(STAT_NAMES, 0))
        for name in STAT_NAMES:
            counts[name] += int(getattr(item, name) or 0)
    return sums


def stats_totals(instance: str) -> dict[str, int]:
    totals = dict.fromkeys(STAT_NAMES, 0)
    for counts in _summed(Stats.query(_pk(instance), Stats.sk.startswith("DAY#"))).values():
        for name in STAT_NAMES:
            totals[name] += counts[name]
    return totals


def stats_by_day(instance: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]:
    """Counts per day (ISO dates, both included); days with nothing are absent."""
    return _summed(Stats.query(_pk(instance), Stats.sk.between(f"DAY#{first_day}", f"DAY#{last_day}#~")))


class Figures(Struct, frozen=True):
    days: dict[str, dict[str, dict[str, int]]]  # instance -> day -> counts (days with nothing absent)
    statuses: dict[str, int]  # tickets per status (statuses with none absent)


def dashboard_figures(first_day: str) -> Figures:
    """Every instance's day counters from `first_day` (ISO date) on and the tickets per status:
    one Query of the STATS index partition, whatever the number of instances."""
    days: dict[str, dict[str, dict[str, int]]] = {}
    statuses: dict[str, int] = {}
    for item in Item.by_gsi1.query(FIGURES_PK, Item.gsi1sk >= first_day):
        if isinstance(item, StatusCount):
            # Below 1 only if the consumer never saw a ticket's creation (records lost): not shown.
            if item.tickets > 0:
                statuses[item.status] = int(item.tickets)
        elif isinstance(item, Stats) and item.day:
            counts = days.setdefault(item.instance, {}).setdefault(item.day, dict.fromkeys(STAT_NAMES, 0))
            for name in STAT_NAMES:
                counts[name] += int(getattr(item, name) or 0)
    return Figures(days, statuses)


def statuses_in_use() -> list[str]:
    """Every status some ticket has (from the per-status counts): the console's status filter
    matches tickets whatever case or accents their status was written with."""
    return [item.sk for item in StatusCount.query("TICKETSTATUS") if item.tickets > 0]
