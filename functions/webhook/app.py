"""Gateway webhooks -> the inbound FIFO queue. Authenticates, parses, enqueues; no dialog work.

Every message a requester sends starts here, so a cold start here delays a reply. The three routes
are read from the HTTP API's `routeKey` rather than through Powertools' event handler, whose
package loads every resolver it has (AppSync, Bedrock, asyncio, all event data classes): about a
fifth of this function's import time, for three fixed routes and two refusals.
"""

import base64
import json

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from helpdesk import snapstart
from helpdesk.config import secret
from helpdesk.gateways import cloud_webhook, evolution_webhook
from helpdesk.gateways.base import WebhookBatch, WebhookMalformed, WebhookUnauthorized
from helpdesk.logic import inbound, receipts
from helpdesk.logic.services import Services

logger = Logger()
snapstart.register()  # SnapStart: refresh what a restored snapshot must not share
metrics = Metrics()

JSON = "application/json"


def response(status: int, body: str, content_type: str = JSON) -> dict:
    """An HTTP API (payload 2.0) response."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type},
        "body": body,
        "isBase64Encoded": False,
    }


def raw_body(event: dict) -> bytes:
    """The request body exactly as sent: signatures are computed over these bytes."""
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()


def evolution_delivery(event: dict) -> dict:
    batch = evolution_webhook.parse_webhook(
        raw_body(event),
        event.get("headers") or {},
        event.get("queryStringParameters") or {},
        secret("webhook_token"),
    )
    return accepted(batch)


def cloud_verification(event: dict) -> dict:
    challenge = cloud_webhook.verify_subscription(
        event.get("queryStringParameters") or {}, secret("cloud_verify_token")
    )
    return response(200, challenge, "text/plain")


def cloud_delivery(event: dict) -> dict:
    """Meta retries anything but a 200 for days and may disable the webhook: a correctly signed
    delivery is acknowledged whatever it holds, its unreadable items left out (logged, counted)."""
    try:
        batch = cloud_webhook.parse_webhook(
            raw_body(event), event.get("headers") or {}, secret("cloud_app_secret")
        )
    except WebhookMalformed as error:  # signed (the signature is checked first) but unreadable
        batch = WebhookBatch(skipped=[f"delivery: {error}"[:200]])
    return accepted(batch)


def services() -> Services:
    """The live services (the wall clock); a test hands its own by replacing this."""
    return Services()


ROUTES = {
    "POST /webhooks/evolution": evolution_delivery,
    "GET /webhooks/cloud": cloud_verification,
    "POST /webhooks/cloud": cloud_delivery,
}


def accepted(batch: WebhookBatch) -> dict:
    for reason in batch.skipped:  # no content in the reason: nothing personal reaches the log
        logger.warning("webhook item skipped", extra={"reason": reason})
    if batch.skipped:
        metrics.add_metric(name="WebhookItemsSkipped", unit=MetricUnit.Count, value=len(batch.skipped))
    count = inbound.accept(services(), batch)
    metrics.add_metric(name="MessagesQueued", unit=MetricUnit.Count, value=count)
    failed = receipts.failed(batch.receipts)
    if failed:  # alarmed: the requester did not get what an agent answered
        metrics.add_metric(name="DeliveriesFailed", unit=MetricUnit.Count, value=failed)
    disconnected = sum(1 for update in batch.instance_updates if update.state == "close")
    if disconnected:  # alarmed: a number stopped working (logged out on the phone, QR limit)
        metrics.add_metric(name="InstancesDisconnected", unit=MetricUnit.Count, value=disconnected)
    return response(200, json.dumps({"queued": count}, separators=(",", ":")))


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    route = ROUTES.get(event.get("routeKey", ""))
    if route is None:  # the template routes only these three here
        return response(404, '{"message": "Not found"}')
    try:
        return route(event)
    except WebhookUnauthorized as error:
        metrics.add_metric(name="WebhooksRefused", unit=MetricUnit.Count, value=1)
        logger.warning("webhook refused", extra={"reason": str(error)})
        return response(401, '{"message": "Unauthorized"}')
    except WebhookMalformed as error:
        metrics.add_metric(name="WebhooksMalformed", unit=MetricUnit.Count, value=1)
        logger.warning("malformed webhook", extra={"reason": str(error)[:200]})
        return response(400, '{"message": "Malformed webhook"}')
