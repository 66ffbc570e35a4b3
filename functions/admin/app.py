"""Admin function: the admin API under /admin (behind the HTTP API's Cognito JWT authorizer) and
the admin console's page under /console (public files; the console calls the API with a token).
One route module per subject; what they share is admin_api."""

import admin_api
import admin_user_routes
import company_routes
import console_routes
import dashboard_routes
import hours_routes
import instance_routes
import knowledge_routes
import privacy_routes
import ratings_routes
import request_type_routes
import status_routes
import ticket_routes
import upload_routes
from aws_lambda_powertools import Logger

from helpdesk import snapstart
from helpdesk.api.resolver import http_api, lambda_handler

logger = Logger()
snapstart.register()  # SnapStart: refresh what a restored snapshot must not share
app = http_api(
    instance_routes.router,
    company_routes.router,
    request_type_routes.router,
    ticket_routes.router,
    upload_routes.router,
    dashboard_routes.router,
    admin_user_routes.router,
    hours_routes.router,
    ratings_routes.router,
    privacy_routes.router,
    status_routes.router,
    knowledge_routes.router,
    console_routes.router,
    errors=admin_api.ERRORS,
)
handler = lambda_handler(app, logger)
