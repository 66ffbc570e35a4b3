"""Per-instance counters (received, sent, conversations, tickets, failed), one item per instance
and UTC day.

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
Notifications (the notifier's messages) are added directly (`add_counts`).

Totals are the sum of the days. Items written before this scheme (DAY#<day>#<shard> beside
TOTAL#<shard>, the same counts twice) are read as days too, and the TOTAL items ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from helpdesk.storage.models import Conversation, Item, Stats, StatsBatch, TurnCounts

if TYPE_CHECKING:
    from helpdesk.storage.transaction import TurnWrite

STAT_NAMES = ("received", "sent", "conversations", "tickets", "failed")
BATCH_MARKER_TTL = timedelta(days=2)  # the stream keeps records 24 hours


def _pk(instance: str) -> str:
    return f"STATS#{instance}"


def _day_key(day: str) -> str:
    return f"DAY#{day}"


def _increment(instance: str, day: str, counts: dict[str, int]) -> tuple[Stats, list]:
    actions = [getattr(Stats, name).add(n) for name, n in counts.items() if n]
    actions += [Stats.day.set(day), Stats.instance.set(instance), Stats.entity.set(Stats)]
    return Stats(pk=_pk(instance), sk=_day_key(day)), actions


def add_counts(write: TurnWrite, instance: str, now: datetime, shard_key: str, **increments: int) -> None:
    """Adds to the instance's counters of the day (UTC) in `write`. A turn's counts instead ride
    on the conversation item it saves (`turn_counts`) when `write` has one."""
    increments = {name: n for name, n in increments.items() if n}
    if not increments:
        return
    conversation = write.saved(Conversation)
    if conversation is not None and increments.get("received") == 1:
        conversation.turn_counts = TurnCounts(
            sent=increments.get("sent", 0),
            conversations=increments.get("conversations", 0),
            tickets=increments.get("tickets", 0),
        )
        return
    item, actions = _increment(instance, now.date().isoformat(), increments)
    write.update(item, actions)


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
    if _value(new, "entity") != "conversation":
        return None
    applied = _value(new, "outbox_message_id")
    counted = _value(new, "turn_counts")
    if not applied or applied == _value(old, "outbox_message_id") or counted is None:
        return None
    counts = {"received": 1}
    for name in ("sent", "conversations", "tickets"):
        counts[name] = int(counted.get(name, {}).get("N", 0))
    day = _value(new, "last_activity")[:10]  # UTCDateTimeAttribute: 2026-11-27T10:00:00.000000+0000
    return _value(new, "instance"), day, counts


def _failed_delivery(
    new: dict[str, Any], old: dict[str, Any] | None
) -> tuple[str, str, dict[str, int]] | None:
    """A sent-log item that just became "failed": counted on the day of the receipt."""
    if _value(new, "status") != "failed" or _value(old, "status") in (None, "failed"):
        return None
    return _value(new, "instance"), _value(new, "status_at")[:10], {"failed": 1}


def add_stream_batch(records: list[dict[str, Any]], now: datetime) -> bool:
    """Adds up a stream batch's applied messages: one update per instance and day, committed with
    the batch's marker. False when the batch had been added before (nothing written)."""
    sums: dict[tuple[str, str], dict[str, int]] = {}
    for record in records:
        found = counts_of_change(record)
        if found is None:
            continue
        instance, day, counts = found
        total = sums.setdefault((instance, day), dict.fromkeys(STAT_NAMES, 0))
        for name, n in counts.items():
            total[name] += n
    if not sums:
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
