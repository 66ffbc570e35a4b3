"""The counters the turns write, per number: total and per UTC day."""

from __future__ import annotations

from datetime import timedelta

from msgspec import Struct, field

from helpdesk.logic.admin.errors import InvalidInput
from helpdesk.logic.admin.instances import get_instance
from helpdesk.logic.services import Services
from helpdesk.storage import stats

MAX_STATS_DAYS = 90


class Counts(Struct, frozen=True):
    received: int = 0
    sent: int = 0
    conversations: int = 0
    tickets: int = 0
    failed: int = 0  # the bot's messages WhatsApp reported as not delivered

    @classmethod
    def of(cls, counts: dict[str, int] | None) -> Counts:
        return cls(**counts) if counts else cls()


class InstanceStats(Struct, frozen=True):
    instance: str
    total: Counts
    days: list[tuple[str, Counts]] = field(default_factory=list)  # oldest first, every day present


def instance_stats(services: Services, name: str, days: int) -> InstanceStats:
    """The instance's counters (storage.stats): total, and per UTC day."""
    if not 1 <= days <= MAX_STATS_DAYS:
        raise InvalidInput(f"Período inválido: escolha de 1 a {MAX_STATS_DAYS} dias.", "days")
    get_instance(name)
    today = services.clock().date()
    first = today - timedelta(days=days - 1)
    stored = stats.stats_by_day(name, first.isoformat(), today.isoformat())
    series = [
        (day, Counts.of(stored.get(day))) for day in (str(first + timedelta(days=n)) for n in range(days))
    ]
    return InstanceStats(name, Counts.of(stats.stats_totals(name)), series)
