"""Per-instance counters (received, sent, conversations, tickets), per UTC day and in total.

DynamoDB cancels concurrent transactions on one item (TransactionConflict): the counters of a busy
number are spread over shards, one per phone, and summed when read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from helpdesk.storage.models import Stats

if TYPE_CHECKING:
    from helpdesk.storage.transaction import TurnWrite

STATS_SHARDS = 16
STAT_NAMES = ("received", "sent", "conversations", "tickets")


def _pk(instance: str) -> str:
    return f"STATS#{instance}"


def stats_shard(key: str) -> str:
    return f"{zlib.crc32(key.encode()) % STATS_SHARDS:02d}"


def add_counts(write: TurnWrite, instance: str, now: datetime, shard_key: str, **increments: int) -> None:
    """Adds to the instance's counters, for the day (UTC) and in total, in the shard of
    `shard_key` (a phone): concurrent turns of other phones rarely touch the same item."""
    increments = {name: n for name, n in increments.items() if n}
    if not increments:
        return
    day, shard = now.date().isoformat(), stats_shard(shard_key)
    for sk, extra in ((f"DAY#{day}#{shard}", [Stats.day.set(day)]), (f"TOTAL#{shard}", [])):
        actions = [getattr(Stats, name).add(n) for name, n in increments.items()]
        write.update(
            Stats(pk=_pk(instance), sk=sk),
            actions + extra + [Stats.instance.set(instance), Stats.entity.set(Stats)],
        )


def _summed(items: Iterable[Stats]) -> dict[str, dict[str, int]]:
    """Shards added up, by day ("total" for the totals)."""
    sums: dict[str, dict[str, int]] = {}
    for item in items:
        counts = sums.setdefault(item.day or "total", dict.fromkeys(STAT_NAMES, 0))
        for name in STAT_NAMES:
            counts[name] += int(getattr(item, name) or 0)
    return sums


def stats_totals(instance: str) -> dict[str, int]:
    items = Stats.query(_pk(instance), Stats.sk.startswith("TOTAL#"))
    return _summed(items).get("total", dict.fromkeys(STAT_NAMES, 0))


def stats_by_day(instance: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]:
    """Counts per day (ISO dates, both included); days with nothing are absent."""
    return _summed(Stats.query(_pk(instance), Stats.sk.between(f"DAY#{first_day}", f"DAY#{last_day}#~")))
