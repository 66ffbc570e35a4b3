"""Files people send from a browser (the console's answers, the portal's messages): read from the
request, checked as the ERP's attachments are (their type, and a size up to MEDIA_MAX_BYTES), then
stored under the action's prefix. Each audience states its own `FileRules` (how many files, how
a refusal reads); the checks are the same.

A Lambda request carries at most 6 MB (a binary body base64-encoded in it), so the console sends a
large file in parts first (logic.admin.agent_tickets: `start_upload`, `store_part`, kept under
uploads/<id>/ and expired by the bucket's lifecycle when no answer uses them) and the answer names
the upload. Small files come inline, base64 in the request itself (the portal's only way).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from collections.abc import Callable, Sequence

from msgspec import Struct

from helpdesk.aws import s3
from helpdesk.config import settings
from helpdesk.domain.messages import Attachment, MediaKind, MediaRefusal

FIELD = "attachments"
# One part per request: 3 MB is 4 MB in base64, under Lambda's 6 MB with the event around it.
UPLOAD_PART_BYTES = 3 * 1024 * 1024
# A random part and the file's declared size: the answer finds a file cut short by a lost last part.
UPLOAD_ID = re.compile(r"[0-9a-f]{32}-([1-9][0-9]{0,9})")


class UploadedFile(Struct, frozen=True):
    """A file of a request: inline (`content`) or uploaded in parts (`upload_keys`), read only when
    it is stored, one file at a time (an answer may carry 20 files of 16 MB)."""

    filename: str
    mimetype: str
    content: bytes | None = None
    upload_keys: tuple[str, ...] = ()  # deleted once the answer is saved
    parts_size: int = 0  # what the parts add up to

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else self.parts_size

    def body(self) -> bytes:
        if self.content is not None:
            return self.content
        return b"".join(s3.get(key) for key in self.upload_keys)


class FileRules(Struct, frozen=True):
    """What one audience's requests may carry, and how its refusals read (pt-BR)."""

    max_files: int
    too_many: str  # more than max_files
    not_a_list: str
    refuse: Callable[[str, str], Exception]  # (message, field) -> the audience's own error
    request_cap: int | None = None  # files come inline: none above this, or the request would not fit
    in_parts: bool = False  # a file may name an upload sent in parts

    def limit(self) -> int:
        """The largest file taken: the ERP's attachments' limit, under the request's own cap."""
        limit = settings().media_max_bytes
        return min(limit, self.request_cap) if self.request_cap else limit


def parse_files(raw: object, rules: FileRules) -> list[UploadedFile]:
    """`[{filename, mimetype, content (base64)}]`, or (in parts) `[{filename, mimetype, upload_id}]`
    from the browser; raises the rules' error."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        raise rules.refuse(rules.not_a_list, FIELD)
    if len(raw) > rules.max_files:
        raise rules.refuse(rules.too_many, FIELD)
    return [_parsed(item, f"{FIELD}[{index}]", rules) for index, item in enumerate(raw)]


def _parsed(item: object, field: str, rules: FileRules) -> UploadedFile:
    if not isinstance(item, dict):
        raise rules.refuse("Anexo inválido.", field)
    filename = str(item.get("filename") or "")
    mimetype = normalized_mimetype(filename, item.get("mimetype"))
    if rules.in_parts and isinstance(item.get("upload_id"), str):
        parts = _upload_parts(item["upload_id"], field, rules)
        return UploadedFile(filename, mimetype, upload_keys=tuple(parts), parts_size=sum(parts.values()))
    if not isinstance(item.get("content"), str) or not item["content"]:
        raise rules.refuse("Anexo inválido.", field)
    try:
        body = base64.b64decode(item["content"], validate=True)
    except (binascii.Error, ValueError) as error:
        raise rules.refuse("Anexo inválido (base64).", field) from error
    return UploadedFile(filename, mimetype, content=body)


def normalized_mimetype(filename: str, declared: object) -> str:
    mimetype = str(declared or "").split(";")[0].strip().lower()
    if mimetype in ("", "application/octet-stream"):
        # Browsers leave the type empty for files the OS does not know: the name tells, as for the ERP.
        mimetype = (mimetypes.guess_type(filename)[0] or mimetype).lower()
    return mimetype


def _upload_parts(upload_id: str, field: str, rules: FileRules) -> dict[str, int]:
    """An upload's parts in order, with their sizes; refuses an unknown upload, or one with a part
    missing (in the middle or at the end: the parts must add up to the declared size)."""
    declared = UPLOAD_ID.fullmatch(upload_id)
    found = s3.sizes(f"{s3.UPLOADS_PREFIX}{upload_id}/") if declared else {}
    expected = [part_key(upload_id, n) for n in range(len(found))]
    if not declared or sorted(found) != expected or sum(found.values()) != int(declared.group(1)):
        raise rules.refuse("O envio do arquivo não chegou inteiro: anexe-o de novo.", field)
    return {key: found[key] for key in expected}


def part_key(upload_id: str, part: int) -> str:
    return f"{s3.UPLOADS_PREFIX}{upload_id}/{part:04d}"


def check_file(mimetype: str, size: int, field: str, rules: FileRules) -> MediaKind:
    """The file's kind, if its type and size are accepted; raises the rules' error."""
    limit = rules.limit()
    kind = s3.kind_of(mimetype)
    refused = s3.refusal(kind, mimetype, size, limit)
    if refused is MediaRefusal.TOO_LARGE:
        raise rules.refuse(f"O arquivo passa do limite de {size_text(limit)}.", field)
    if refused is not None:
        raise rules.refuse("Tipo de arquivo não aceito.", field)
    return kind


def store(files: Sequence[UploadedFile], prefix: str, rules: FileRules) -> list[Attachment]:
    """Checks every file first (nothing is stored when one is refused), then stores each under
    `prefix` with a name of its own."""
    prepared, used = [], set()
    for index, file in enumerate(files):
        kind = check_file(file.mimetype, file.size, f"{FIELD}[{index}]", rules)
        fallback = f"{kind.value}-{index + 1}{mimetypes.guess_extension(file.mimetype) or ''}"
        filename = s3.safe_filename(file.filename, fallback)
        if filename in used:
            filename = f"{index + 1}-{filename}"
        used.add(filename)
        attachment = Attachment(
            key=prefix + filename, kind=kind, mimetype=file.mimetype, filename=filename, size=file.size
        )
        prepared.append((attachment, file))
    for attachment, file in prepared:
        s3.put(attachment.key, file.body(), attachment.mimetype)
    return [attachment for attachment, _ in prepared]


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"
