"""Table stream -> per-instance daily counters (received, sent, conversations, tickets, failed).

The turns write no counter: they note what they counted on the conversation item, and this adds
those notes up, with the sent-log items that became "failed", one update per instance and day per
batch (helpdesk.storage.stats says why the
counts stay exact under duplicates, crashes and redelivery).
"""

from aws_lambda_powertools import Logger

from helpdesk.logic.services import Services
from helpdesk.logic.stats import count_stream_batch

logger = Logger()


def services() -> Services:
    """The live services (the wall clock); a test hands its own by replacing this."""
    return Services()


@logger.inject_lambda_context
def handler(event, context):
    # No partial batch response: a failure retries the whole batch, identical, which its marker
    # recognizes once it has been counted.
    count_stream_batch(event["Records"], services().clock())
