"""Voice notes as text: what an audio attachment's transcript is, and the rules around it.

Pure: job names, the output document's shape (Amazon Transcribe's JSON), the formats Transcribe
takes, and an Ogg file's duration from its pages (a WhatsApp voice note is Ogg/Opus), so a note
longer than the limit is marked without starting a job.
"""

from __future__ import annotations

import hashlib
import struct
from enum import StrEnum
from typing import Any

from helpdesk.domain.messages import Attachment, MediaKind


class TranscriptStatus(StrEnum):
    PENDING = "pending"  # a job will start, or runs
    DONE = "done"  # `Attachment.transcript` holds the text
    UNAVAILABLE = "unavailable"  # too long, a format Transcribe refuses, a failed job, nothing heard


OUTPUT_PREFIX = "transcripts/"
LANGUAGE = "pt-BR"
DEFAULT_MAX_SECONDS = 300
# Amazon Transcribe's batch formats, by the mimetype a gateway reports (codecs parameter dropped).
MEDIA_FORMATS = {
    "audio/ogg": "ogg",
    "audio/opus": "ogg",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/mp4": "mp4",
    "audio/m4a": "m4a",
    "audio/x-m4a": "m4a",
    "audio/aac": "mp4",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/flac": "flac",
    "audio/x-flac": "flac",
    "audio/amr": "amr",
    "audio/webm": "webm",
}


def job_name(prefix: str, attachment_key: str) -> str:
    """One job per stored file, whoever asks: StartTranscriptionJob with a name that exists is
    refused (ConflictException), which makes starting it twice harmless. The prefix (the stack's
    name) is what the EventBridge rule filters on."""
    digest = hashlib.sha256(attachment_key.encode()).hexdigest()[:40]
    return f"{prefix}-{digest}"


def output_key(name: str) -> str:
    return f"{OUTPUT_PREFIX}{name}.json"


def media_format(mimetype: str) -> str | None:
    """Transcribe's MediaFormat for the file, or None for a format it does not take."""
    return MEDIA_FORMATS.get((mimetype or "").split(";")[0].strip().lower())


def transcript_text(document: dict[str, Any]) -> str:
    """The text of Transcribe's output document (`results.transcripts[0].transcript`); "" when
    nothing was heard. Raises ValueError for a document of another shape."""
    try:
        transcripts = document["results"]["transcripts"]
        text = transcripts[0]["transcript"] if transcripts else ""
    except (KeyError, IndexError, TypeError) as error:
        raise ValueError("not an Amazon Transcribe output document") from error
    if not isinstance(text, str):
        raise ValueError("transcript is not a string")
    return " ".join(text.split())


def output_document(job: str, text: str) -> dict[str, Any]:
    """A document in Transcribe's output format (what the local stand-in writes)."""
    words = text.split()
    return {
        "jobName": job,
        "accountId": "000000000000",
        "status": "COMPLETED",
        "results": {
            "transcripts": [{"transcript": text}],
            "items": [
                {
                    "type": "pronunciation",
                    "alternatives": [{"confidence": "0.99", "content": word}],
                    "start_time": f"{index * 0.4:.2f}",
                    "end_time": f"{index * 0.4 + 0.35:.2f}",
                }
                for index, word in enumerate(words)
            ],
        },
    }


# --- Ogg duration -------------------------------------------------------------------------------

_CAPTURE = b"OggS"
_OPUS_HEAD = b"OpusHead"
_VORBIS_HEAD = b"\x01vorbis"
OPUS_RATE = 48000  # Opus granule positions always count 48 kHz samples


def ogg_seconds(head: bytes, tail: bytes) -> float | None:
    """The duration of an Ogg (Opus or Vorbis) file from its first bytes (the codec header) and
    its last bytes (the last page's granule position: samples since the start). None when the
    bytes are not an Ogg stream this can read."""
    if not head.startswith(_CAPTURE):
        return None
    rate, pre_skip = _rate(head)
    if rate is None:
        return None
    granule = _last_granule(tail)
    if granule is None:
        return None
    return max(granule - pre_skip, 0) / rate


def _rate(head: bytes) -> tuple[int | None, int]:
    if (at := head.find(_OPUS_HEAD)) >= 0 and len(head) >= at + 12:
        (pre_skip,) = struct.unpack_from("<H", head, at + 10)
        return OPUS_RATE, pre_skip
    if (at := head.find(_VORBIS_HEAD)) >= 0 and len(head) >= at + 16:
        (rate,) = struct.unpack_from("<I", head, at + 12)
        return (rate or None), 0
    return None, 0


def _last_granule(tail: bytes) -> int | None:
    at = tail.rfind(_CAPTURE)
    while at >= 0:
        if len(tail) >= at + 14:
            (granule,) = struct.unpack_from("<q", tail, at + 6)
            if granule >= 0:  # -1: no packet ends on this page
                return granule
        at = tail.rfind(_CAPTURE, 0, at)
    return None


def initial_status(attachment: Attachment) -> str | None:
    """An audio's status when it is stored: done when the gateway sent its transcript, else
    pending; None for any other file."""
    if attachment.kind != MediaKind.AUDIO:
        return attachment.transcript_status
    if attachment.transcript_status:
        return attachment.transcript_status
    return TranscriptStatus.DONE if attachment.transcript else TranscriptStatus.PENDING


def too_long(seconds: float | None, max_seconds: int) -> bool:
    return seconds is not None and seconds > max_seconds


def description_after(description: str, placeholder: str, transcript: str) -> str | None:
    """The ticket's description once a voice note is transcribed: the transcript when the note was
    the whole description (its placeholder), else None (the description stays)."""
    return transcript if description.strip() == placeholder and transcript else None
