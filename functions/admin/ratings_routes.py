"""Admin API for the requesters' ratings of closed tickets: the figures of a period.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

from datetime import date, timedelta

import admin_api

from helpdesk.api.http import Router
from helpdesk.domain.hours import ZONE
from helpdesk.logic.admin import service_quality
from helpdesk.logic.admin.errors import InvalidInput
from helpdesk.texts.fields import field_label

router = Router()

DEFAULT_RATING_DAYS = 30


def _date_query(name: str, default: date) -> date:
    raw = router.current_event.get_query_string_value(name, None)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{field_label(name)}: informe uma data (AAAA-MM-DD).", name) from None


@router.get("/admin/ratings", middlewares=admin_api.ADMIN_ONLY)
def rating_figures():
    event = router.current_event
    today = admin_api.services().clock().astimezone(ZONE).date()
    until = _date_query("to", today)
    since = _date_query("from", until - timedelta(days=DEFAULT_RATING_DAYS - 1))
    report = service_quality.rating_report(
        instance=event.get_query_string_value("instance", None) or None,
        company=event.get_query_string_value("company", None) or None,
        since=since,
        until=until,
    )
    figures = report.figures
    return {
        "from": report.since.isoformat(),
        "to": report.until.isoformat(),
        "instance": report.instance,
        "cnpj": report.cnpj,
        "count": figures.count,
        "average": figures.average,
        "distribution": {str(value): n for value, n in figures.distribution.items()},
    }
