"""Admin API for a number's business hours (closing the loop, issue 15).
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

from typing import Any

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.requests import json_value
from helpdesk.domain.hours import ZONE
from helpdesk.logic.admin import service_quality

router = Router()


def hours_json(instance: str, hours) -> dict[str, Any]:
    now = admin_api.services().clock()
    opening = hours.next_opening(now) if hours else None
    return {
        "instance": instance,
        "hours": hours.to_dict() if hours else None,
        "time_zone": "America/Sao_Paulo",
        "open_now": hours is None or hours.is_open(now),
        "next_opening": opening.astimezone(ZONE).isoformat() if opening else None,
    }


@router.get("/admin/instances/<name>/hours", middlewares=admin_api.ADMIN_ONLY)
def get_hours(name: str):
    return hours_json(name, service_quality.get_hours(name))


@router.put("/admin/instances/<name>/hours", middlewares=admin_api.ADMIN_ONLY)
def put_hours(name: str):
    return hours_json(name, service_quality.set_hours(name, json_value(router.current_event)))


@router.delete("/admin/instances/<name>/hours", middlewares=admin_api.ADMIN_ONLY)
def delete_hours(name: str):
    return hours_json(name, service_quality.set_hours(name, None))
