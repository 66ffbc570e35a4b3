"""ERP function: `POST /erp/events`, authenticated by its HMAC signature (no JWT)."""

import erp_routes
from aws_lambda_powertools import Logger

from helpdesk import snapstart
from helpdesk.api.resolver import http_api, lambda_handler

logger = Logger()
snapstart.register()  # SnapStart: refresh what a restored snapshot must not share
app = http_api(erp_routes.router, errors=erp_routes.ERRORS)
handler = lambda_handler(app, logger)
