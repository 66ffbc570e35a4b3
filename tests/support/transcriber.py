"""The transcription pipeline in process, on the template's wiring: the TranscriberFunction reads
moto's table stream through its AudioStored filter, starts jobs in moto's Transcribe, and the local
Transcribe stand-in finishes them and hands the "Job State Change" event to the functions whose
EventBridge rule (from the template) matches it, as the local stack's bus does (synchronously here).
"""

from __future__ import annotations

from typing import Any

from local import cfn
from local.event_filter import matches, matches_any
from local.lambdas import load_function
from local.testing.streams import records_since
from local.transcribe import SaidRegistry, TranscribeStandIn

FUNCTION = "TranscriberFunction"


class Transcriber:
    def __init__(self, aws) -> None:
        self.streams = aws.session.client(
            "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
        )
        self.arn = aws.resources.stream_arns["Table"]
        self.checkpoints: dict[str, str] = {}
        spec = next(s for s in cfn.functions(cfn.load_template()) if s.logical_id == FUNCTION)
        [self.source] = spec.streams
        self.rules = spec.rules
        self.function = load_function(FUNCTION)
        self.said = SaidRegistry()
        self.events: list[dict[str, Any]] = []  # every event the stand-in put on the bus
        self.transcribe = aws.session.client("transcribe")
        self.stand_in = TranscribeStandIn(self.transcribe, aws.session.client("s3"), self.said, self.publish)

    def publish(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if any(matches(rule.pattern, event) for rule in self.rules):
            self.function.invoke(event)

    def new_records(self) -> list[dict[str, Any]]:
        records = records_since(self.streams, self.arn, self.checkpoints)
        return [r for r in records if matches_any(self.source.filters, r)]

    def start_jobs(self) -> dict[str, Any]:
        """The new actions with audio, handed to the function as its stream source would."""
        records = self.new_records()
        return self.function.invoke({"Records": records}) if records else {"batchItemFailures": []}

    def finish_jobs(self) -> int:
        return self.stand_in.poll_once()

    def run(self) -> None:
        self.start_jobs()
        self.finish_jobs()

    def jobs(self) -> list[str]:
        summaries = self.transcribe.list_transcription_jobs()["TranscriptionJobSummaries"]
        return [job["TranscriptionJobName"] for job in summaries]
