"""Admin API for how the ticket desk speaks: the managed list of ticket statuses.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.domain.statuses import Statuses
from helpdesk.logic.admin import statuses

router = Router()


def statuses_json(statuses: Statuses) -> dict:
    return statuses.as_dict()


@router.get("/admin/statuses", middlewares=admin_api.ADMIN_ONLY)
def get_statuses():
    return statuses_json(statuses.get_statuses())


@router.put("/admin/statuses", middlewares=admin_api.ADMIN_ONLY)
def save_statuses():
    body = admin_api.json_object()
    return statuses_json(statuses.save_statuses(body.get("names"), body.get("roles"), body.get("erp_names")))
