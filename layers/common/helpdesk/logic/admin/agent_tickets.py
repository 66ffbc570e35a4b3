"""The console's ticket desk: find a ticket by number, title, company or requester, and answer it
with files (read and checked by logic.uploads, as the ERP's attachments are, up to the same
MEDIA_MAX_BYTES) and/or a new status. The answer goes through ticket_actions.post_action like the
ERP's, so the notifier sends text and files to the requester.

A large file comes in parts first (`start_upload`, `store_part`: kept under uploads/<id>/, expired
by the bucket's lifecycle when no answer uses them) and the answer names the upload.
"""

from __future__ import annotations

import math
import unicodedata
import uuid

from aws_lambda_powertools import Logger
from msgspec import Struct

from helpdesk.aws import s3
from helpdesk.domain import erp_events
from helpdesk.domain.messages import Attachment
from helpdesk.logic import uploads
from helpdesk.logic.admin.errors import InvalidInput, NotFound
from helpdesk.logic.admin.tickets import post_agent_action
from helpdesk.logic.services import Services
from helpdesk.logic.uploads import UPLOAD_PART_BYTES, UploadedFile
from helpdesk.storage import tickets
from helpdesk.storage.tickets import Action

logger = Logger(child=True)

MAX_SEARCH_RESULTS = 50
MAX_SEARCHED = 5000  # tickets read per search, newest first


class Upload(Struct, frozen=True):
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


# What an answer may carry, and how its refusals read.
FILES = uploads.FileRules(
    max_files=erp_events.MAX_ATTACHMENTS,
    too_many=f"No máximo {erp_events.MAX_ATTACHMENTS} arquivos por resposta.",
    not_a_list="Anexos inválidos: envie uma lista de arquivos.",
    refuse=InvalidInput,
    in_parts=True,
)


def parse_files(raw: object) -> list[UploadedFile]:
    """The answer's files (`[{filename, mimetype, upload_id | content}]`); raises InvalidInput."""
    return uploads.parse_files(raw, FILES)


def start_upload(filename: object, mimetype: object, size: object) -> Upload:
    """Checks a file before its parts come (type and size, as an answer checks it); the upload id
    the parts and the answer name."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise InvalidInput("Informe o tamanho do arquivo em bytes.", "size")
    uploads.check_file(uploads.normalized_mimetype(str(filename or ""), mimetype), size, "size", FILES)
    return Upload(f"{uuid.uuid4().hex}-{size}", UPLOAD_PART_BYTES, math.ceil(size / UPLOAD_PART_BYTES))


def store_part(upload_id: str, part: int, body: bytes) -> None:
    """One part of an upload (parts numbered from 0, each at most UPLOAD_PART_BYTES)."""
    if not uploads.UPLOAD_ID.fullmatch(upload_id):
        raise NotFound("Envio de arquivo não encontrado.", "upload_id")
    if not 0 <= part < math.ceil(FILES.limit() / UPLOAD_PART_BYTES):
        raise InvalidInput("Parte do arquivo fora do limite.", "part")
    if not body or len(body) > UPLOAD_PART_BYTES:
        raise InvalidInput(f"Cada parte tem de 1 byte a {uploads.size_text(UPLOAD_PART_BYTES)}.", "body")
    s3.put(uploads.part_key(upload_id, part), body, "application/octet-stream")


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
            s3.delete(parts)
        except Exception:  # the answer is saved; the bucket's lifecycle expires the parts anyway
            logger.exception("parts of an uploaded file left behind", extra={"parts": len(parts)})
    return action


def _store_files(number: int, action_id: str, files: list[UploadedFile]) -> list[Attachment]:
    if tickets.get_ticket(number) is None:
        raise NotFound(f"Chamado {number} não encontrado.", "number")
    return uploads.store(files, f"media/admin/{number}/{action_id}/", FILES)
