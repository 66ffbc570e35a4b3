"""Amazon Transcribe, locally: moto keeps the jobs (Start, Get, Delete) but hears nothing, so this
stand-in does what the service does when a job ends: writes the output document in Transcribe's
JSON format where the job said (OutputBucketName/OutputKey), and puts the "Transcribe Job State
Change" event on the local bus, which the template's rule routes to the transcriber.

What a voice note "says" comes from `SaidRegistry`: the simulator's voice-note button asks what
the person said, makes a voice note (`voice_note`: a real Ogg/Opus file of silence of about the
time it takes to say it) and records the text under the SHA-256 of the file's bytes. The bytes
travel unchanged through the webhook, the processor and the bucket, so the stand-in finds the text
by hashing the job's input; nothing in the product reads the registry. A file nobody recorded is
heard as silence (an empty transcript); a file that is not the audio its format says fails the
job, as Transcribe fails it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import struct
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from helpdesk.domain import transcripts
from local import calls_made
from local.eventbus import event

log = logging.getLogger("local.transcribe")

WORDS_PER_SECOND = 2.5  # an unhurried speaker


class SaidRegistry:
    """What each voice note says, by the SHA-256 of its bytes (shared by the simulator and the
    stand-in, in the local stack's process)."""

    def __init__(self) -> None:
        self._said: dict[str, str] = {}
        self._lock = threading.Lock()

    def record(self, audio: bytes, text: str) -> str:
        digest = hashlib.sha256(audio).hexdigest()
        with self._lock:
            self._said[digest] = text
        return digest

    def heard(self, audio: bytes) -> str:
        with self._lock:
            return self._said.get(hashlib.sha256(audio).hexdigest(), "")


def speaking_seconds(text: str) -> int:
    return max(1, round(len(text.split()) / WORDS_PER_SECOND))


# --- an Ogg/Opus voice note ---------------------------------------------------------------------

PRE_SKIP = 312
FRAME_SAMPLES = 960  # 20 ms at 48 kHz
SILENT_FRAME = b"\xf8\xff\xfe"  # one 20 ms CELT frame of silence
FRAMES_PER_PAGE = 50


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_CRC = _crc_table()


def _page(packets: list[bytes], granule: int, sequence: int, flags: int, serial: int = 0x5EC0DE) -> bytes:
    lacing = b"".join(bytes([len(p)]) for p in packets)  # every packet here is under 255 bytes
    header = b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, sequence, 0, len(packets))
    page = bytearray(header + lacing + b"".join(packets))
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC[((crc >> 24) ^ byte) & 0xFF]
    struct.pack_into("<I", page, 22, crc)
    return bytes(page)


def voice_note(seconds: float) -> bytes:
    """A mono Ogg/Opus file of `seconds` of silence, as WhatsApp records voice notes."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, PRE_SKIP, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 9) + b"simulador" + struct.pack("<I", 0)
    pages = [_page([head], 0, 0, 0x02), _page([tags], 0, 1, 0)]
    frames = max(1, round(seconds * 1000 / 20))
    written = 0
    while written < frames:
        count = min(FRAMES_PER_PAGE, frames - written)
        written += count
        last = written == frames
        granule = PRE_SKIP + written * FRAME_SAMPLES
        pages.append(_page([SILENT_FRAME] * count, granule, len(pages), 0x04 if last else 0))
    return b"".join(pages)


# --- the stand-in -------------------------------------------------------------------------------

_MAGIC = {
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "wav": (b"RIFF",),
    "flac": (b"fLaC",),
    "amr": (b"#!AMR",),
    "webm": (b"\x1a\x45\xdf\xa3",),
}


def decodable(media_format: str, audio: bytes) -> bool:
    """Whether the bytes are the audio their format says (roughly what Transcribe checks first)."""
    if media_format == "ogg":
        return transcripts.ogg_seconds(audio[:4096], audio[-65536:]) is not None
    if media_format in ("mp4", "m4a"):
        return audio[4:8] == b"ftyp"
    return audio.startswith(_MAGIC.get(media_format, (b"",)))


class TranscribeStandIn(threading.Thread):
    """Finishes the jobs moto holds, one poll at a time (tests call `poll_once`)."""

    def __init__(
        self,
        transcribe,
        s3,
        said: SaidRegistry,
        publish: Callable[[dict[str, Any]], Any],
        stop: threading.Event | None = None,
        idle_read: float = 2.0,  # a job started by another process is seen within this
    ) -> None:
        super().__init__(name="transcribe-stand-in", daemon=True)
        self.transcribe, self.s3, self.said, self.publish = transcribe, s3, said, publish
        self.stop = stop or threading.Event()
        self.idle_read = idle_read
        self.finished: set[str] = set()

    def run(self) -> None:
        calls_made.install()
        while not self.stop.is_set():
            seen = calls_made.TRANSCRIPTIONS_STARTED.count
            try:
                self.poll_once()
            except Exception:
                log.exception("Transcribe stand-in failed; retrying")
            calls_made.TRANSCRIPTIONS_STARTED.wait_after(seen, self.stop, idle=self.idle_read)

    def poll_once(self) -> int:
        names = [
            job["TranscriptionJobName"]
            for job in self.transcribe.list_transcription_jobs().get("TranscriptionJobSummaries", [])
            if job["TranscriptionJobName"] not in self.finished
        ]
        for name in names:
            self.finish(name)
        return len(names)

    def finish(self, name: str) -> None:
        job = self.transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
        audio = self._media(job["Media"]["MediaFileUri"])
        detail: dict[str, Any] = {"TranscriptionJobName": name}
        if audio is None:
            detail["TranscriptionJobStatus"] = "FAILED"
            detail["FailureReason"] = "The URI that you provided doesn't point to an S3 object."
        elif decodable(job.get("MediaFormat") or "", audio):
            while "Transcript" not in job:  # moto moves a job one state per read
                job = self.transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
            out_bucket, out_key = _s3_location(job["Transcript"]["TranscriptFileUri"])
            document = transcripts.output_document(name, self.said.heard(audio))
            self.s3.put_object(Bucket=out_bucket, Key=out_key, Body=_json(document))
            detail["TranscriptionJobStatus"] = "COMPLETED"
        else:
            detail["TranscriptionJobStatus"] = "FAILED"
            detail["FailureReason"] = "The media format provided does not match the detected media format."
        self.finished.add(name)
        self.publish(_event(detail))
        log.info("transcription job %s %s", name, detail["TranscriptionJobStatus"].lower())

    def _media(self, uri: str) -> bytes | None:
        bucket, key = _s3_location(uri)
        try:
            return self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None


def _s3_location(uri: str) -> tuple[str, str]:
    """(bucket, key) of an s3:// URI or of the https URL Transcribe reports its output at."""
    parts = urlsplit(uri)
    if parts.scheme == "s3":
        return parts.netloc, parts.path.lstrip("/")
    bucket, _, key = parts.path.lstrip("/").partition("/")
    return bucket, key


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def _event(detail: dict[str, Any]) -> dict[str, Any]:
    return event("aws.transcribe", "Transcribe Job State Change", detail)
