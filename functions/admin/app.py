"""Admin function: the admin API under /admin (behind the HTTP API's Cognito JWT authorizer) and
the admin console's page under /console (public files; the console calls the API with a token).
One route module per subject; what they share is admin_api.

A route module, with the logic it calls, is imported by the first request under its paths
(ROUTES): a cold start loads the subjects it answers, not every one. With SnapStart the
snapshot is taken with every module loaded (`prime`), so a restored environment imports none.
"""

import importlib
from typing import Any

import admin_api
from aws_lambda_powertools import Logger

from helpdesk import snapstart
from helpdesk.api.resolver import http_api, lambda_handler

# The route modules serving each path prefix: a new route module is added here. A path under none
# of them loads every module first, so it is answered as ever (by whichever route takes it, else 404).
ROUTES = {
    "/admin/instances": ("instance_routes", "hours_routes"),
    "/admin/companies": ("company_routes",),
    "/admin/request-types": ("request_type_routes",),
    "/admin/tickets": ("ticket_routes",),
    "/admin/ticket-search": ("ticket_routes",),
    "/admin/uploads": ("upload_routes",),
    "/admin/dashboard": ("dashboard_routes",),
    "/admin/admins": ("admin_user_routes",),
    "/admin/ratings": ("ratings_routes",),
    "/admin/requesters": ("privacy_routes",),
    "/admin/erasures": ("privacy_routes",),
    "/admin/statuses": ("status_routes",),
    "/admin/articles": ("knowledge_routes",),
    "/admin/knowledge": ("knowledge_routes",),
    "/console": ("console_routes",),
}
EVERY_MODULE = tuple(dict.fromkeys(name for names in ROUTES.values() for name in names))

logger = Logger()
app = http_api(errors=admin_api.ERRORS)
included: set[str] = set()


def include(names: tuple[str, ...]) -> None:
    for name in names:
        if name not in included:
            app.include_router(importlib.import_module(name).router)
            included.add(name)


def modules_for(path: str) -> tuple[str, ...]:
    for prefix, names in ROUTES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return names
    return EVERY_MODULE


def prime() -> None:
    include(EVERY_MODULE)


snapstart.register(prime=prime)  # SnapStart: a snapshot with every route, refreshed after restore
resolve = lambda_handler(app, logger)


def handler(event: dict, context: Any) -> dict:
    include(modules_for(event.get("rawPath", "")))
    return resolve(event, context)
