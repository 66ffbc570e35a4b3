"""Table stream -> the requester on WhatsApp (agents' actions) and the ERP (what requesters create).

Failed records are reported one by one (batchItemFailures): the stream retries them, bisects, and
parks what still fails in the on-failure queue.
"""

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from helpdesk.gateways import build_gateway
from helpdesk.logic import notify
from helpdesk.logic.services import Services
from helpdesk.storage import idempotency

logger = Logger()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)


def services() -> Services:
    """The live services; a test hands the handler its own (a recording gateway) by replacing this."""
    return Services(gateway=build_gateway())


def record_handler(record: DynamoDBRecord) -> None:
    notify.handle_record(record, services())


@logger.inject_lambda_context
def handler(event, context):
    idempotency.register_lambda_context(context)
    return process_partial_response(event, record_handler, processor, context)
