"""Inbound FIFO queue -> one dialog turn per message, in order per phone, failures retried by SQS."""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from helpdesk.domain.messages import InboundMessage
from helpdesk.gateways import build_gateway
from helpdesk.logic.services import Services
from helpdesk.logic.turn import handle_inbound

logger = Logger()
metrics = Metrics()
# A failed message holds back only the later messages of its own phone, not the other phones'.
processor = SqsFifoPartialProcessor(skip_group_on_error=True)


def record_handler(record: SQSRecord) -> None:
    handle_inbound(InboundMessage.from_dict(record.json_body), Services(gateway=build_gateway()))


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event, context):
    response = process_partial_response(event, record_handler, processor, context)
    failed = len(response.get("batchItemFailures", []))
    metrics.add_metric(name="TurnsProcessed", unit=MetricUnit.Count, value=len(event["Records"]) - failed)
    metrics.add_metric(name="TurnsFailed", unit=MetricUnit.Count, value=failed)
    return response
