"""Admin function: the admin API under /admin (behind the HTTP API's Cognito JWT authorizer) and
the admin console's page under /console (public files; the console calls the API with a token)."""

import admin_routes
import console_routes
import desk_routes
import service_routes
from aws_lambda_powertools import Logger

from helpdesk.api.resolver import http_api, lambda_handler

logger = Logger()
app = http_api(
    admin_routes.router,
    service_routes.router,
    desk_routes.router,
    console_routes.router,
    errors=admin_routes.ERRORS,
)
handler = lambda_handler(app, logger)
