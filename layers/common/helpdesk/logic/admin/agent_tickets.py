"""The console's ticket desk: find a ticket by number, title, company or requester, and answer it
with files (checked as the ERP's attachments are, up to the same MEDIA_MAX_BYTES) and/or a new
status. The answer goes through ticket_actions.post_action like the ERP's, so the notifier sends
text and files to the requester.

A Lambda request carries at most 6 MB (a binary body base64-encoded in it), so the browser sends a
file in parts first (`start_upload`, `store_part`: kept under uploads/<id>/, expired by the
bucket's lifecycle when no answer uses them) and the answer names the upload. Small files may also
come inline, base64 in the answer itself.
"""

from __future__ import annotations

import base64
import binascii
import math
import mimetypes
import re
import unicodedata
import uuid
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from helpdesk import media
from helpdesk.config import settings
from helpdesk.domain import erp_events
from helpdesk.domain.conversation import MediaRefusal
from helpdesk.domain.messages import Attachment, MediaKind
from helpdesk.logic.admin.errors import InvalidInput, NotFound
from helpdesk.logic.admin.tickets import post_agent_action
from helpdesk.logic.services import Services
from helpdesk.storage import tickets
from helpdesk.storage.tickets import Action

logger = Logger(child=True)

MAX_SEARCH_RESULTS = 50
MAX_SEARCHED = 5000  # tickets read per search, newest first
# One part per request: 3 MB is 4 MB in base64, under Lambda's 6 MB with the event around it.
UPLOAD_PART_BYTES = 3 * 1024 * 1024
# A random part and the file's declared size: the answer finds a file cut short by a lost last part.
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}-([1-9][0-9]{0,9})")


@dataclass(frozen=True)
class UploadedFile:
    """A file of an answer: inline (`content`) or uploaded in parts (`upload_keys`), read only when
    it is stored, one file at a time (an answer may carry 20 files of 16 MB)."""

    filename: str
    mimetype: str
    size: int
    content: bytes | None = None
    upload_keys: tuple[str, ...] = ()  # deleted once the answer is saved

    def body(self) -> bytes:
        if self.content is not None:
            return self.content
        return b"".join(media.get(key) for key in self.upload_keys)


@dataclass(frozen=True)
class Upload:
    upload_id: str
    part_bytes: int
    parts: int


def _folded(text: str | None) -> str:
    """Lower case without accents: "Relatório" is found by "relatorio"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _matches(ticket, words: list[str], digits: str) -> bool:
    heard = " ".join(ticket.transcripts or [])  # what its voice notes say
    haystack = _folded(f"{ticket.title} {ticket.company_name} {ticket.requester_name} {heard}")
    if all(word in haystack for word in words):
        return True
    return bool(digits) and len(digits) >= 4 and (digits in ticket.cnpj or digits in ticket.requester_phone)


def search(query: str, limit: int = MAX_SEARCH_RESULTS) -> list:
    """A number finds that ticket first; words match title, company and requester names and the
    transcripts of its voice notes (all words, any order, accents and case ignored); 4+ digits
    also match CNPJs and phones."""
    query = (query or "").strip()
    if not query:
        raise InvalidInput("Informe o que procurar.", "q")
    found: list = []
    if query.isdigit() and len(query) <= 10 and (exact := tickets.get_ticket(int(query))):
        found.append(exact)
    words = _folded(query).split()
    digits = "".join(c for c in query if c.isdigit())
    for read, ticket in enumerate(tickets.tickets_newest_first()):
        if len(found) >= limit or read >= MAX_SEARCHED:
            break
        if (not found or ticket.number != found[0].number) and _matches(ticket, words, digits):
            found.append(ticket)
    return found


def parse_files(raw: object) -> list[UploadedFile]:
    """`[{filename, mimetype, upload_id}]` (sent through `store_part`) or `[{filename, mimetype,
    content (base64)}]` from the browser; raises InvalidInput."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        raise InvalidInput("Anexos inválidos: envie uma lista de arquivos.", "attachments")
    if len(raw) > erp_events.MAX_ATTACHMENTS:
        raise InvalidInput(f"No máximo {erp_events.MAX_ATTACHMENTS} arquivos por resposta.", "attachments")
    files = []
    for index, item in enumerate(raw):
        field = f"attachments[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput("Anexo inválido.", field)
        filename = str(item.get("filename") or "")
        mimetype = _mimetype(filename, item.get("mimetype"))
        if isinstance(item.get("upload_id"), str):
            parts = _upload_parts(item["upload_id"], field)
            files.append(UploadedFile(filename, mimetype, sum(parts.values()), upload_keys=tuple(parts)))
            continue
        if not isinstance(item.get("content"), str) or not item["content"]:
            raise InvalidInput("Anexo inválido.", field)
        try:
            body = base64.b64decode(item["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidInput("Anexo inválido (base64).", field) from error
        files.append(UploadedFile(filename, mimetype, len(body), content=body))
    return files


def _mimetype(filename: str, declared: object) -> str:
    mimetype = str(declared or "").split(";")[0].strip().lower()
    if mimetype in ("", "application/octet-stream"):
        # Browsers leave the type empty for files the OS does not know: the name tells, as for the ERP.
        mimetype = (mimetypes.guess_type(filename)[0] or mimetype).lower()
    return mimetype


def upload_limit() -> int:
    """The largest file an answer takes: the ERP's attachments' limit."""
    return settings().media_max_bytes


def _check_file(mimetype: str, size: int, field: str) -> MediaKind:
    kind = media.kind_of(mimetype)
    refused = media.refusal(kind, mimetype, size, upload_limit())
    if refused is MediaRefusal.TOO_LARGE:
        raise InvalidInput(f"O arquivo passa do limite de {_megabytes(upload_limit())}.", field)
    if refused is not None:
        raise InvalidInput("Tipo de arquivo não aceito.", field)
    return kind


def start_upload(filename: object, mimetype: object, size: object) -> Upload:
    """Checks a file before its parts come (type and size, as an answer checks it); the upload id
    the parts and the answer name."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise InvalidInput("Informe o tamanho do arquivo em bytes.", "size")
    _check_file(_mimetype(str(filename or ""), mimetype), size, "size")
    return Upload(f"{uuid.uuid4().hex}-{size}", UPLOAD_PART_BYTES, math.ceil(size / UPLOAD_PART_BYTES))


def store_part(upload_id: str, part: int, body: bytes) -> None:
    """One part of an upload (parts numbered from 0, each at most UPLOAD_PART_BYTES)."""
    if not _UPLOAD_ID.fullmatch(upload_id):
        raise NotFound("Envio de arquivo não encontrado.", "upload_id")
    if not 0 <= part < math.ceil(upload_limit() / UPLOAD_PART_BYTES):
        raise InvalidInput("Parte do arquivo fora do limite.", "part")
    if not body or len(body) > UPLOAD_PART_BYTES:
        raise InvalidInput(f"Cada parte tem de 1 byte a {_megabytes(UPLOAD_PART_BYTES)}.", "body")
    media.put(f"{media.UPLOADS_PREFIX}{upload_id}/{part:04d}", body, "application/octet-stream")


def _upload_parts(upload_id: str, field: str) -> dict[str, int]:
    """An upload's parts in order, with their sizes; refuses an unknown upload, or one with a part
    missing (in the middle or at the end: the parts must add up to the declared size)."""
    declared = _UPLOAD_ID.fullmatch(upload_id)
    found = media.sizes(f"{media.UPLOADS_PREFIX}{upload_id}/") if declared else {}
    expected = [f"{media.UPLOADS_PREFIX}{upload_id}/{n:04d}" for n in range(len(found))]
    if not declared or sorted(found) != expected or sum(found.values()) != int(declared.group(1)):
        raise InvalidInput("O envio do arquivo não chegou inteiro: anexe-o de novo.", field)
    return {key: found[key] for key in expected}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def answer(
    services: Services,
    number: int,
    *,
    author_name: str,
    text: str | None,
    files: list[UploadedFile],
    status: str | None = None,
    visible_to_requester: bool = True,
    action_id: str | None = None,
) -> Action:
    """Checks every file first (nothing is stored when one is refused), stores them under
    media/admin/<ticket>/<action id>/, then posts one agent action with them."""
    attachments: list[Attachment] = []
    if files:
        action_id = action_id or f"admin-{uuid.uuid4().hex}"
        attachments = _store_files(number, action_id, files)
    action = post_agent_action(
        services,
        number,
        author_name=author_name,
        text=text,
        status=status,
        visible_to_requester=visible_to_requester,
        action_id=action_id,
        attachments=attachments,
    )
    if parts := [key for file in files for key in file.upload_keys]:
        try:
            media.delete(parts)
        except Exception:  # the answer is saved; the bucket's lifecycle expires the parts anyway
            logger.exception("parts of an uploaded file left behind", extra={"parts": len(parts)})
    return action


def _store_files(number: int, action_id: str, files: list[UploadedFile]) -> list[Attachment]:
    if tickets.get_ticket(number) is None:
        raise NotFound(f"Chamado {number} não encontrado.", "number")
    prepared, used = [], set()
    for index, file in enumerate(files):
        kind = _check_file(file.mimetype, file.size, f"attachments[{index}]")
        fallback = f"{kind.value}-{index + 1}{mimetypes.guess_extension(file.mimetype) or ''}"
        filename = media.safe_filename(file.filename, fallback)
        if filename in used:
            filename = f"{index + 1}-{filename}"
        used.add(filename)
        key = f"media/admin/{number}/{action_id}/{filename}"
        prepared.append(
            (
                Attachment(key=key, kind=kind, mimetype=file.mimetype, filename=filename, size=file.size),
                file,
            )
        )
    for attachment, file in prepared:
        media.put(attachment.key, file.body(), attachment.mimetype)
    return [attachment for attachment, _ in prepared]
