"""The console's first page: per instance and in total, for the last 7 or 30 days, what the turns
counted (messages received and sent, conversations, tickets opened, deliveries that failed), each
number's connection state, and the open tickets by status.

Two Queries, run concurrently, whatever the number of instances, days or tickets: the instances
(their connection state) and the STATS index partition, where the stats consumer keeps every
instance's day counters and the tickets per status (helpdesk.storage.stats).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from msgspec import Struct

from helpdesk import texts
from helpdesk.config import settings
from helpdesk.logic.admin.errors import InvalidInput
from helpdesk.logic.admin.instances import list_instances
from helpdesk.logic.services import Services
from helpdesk.storage import stats
from helpdesk.storage.stats import DAY_ZONE

PERIODS = (7, 30)
STAT_NAMES = ("received", "sent", "conversations", "tickets", "failed")
# Statuses after which a ticket no longer waits for anyone (the ERP may use any of them).
CLOSED_STATUSES = frozenset(
    s.casefold() for s in (texts.TICKET_CLOSED_STATUS, "Encerrado", "Fechado", "Resolvido", "Cancelado")
)


class InstanceFigures(Struct, frozen=True):
    name: str
    state: str  # open | connecting | close
    totals: dict[str, int]
    days: list[dict[str, int]]  # one per day, oldest first, aligned with Dashboard.days
    disconnected_at: datetime | None = None  # since when the gateway reports the number down


class Dashboard(Struct, frozen=True):
    days: list[str]
    instances: list[InstanceFigures]
    totals: dict[str, int]
    per_day: list[dict[str, int]]  # every instance added up, per day
    open_by_status: dict[str, int]

    @property
    def disconnected(self) -> list[str]:
        return [i.name for i in self.instances if i.state != "open"]


def is_open(status: str) -> bool:
    folded = status.strip().casefold()
    return folded not in CLOSED_STATUSES and folded != settings().closed_status.casefold()


def build(services: Services, days: int) -> Dashboard:
    if days not in PERIODS:
        raise InvalidInput(f"Período inválido: escolha {' ou '.join(map(str, PERIODS))} dias.", "days")
    today = services.clock().astimezone(DAY_ZONE).date()  # the counters' days (storage.stats)
    first = today - timedelta(days=days - 1)
    day_names = [(first + timedelta(days=n)).isoformat() for n in range(days)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        stored = pool.submit(stats.dashboard_figures, day_names[0])
        instances = list_instances()
        figures = stored.result()

    def of(instance) -> InstanceFigures:
        days_of = figures.days.get(instance.name, {})
        series = [{name: int(days_of.get(day, {}).get(name, 0)) for name in STAT_NAMES} for day in day_names]
        totals = {name: sum(day[name] for day in series) for name in STAT_NAMES}
        state = instance.state or "close"
        return InstanceFigures(instance.name, state, totals, series, instance.disconnected_at)

    per_instance = [of(instance) for instance in instances]
    open_by_status = {s: n for s, n in sorted(figures.statuses.items()) if is_open(s)}
    # The totals count every number's figures, also a number deleted since or none (a ticket
    # opened on the portal by a requester who never wrote to one).
    every = {name: [0] * days for name in STAT_NAMES}
    for days_of in figures.days.values():
        for n, day in enumerate(day_names):
            for name in STAT_NAMES:
                every[name][n] += int(days_of.get(day, {}).get(name, 0))
    per_day = [{name: every[name][n] for name in STAT_NAMES} for n in range(days)]
    totals = {name: sum(every[name]) for name in STAT_NAMES}
    return Dashboard(day_names, per_instance, totals, per_day, open_by_status)
