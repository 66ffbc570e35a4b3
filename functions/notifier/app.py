"""Table stream -> the requester on WhatsApp (agents' actions), the ERP (what requesters create) and
Amazon Transcribe (new voice notes): the one per-record reader of the stream (README "The table's
stream" says why one).

Failed records are reported one by one (batchItemFailures): the stream retries them, bisects, and
parks what still fails, whole, in the stream failure bucket (scripts/replay_parked.py).
"""

from aws_lambda_powertools import Logger

from helpdesk.events import DynamoDBRecord
from helpdesk.gateways import build_gateway
from helpdesk.logic import notify
from helpdesk.logic.services import Services
from helpdesk.storage import idempotency
from helpdesk.stream_batch import BatchProcessor, EventType, process_partial_response

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
