"""Business hours of a WhatsApp number: a weekly schedule and holidays, in São Paulo time.

Pure: `is_open(at)` and `next_opening(at)` take the instant to judge (UTC or aware), never the
clock. The stored/API shape is

    {"weekly": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]], ..., "sun": []},
     "holidays": ["2026-12-25", ...]}

Days left out of `weekly` are closed; "24:00" closes at midnight. `parse_hours` validates that
shape and names the first wrong field (`weekly.mon[1]`, `holidays[0]`) with a pt-BR message that
calls days and fields as the console's hours form does ("Segunda", "Feriados").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import Struct, field

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
# The days as the console's hours form names them (its messages name the day to fix).
WEEKDAY_LABELS = dict(
    zip(DAYS, ("Segunda", "Terça", "Quarta", "Quinta", "Sexta", "Sábado", "Domingo"), strict=True)
)
MAX_HOLIDAYS = 400
MAX_INTERVALS = 6  # per day
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)|24:00")


def _zone() -> tzinfo:
    try:
        return ZoneInfo("America/Sao_Paulo")
    except ZoneInfoNotFoundError:  # no tz database in the runtime: Brazil has had no DST since 2019
        return timezone(timedelta(hours=-3), "BRT")


ZONE = _zone()


class InvalidHours(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


Interval = tuple[int, int]  # minutes since local midnight, [open, close)


class BusinessHours(Struct, frozen=True):
    weekly: tuple[tuple[Interval, ...], ...] = ((),) * 7  # Monday first
    holidays: frozenset[date] = field(default_factory=frozenset)

    def intervals(self, day: date) -> tuple[Interval, ...]:
        return () if day in self.holidays else self.weekly[day.weekday()]

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(ZONE)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.intervals(local.date()))

    def next_opening(self, at: datetime) -> datetime | None:
        """When the team is next at work: `at` itself when open now; None when never (no hours)."""
        local = at.astimezone(ZONE)
        minute = local.hour * 60 + local.minute
        for offset in range(MAX_HOLIDAYS + 8):  # past every holiday there is a regular week
            day = local.date() + timedelta(days=offset)
            for start, end in self.intervals(day):
                if offset == 0 and minute >= end:
                    continue
                if offset == 0 and minute >= start:
                    return at
                opening = datetime.combine(day, time(start // 60, start % 60), ZONE)
                return opening
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "weekly": {
                name: [[_clock(start), _clock(end)] for start, end in self.weekly[index]]
                for index, name in enumerate(DAYS)
            },
            "holidays": sorted(day.isoformat() for day in self.holidays),
        }


def parse_hours(raw: Any) -> BusinessHours:
    """The API/stored shape into BusinessHours; InvalidHours names the first wrong field."""
    if not isinstance(raw, dict):
        raise InvalidHours("body", "envie os dias da semana e os feriados")
    weekly_raw = raw.get("weekly") or {}
    if not isinstance(weekly_raw, dict):
        raise InvalidHours("weekly", "os dias da semana não vieram no formato esperado")
    unknown = sorted(set(weekly_raw) - set(DAYS))
    if unknown:
        raise InvalidHours(f"weekly.{unknown[0]}", "dia da semana desconhecido")
    weekly = tuple(_day(name, weekly_raw.get(name) or []) for name in DAYS)
    holidays_raw = raw.get("holidays") or []
    if not isinstance(holidays_raw, list) or len(holidays_raw) > MAX_HOLIDAYS:
        raise InvalidHours("holidays", f"Feriados: informe até {MAX_HOLIDAYS} datas, uma por linha")
    holidays = set()
    for index, value in enumerate(holidays_raw):
        try:
            holidays.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise InvalidHours(f"holidays[{index}]", f"Feriados: {value} não é uma data AAAA-MM-DD") from None
    return BusinessHours(weekly, frozenset(holidays))


def _day(name: str, raw: Any) -> tuple[Interval, ...]:
    label, day = f"weekly.{name}", WEEKDAY_LABELS[name]
    if not isinstance(raw, list) or len(raw) > MAX_INTERVALS:
        raise InvalidHours(label, f"{day}: informe até {MAX_INTERVALS} intervalos")
    intervals = []
    for index, pair in enumerate(raw):
        where = f"{label}[{index}]"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidHours(
                where, f"{day}: escreva cada intervalo como início-fim, por exemplo 08:00-12:00"
            )
        start, end = _minutes(where, day, pair[0]), _minutes(where, day, pair[1])
        if start >= end:
            raise InvalidHours(where, f"{day}: o fim de um intervalo deve vir depois do início")
        intervals.append((start, end))
    intervals.sort()
    for (_, previous_end), (start, _) in zip(intervals, intervals[1:], strict=False):
        if start < previous_end:
            raise InvalidHours(label, f"{day}: os intervalos se sobrepõem")
    return tuple(intervals)


def _minutes(label: str, day: str, value: Any) -> int:
    if not isinstance(value, str) or not _CLOCK.fullmatch(value):
        raise InvalidHours(label, f"{day}: use horas com dois dígitos, de 00:00 a 24:00 (ex.: 08:00-12:00)")
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
