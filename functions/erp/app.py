"""ERP function: `POST /erp/events`, authenticated by its HMAC signature (no JWT)."""

import erp_routes
from aws_lambda_powertools import Logger

from helpdesk import snapstart
from helpdesk.api.resolver import http_api, lambda_handler
from helpdesk.storage import idempotency

logger = Logger()
# SnapStart: a snapshot with the idempotency store's module (boto3), refreshed after each restore
snapstart.register(prime=idempotency.preload)
app = http_api(erp_routes.router, errors=erp_routes.ERRORS)
handler = lambda_handler(app, logger)
