"""What crosses the seams between gateways, the queue, the dialog and the turn executor.

Everything here is plain data with a JSON form, so it can travel through SQS and be written to
DynamoDB without any adapter knowing the others.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from msgspec import Struct, field
from msgspec.structs import asdict


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    DOCUMENT = "document"


class MediaRefusal(StrEnum):
    """Why a file cannot be kept (the media bucket checks it; the dialog words it)."""

    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"


class InboundKind(StrEnum):
    TEXT = "text"
    MEDIA = "media"
    # Stickers, locations, contacts, polls...: the dialog answers them with a hint.
    OTHER = "other"
    # What the requester did to an earlier message (`InboundMessage.target_id`): an edit (`text`
    # is the new text), a delete for everyone, a reaction (`text` is the emoji, "" removes it).
    EDIT = "edit"
    REVOKE = "revoke"
    REACTION = "reaction"


class MediaRef(Struct, frozen=True):
    """A file the requester sent, before it is downloaded.

    `source` holds what the gateway that received it needs to download it later (Evolution: the
    message key and body, or inline base64; Cloud API: the media id). Only that gateway reads it.
    """

    kind: MediaKind
    mimetype: str
    filename: str | None = None
    size: int | None = None
    caption: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    # What a voice note says, when the gateway transcribed it (Evolution's `speechToText`).
    transcript: str | None = None
    seconds: int | None = None  # an audio's duration, when the gateway reports it

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MediaRef:
        return cls(**{**data, "kind": MediaKind(data["kind"])})


class InboundMessage(Struct, frozen=True):
    """One message a requester sent, as every gateway reports it."""

    message_id: str
    instance: str
    phone: str  # the identity: keys and FIFO groups (digits, "lid:<digits>" or a BSUID; domain.phone)
    kind: InboundKind
    timestamp: int  # epoch seconds, as the gateway stamped it
    gateway: str
    text: str | None = None
    media: MediaRef | None = None
    push_name: str | None = None
    quoted_id: str | None = None  # the id of the message this one replies to (a quote)
    reply_to: str | None = None  # where answers go: the sender's address exactly as received
    lid: str | None = None  # the sender's WhatsApp LID digits, when the gateway reported one
    bsuid: str | None = None  # the sender's business-scoped user ID (Cloud API), when reported
    username: str | None = None  # the sender's WhatsApp username (display only: it can change)
    target_id: str | None = None  # EDIT, REVOKE, REACTION: the id of the message it changes

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "media": asdict(self.media) if self.media else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InboundMessage:
        media = data.get("media")
        return cls(
            **{
                **data,
                "kind": InboundKind(data["kind"]),
                "media": MediaRef.from_dict(media) if media else None,
            }
        )


class Attachment(Struct, frozen=True):
    """A file stored in the media bucket."""

    key: str
    kind: MediaKind
    mimetype: str
    filename: str
    size: int
    # Audio only (helpdesk.domain.transcripts): what it says, and where its transcription stands.
    transcript: str | None = None
    transcript_status: str | None = None
    seconds: int | None = None  # its duration, when the gateway reported it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def received(cls, ref: MediaRef, key: str, mimetype: str, filename: str, size: int) -> Attachment:
        """A requester's file as stored, with what the gateway said of it (an audio's transcript:
        then no Transcribe job; its duration)."""
        return cls(
            key, ref.kind, mimetype, filename, size, transcript=ref.transcript or None, seconds=ref.seconds
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment:
        return cls(**{**data, "kind": MediaKind(data["kind"])})


class OutboundMedia(Struct, frozen=True):
    """A file to send: a short-lived URL the gateway can fetch, or inline bytes (base64)."""

    kind: MediaKind
    mimetype: str
    filename: str
    url: str | None = None
    base64: str | None = None
    caption: str | None = None
