"""Admin API for the console's dashboard.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.shapes import dashboard_json
from helpdesk.logic.admin import dashboard

router = Router()


@router.get("/admin/dashboard", middlewares=admin_api.ADMIN_ONLY)
def get_dashboard():
    raw = router.current_event.get_query_string_value("days", str(dashboard.PERIODS[0]))
    return dashboard_json(dashboard.build(admin_api.services(), int(raw) if raw.isdigit() else 0))
