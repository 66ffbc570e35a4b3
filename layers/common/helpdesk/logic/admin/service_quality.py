"""What the console sets and reads about the service a number gives: its business hours and the
ratings requesters give to closed tickets (per number or per company, over a period)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from msgspec import Struct

from helpdesk.domain import cnpj as cnpjs
from helpdesk.domain.hours import ZONE, BusinessHours, InvalidHours, parse_hours
from helpdesk.logic.admin.errors import InvalidInput, NotFound
from helpdesk.storage import catalog, ratings
from helpdesk.storage import hours as stored_hours
from helpdesk.storage.ratings import RatingFigures

MAX_RATING_DAYS = 366


def get_hours(instance: str) -> BusinessHours | None:
    try:
        return stored_hours.stored_hours(instance)
    except stored_hours.UnknownInstance as error:
        raise NotFound(f"Instância '{instance}' não encontrada.", "name") from error


def set_hours(instance: str, raw: Any) -> BusinessHours | None:
    """Validates and stores the hours (None clears them: always open)."""
    try:
        hours = parse_hours(raw) if raw is not None else None
    except InvalidHours as error:
        raise InvalidInput(f"Horário inválido: {error.message}.", error.field) from None
    try:
        stored_hours.set_hours(instance, hours)
    except stored_hours.UnknownInstance as error:
        raise NotFound(f"Instância '{instance}' não encontrada.", "name") from error
    return hours


class RatingReport(Struct, frozen=True):
    since: date  # São Paulo dates, both included
    until: date
    instance: str | None
    cnpj: str | None
    figures: RatingFigures


def rating_report(*, instance: str | None, company: str | None, since: date, until: date) -> RatingReport:
    """Average and distribution of the ratings given between two dates (São Paulo), on one number,
    at one company, both, or (neither) on every number."""
    if until < since:
        raise InvalidInput("A data De deve ser anterior ou igual à data Até.", "from")
    if (until - since).days >= MAX_RATING_DAYS:
        raise InvalidInput(f"O período aceita até {MAX_RATING_DAYS} dias.", "from")
    cnpj = None
    if company:
        cnpj = cnpjs.normalize(company)
        if cnpj is None or not cnpjs.is_valid(cnpj):
            raise InvalidInput("CNPJ inválido.", "company")
    start = datetime.combine(since, time.min, ZONE)
    end = datetime.combine(until + timedelta(days=1), time.min, ZONE) - timedelta(microseconds=1)
    if instance or cnpj:
        figures = ratings.period_figures(instance=instance, cnpj=cnpj, since=start, until=end)
    else:
        numbers = [number.name for number in catalog.list_instances()]
        figures = ratings.numbers_figures(numbers, since=start, until=end)
    return RatingReport(since, until, instance, cnpj, figures)
