"""Voice notes -> text: stores what Amazon Transcribe heard.

Its event source (template.yaml) is EventBridge's "Transcribe Job State Change" for this stack's
jobs (retried by Lambda, then its dead-letter queue); the notifier starts the jobs from the table
stream. The logic is in helpdesk.logic.transcription.
"""

from aws_lambda_powertools import Logger

from helpdesk.events import EventBridgeEvent
from helpdesk.logic import transcription
from helpdesk.logic.services import Services

logger = Logger()


def services() -> Services:
    """The live services (no gateway: nothing is sent to WhatsApp); tests replace this."""
    return Services()


@logger.inject_lambda_context
def handler(event, context):
    change = EventBridgeEvent(event).detail
    transcription.complete(change["TranscriptionJobName"], change["TranscriptionJobStatus"], services())
