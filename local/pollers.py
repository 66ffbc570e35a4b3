"""Event source mappings, locally: the SQS FIFO mapping (local.sqs_pollers) and the DynamoDB stream
poller (local.stream_pollers).

They build the same events Lambda builds and honour the same contracts: `batchItemFailures`
keeps failed SQS messages for redelivery after the visibility timeout (and the queue's redrive
policy parks them in the DLQ); failed stream records are retried, then sent to the on-failure
destination.
"""

from local.sqs_pollers import SqsEventSourceMapping, SqsPoller, invoke_batch, receive, sqs_record
from local.stream_pollers import StreamPoller, StreamReader, keep_wire_records

__all__ = [
    "SqsEventSourceMapping",
    "SqsPoller",
    "StreamPoller",
    "StreamReader",
    "invoke_batch",
    "keep_wire_records",
    "receive",
    "sqs_record",
]
