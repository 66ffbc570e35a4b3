"""The media bucket: files requesters and agents attach to tickets."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from botocore.config import Config

from helpdesk import aws, caches
from helpdesk.config import settings
from helpdesk.domain.messages import MediaKind, MediaRefusal

# What WhatsApp carries and an agent can open; anything else is refused with a clear message.
ACCEPTED_DOCUMENTS = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/xml",
        "application/zip",
        "text/plain",
        "text/csv",
        "text/xml",
    }
)
ACCEPTED_PREFIXES = {MediaKind.IMAGE: "image/", MediaKind.VIDEO: "video/", MediaKind.AUDIO: "audio/"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def kind_of(mimetype: str) -> MediaKind:
    """The kind a file is sent as, from its mimetype; anything not image/video/audio is a document."""
    for kind, prefix in ACCEPTED_PREFIXES.items():
        if mimetype.startswith(prefix):
            return kind
    return MediaKind.DOCUMENT


def refusal(kind: MediaKind, mimetype: str, size: int | None, max_bytes: int) -> MediaRefusal | None:
    """Why a file cannot be kept, or None when it can."""
    mimetype = (mimetype or "").split(";")[0].strip().lower()
    if size is not None and size > max_bytes:
        return MediaRefusal.TOO_LARGE
    if kind in ACCEPTED_PREFIXES:
        accepted = mimetype.startswith(ACCEPTED_PREFIXES[kind])
    else:
        accepted = mimetype in ACCEPTED_DOCUMENTS or mimetype.startswith(("image/", "video/", "audio/"))
    return None if accepted else MediaRefusal.UNSUPPORTED_TYPE


def safe_filename(name: str | None, fallback: str) -> str:
    cleaned = _UNSAFE.sub("_", (name or "").strip())[-100:].strip("._")
    return cleaned or fallback


@caches.cached
def _s3():
    # SigV4 links carry a lifetime (X-Amz-Expires) in every region.
    return aws.client("s3", config=Config(signature_version="s3v4"))


def put(key: str, body: bytes, mimetype: str) -> None:
    _s3().put_object(
        Bucket=settings().media_bucket,
        Key=key,
        Body=body,
        ContentType=mimetype,
        ServerSideEncryption="AES256",
    )


# A file sent while a ticket or an action is being written waits under STAGED_PREFIX (the bucket's
# lifecycle deletes what an abandoned draft left behind); `keep` moves it beside the ticket's files.
STAGED_PREFIX = "staged/"
KEPT_PREFIX = "media/"
# The parts of a file the console uploads for an answer (logic.admin.agent_tickets); the lifecycle deletes
# what an answer never used.
UPLOADS_PREFIX = "uploads/"


def keep(staged_key: str) -> str:
    """Copies a staged file to where the ticket keeps it (idempotent); returns its kept key."""
    if not staged_key.startswith(STAGED_PREFIX):
        return staged_key
    kept_key = KEPT_PREFIX + staged_key.removeprefix(STAGED_PREFIX)
    bucket = settings().media_bucket
    _s3().copy_object(
        Bucket=bucket,
        Key=kept_key,
        CopySource={"Bucket": bucket, "Key": staged_key},
        ServerSideEncryption="AES256",
    )
    return kept_key


def get(key: str) -> bytes:
    return _s3().get_object(Bucket=settings().media_bucket, Key=key)["Body"].read()


def presigned_url(key: str, filename: str | None = None) -> str:
    params = {"Bucket": settings().media_bucket, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = f'attachment; filename="{safe_filename(filename, "arquivo")}"'
    return _s3().generate_presigned_url(
        "get_object", Params=params, ExpiresIn=settings().presigned_url_seconds
    )


def url_origin() -> str:
    """Where the presigned links point (scheme://host[:port]): a page that shows the files as
    images must allow this origin in its CSP."""
    parts = urlsplit(presigned_url("origin"))
    return f"{parts.scheme}://{parts.netloc}"


def sizes(prefix: str) -> dict[str, int]:
    """The objects under `prefix` and their sizes in bytes."""
    paginator = _s3().get_paginator("list_objects_v2")
    pages = paginator.paginate(Bucket=settings().media_bucket, Prefix=prefix)
    return {item["Key"]: item["Size"] for page in pages for item in page.get("Contents", [])}


def list_keys(prefix: str) -> list[str]:
    return list(sizes(prefix))


class DeleteFailed(RuntimeError):
    """S3 refused to delete some objects (DeleteObjects answers 200 and lists them)."""


def delete(keys: list[str]) -> None:
    """Deletes the objects (absent ones are no error), 1,000 per request as S3 allows; raises
    DeleteFailed naming the keys S3 kept (no permission, for one): nothing is left silently."""
    for start in range(0, len(keys), 1000):
        chunk = [{"Key": key} for key in keys[start : start + 1000]]
        answer = _s3().delete_objects(
            Bucket=settings().media_bucket, Delete={"Objects": chunk, "Quiet": True}
        )
        if errors := answer.get("Errors"):
            kept = ", ".join(f"{e.get('Key')} ({e.get('Code')})" for e in errors[:5])
            raise DeleteFailed(f"S3 kept {len(errors)} of {len(chunk)} objects: {kept}")


def ends(key: str, size: int = 4096) -> tuple[bytes, bytes]:
    """The first and last `size` bytes of an object (two ranged reads, however large the file)."""
    head = _s3().get_object(Bucket=settings().media_bucket, Key=key, Range=f"bytes=0-{size - 1}")
    tail = _s3().get_object(Bucket=settings().media_bucket, Key=key, Range=f"bytes=-{size}")
    return head["Body"].read(), tail["Body"].read()
