"""The transcription pipeline in process, on the template's wiring: the NotifierFunction reads
moto's table stream through its filter and starts jobs in moto's Transcribe (its other duties, the
WhatsApp notifications and the ERP, are left out here: only records it would start a job for are
handed to it), then the TranscriberFunction stores what the local
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
STARTER = "NotifierFunction"


class Transcriber:
    def __init__(self, aws) -> None:
        self.streams = aws.session.client(
            "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
        )
        self.arn = aws.resources.stream_arns["Table"]
        self.checkpoints: dict[str, str] = {}
        specs = {s.logical_id: s for s in cfn.functions(cfn.load_template())}
        [self.source] = specs[STARTER].streams
        self.rules = specs[FUNCTION].rules
        self.function = load_function(FUNCTION)
        self.starter = load_function(STARTER)
        self.starter.module.notify = _TranscriptionsOnly  # WhatsApp and the ERP are other tests' business
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
        return [r for r in records if matches_any(self.source.filters, r) and _with_audio(r)]

    def start_jobs(self) -> dict[str, Any]:
        """The new actions with audio, handed to the notifier as its stream source would."""
        records = self.new_records()
        return self.starter.invoke({"Records": records}) if records else {"batchItemFailures": []}

    def finish_jobs(self) -> int:
        return self.stand_in.poll_once()

    def run(self) -> None:
        self.start_jobs()
        self.finish_jobs()

    def jobs(self) -> list[str]:
        summaries = self.transcribe.list_transcription_jobs()["TranscriptionJobSummaries"]
        return [job["TranscriptionJobName"] for job in summaries]


def _with_audio(record: dict[str, Any]) -> bool:
    image = record["dynamodb"].get("NewImage", {})
    return record["eventName"] == "INSERT" and image.get("transcribe") == {"BOOL": True}


class _TranscriptionsOnly:
    """The notifier's transcription step alone (the end-to-end voice-note test runs all of it)."""

    @staticmethod
    def handle_record(record, services) -> None:
        from helpdesk.logic import notify

        notify.start_transcriptions(record, services)
