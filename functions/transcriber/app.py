"""Voice notes -> text: starts Amazon Transcribe jobs and stores what they heard.

Two event sources (template.yaml): the table stream, filtered to new actions with audio waiting
for a transcript (records failed one by one, then parked in the failure queue), and EventBridge's
"Transcribe Job State Change" for this stack's jobs (retried by Lambda, then its dead-letter
queue). The logic is in helpdesk.logic.transcription.
"""

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from helpdesk.logic import transcription
from helpdesk.logic.services import Services

logger = Logger()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)


def services() -> Services:
    """The live services (no gateway: nothing is sent to WhatsApp); tests replace this."""
    return Services()


def record_handler(record: DynamoDBRecord) -> None:
    if record.dynamodb is not None:
        transcription.start_for_action(record.dynamodb.new_image, services())


@logger.inject_lambda_context
def handler(event, context):
    if "Records" in event:
        return process_partial_response(event, record_handler, processor, context)
    change = EventBridgeEvent(event).detail
    transcription.complete(change["TranscriptionJobName"], change["TranscriptionJobStatus"], services())
    return None
