"""Inbound FIFO queue -> one dialog turn per message, in order per phone, failures retried by SQS.

The phones of a batch are handled at the same time (fifo_batch): a turn mostly waits on the
gateway's sends, and one phone must not wait for the others' turns.
"""

import json

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from fifo_batch import process_fifo_batch

from helpdesk.domain.messages import InboundMessage
from helpdesk.gateways import build_gateway
from helpdesk.logic.services import Services
from helpdesk.logic.turn import handle_inbound

logger = Logger()
metrics = Metrics()


def services() -> Services:
    """The live services; a test hands the handler its own (a recording gateway) by replacing this."""
    return Services(gateway=build_gateway())


def record_handler(record: dict) -> None:
    handle_inbound(InboundMessage.from_dict(json.loads(record["body"])), services())


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event, context):
    response = process_fifo_batch(event, record_handler)
    failed = len(response["batchItemFailures"])
    metrics.add_metric(name="TurnsProcessed", unit=MetricUnit.Count, value=len(event["Records"]) - failed)
    metrics.add_metric(name="TurnsFailed", unit=MetricUnit.Count, value=failed)
    return response
