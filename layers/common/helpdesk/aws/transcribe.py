"""Amazon Transcribe: batch jobs over the media bucket's audio, output back into the bucket.

A job reads `s3://<media bucket>/<key>` with the caller's permissions and writes its document to
`transcripts/<job>.json` in the same bucket; its completion is announced on EventBridge. Throttled
calls are retried by botocore's adaptive mode, with backoff.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from helpdesk import aws, caches
from helpdesk.aws import s3
from helpdesk.config import settings
from helpdesk.domain import transcripts

RETRIES = Config(retries={"mode": "adaptive", "max_attempts": 8})


@caches.cached
def _client():
    return aws.client("transcribe", config=RETRIES)


def start(job: str, key: str, media_format: str) -> bool:
    """Starts the job; False when a job of that name exists already (started before)."""
    bucket = settings().media_bucket
    try:
        _client().start_transcription_job(
            TranscriptionJobName=job,
            LanguageCode=transcripts.LANGUAGE,
            MediaFormat=media_format,
            Media={"MediaFileUri": f"s3://{bucket}/{key}"},
            OutputBucketName=bucket,
            OutputKey=transcripts.output_key(job),
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConflictException":
            return False
        raise
    return True


def delete(job: str) -> None:
    """Deletes the job's record in Transcribe (the output stays in the bucket); gone is fine."""
    try:
        _client().delete_transcription_job(TranscriptionJobName=job)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("BadRequestException", "NotFoundException"):
            raise


def output(job: str) -> dict[str, Any] | None:
    """The job's output document; None when it is not in the bucket."""
    try:
        body = s3.get(transcripts.output_key(job))
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return None
        raise
    return json.loads(body)
