"""Portal function: the requester portal's page and JSON API under /portal (a signed session
cookie, no JWT)."""

import portal_routes
from aws_lambda_powertools import Logger

from helpdesk import snapstart
from helpdesk.api.resolver import http_api, lambda_handler

logger = Logger()
snapstart.register()  # SnapStart: refresh what a restored snapshot must not share
app = http_api(portal_routes.router, errors=portal_routes.ERRORS)
handler = lambda_handler(app, logger)
