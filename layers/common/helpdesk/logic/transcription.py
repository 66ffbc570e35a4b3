"""Voice notes transcribed into their ticket (Amazon Transcribe, pt-BR).

Two halves, neither in the requester's turn (which never waits):

- `start_for_action` (the notifier, the stream's per-record reader): a new action with audio
  waiting for its transcript (`wanted`, the template's filter) gets one job per audio, or at once the "unavailable" marker when
  the audio is longer than TRANSCRIBE_MAX_SECONDS or in a format Transcribe does not take. The job
  is named after the file's key, so a redelivered record finds its job started (ConflictException).
- `complete` (the transcriber): Transcribe's "Job State Change" event (EventBridge) writes the
  transcript, or the marker for a failed job, once (storage.transcriptions.settle is
  conditional), then deletes the job and its output document (the text is on the ticket now). A job we no longer know (the requester was erased) only has its job and output deleted.

Transcripts are never logged: they are what the requester said.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from helpdesk import texts
from helpdesk.aws import s3, transcribe
from helpdesk.domain import transcripts
from helpdesk.domain.transcripts import TranscriptStatus
from helpdesk.logic.services import Services
from helpdesk.storage import transcriptions
from helpdesk.storage.transcriptions import AudioRef

logger = Logger(child=True)

COMPLETED, FAILED = "COMPLETED", "FAILED"


def start_for_action(image: dict[str, Any], services: Services) -> None:
    """A job for each audio of the action (its stream image) that waits for a transcript."""
    for index, attachment in enumerate(image.get("attachments") or []):
        if attachment.get("transcript_status") == TranscriptStatus.PENDING:
            start_for_audio(transcriptions.audio_ref(image, index), attachment, services)


def start_for_audio(ref: AudioRef, attachment: dict[str, Any], services: Services) -> None:
    now = services.clock()
    media_format = transcripts.media_format(attachment.get("mimetype") or "")
    refusal = "format" if media_format is None else None
    if media_format is not None:
        seconds = attachment.get("seconds") or _seconds(ref.key, media_format)
        if transcripts.too_long(seconds, services.config.transcribe_max_seconds):
            refusal = "too long"
    if refusal is not None:
        transcriptions.settle(ref, TranscriptStatus.UNAVAILABLE, now)
        logger.info("audio not transcribed", extra={"reason": refusal, "ticket": ref.ticket_number})
        return
    assert media_format is not None
    job = transcripts.job_name(services.config.transcribe_job_prefix, ref.key)
    if not transcriptions.track(job, ref, now):
        logger.info("transcription job settled before", extra={"job": job})
        return
    started = transcribe.start(job, ref.key, media_format)
    logger.info(
        "transcription job started" if started else "transcription job already started", extra={"job": job}
    )


def _seconds(key: str, media_format: str) -> float | None:
    """An Ogg file's duration from its ends; None for other formats (Transcribe measures them)."""
    if media_format != "ogg":
        return None
    head, tail = s3.ends(key)
    return transcripts.ogg_seconds(head, tail)


def complete(job: str, status: str, services: Services) -> None:
    """Transcribe finished a job of this stack (COMPLETED or FAILED)."""
    found = transcriptions.tracked(job)
    if found is None:
        logger.info("transcription job of an erased or unknown file", extra={"job": job})
        s3.delete([transcripts.output_key(job)])
    else:
        ref, state = found
        if state == TranscriptStatus.PENDING and status in (COMPLETED, FAILED):
            settle(job, ref, _transcript(job) if status == COMPLETED else None, services)
        if status == COMPLETED:  # stored (or settled before): the document is no longer needed
            s3.delete([transcripts.output_key(job)])
    transcribe.delete(job)


def settle(job: str, ref: AudioRef, text: str | None, services: Services) -> None:
    """Writes the transcript (or the marker when there is none) on the attachment, once."""
    now = services.clock()
    if not text:
        written = transcriptions.settle(ref, TranscriptStatus.UNAVAILABLE, now, job=job)
        logger.info("transcription unavailable", extra={"job": job, "written": written})
        return
    description = None
    current = transcriptions.pending_description(ref)
    if current is not None and (
        new := transcripts.description_after(current, texts.FILE_AS_TEXT["audio"], text)
    ):
        description = (current, new)
    written = transcriptions.settle(
        ref, TranscriptStatus.DONE, now, transcript=text, description=description, job=job
    )
    logger.info(
        "transcript stored" if written else "transcript was stored before",
        extra={"job": job, "words": len(text.split()), "description": description is not None},
    )


def _transcript(job: str) -> str:
    """The job's text ("" when nothing was heard). A document missing or of another shape raises:
    the event is retried, then parked in the transcriber's dead-letter queue."""
    document = transcribe.output(job)
    if document is None:
        raise LookupError(f"no output document for {job}")
    return transcripts.transcript_text(document)
