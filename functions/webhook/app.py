"""Gateway webhooks -> the inbound FIFO queue. Authenticates, parses, enqueues; no dialog work."""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from helpdesk.api.requests import raw_body
from helpdesk.config import secret
from helpdesk.gateways import cloud_webhook, evolution_webhook
from helpdesk.gateways.base import WebhookBatch, WebhookMalformed, WebhookUnauthorized
from helpdesk.logic import inbound, receipts
from helpdesk.logic.services import Services

logger = Logger()
metrics = Metrics()
app = APIGatewayHttpResolver()


@app.post("/webhooks/evolution")
def evolution_delivery():
    event = app.current_event
    batch = evolution_webhook.parse_webhook(
        raw_body(event), event.headers or {}, event.query_string_parameters or {}, secret("webhook_token")
    )
    return accepted(batch)


@app.get("/webhooks/cloud")
def cloud_verification():
    challenge = cloud_webhook.verify_subscription(
        app.current_event.query_string_parameters or {}, secret("cloud_verify_token")
    )
    return Response(200, content_types.TEXT_PLAIN, challenge)


@app.post("/webhooks/cloud")
def cloud_delivery():
    event = app.current_event
    batch = cloud_webhook.parse_webhook(raw_body(event), event.headers or {}, secret("cloud_app_secret"))
    return accepted(batch)


def accepted(batch: WebhookBatch) -> dict:
    count = inbound.accept(Services(), batch)
    metrics.add_metric(name="MessagesQueued", unit=MetricUnit.Count, value=count)
    failed = receipts.failed(batch.receipts)
    if failed:  # alarmed: the requester did not get what an agent answered
        metrics.add_metric(name="DeliveriesFailed", unit=MetricUnit.Count, value=failed)
    disconnected = sum(1 for update in batch.instance_updates if update.state == "close")
    if disconnected:  # alarmed: a number stopped working (logged out on the phone, QR limit)
        metrics.add_metric(name="InstancesDisconnected", unit=MetricUnit.Count, value=disconnected)
    return {"queued": count}


@app.exception_handler(WebhookUnauthorized)
def unauthorized(error):
    metrics.add_metric(name="WebhooksRefused", unit=MetricUnit.Count, value=1)
    logger.warning("webhook refused", extra={"reason": str(error)})
    return Response(401, content_types.APPLICATION_JSON, '{"message": "Unauthorized"}')


@app.exception_handler(WebhookMalformed)
def malformed(error):
    metrics.add_metric(name="WebhooksMalformed", unit=MetricUnit.Count, value=1)
    logger.warning("malformed webhook", extra={"reason": str(error)[:200]})
    return Response(400, content_types.APPLICATION_JSON, '{"message": "Malformed webhook"}')


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    return app.resolve(event, context)
