"""The console's ticket desk: find a ticket by number, title, company or requester, and answer it
with files (checked as the ERP's attachments are) and/or a new status. The answer goes through
ticket_actions.post_action like the ERP's, so the notifier sends text and files to the requester.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import unicodedata
import uuid
from dataclasses import dataclass

from helpdesk import media
from helpdesk.config import settings
from helpdesk.domain import erp_events
from helpdesk.domain.conversation import MediaRefusal
from helpdesk.domain.messages import Attachment
from helpdesk.logic import admin
from helpdesk.logic.services import Services
from helpdesk.storage import tickets
from helpdesk.storage.tickets import Action

MAX_SEARCH_RESULTS = 50
MAX_SEARCHED = 5000  # tickets read per search, newest first
# A Lambda request carries at most 6 MB and base64 adds a third: one answer's files stay below.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    mimetype: str
    body: bytes


def _folded(text: str | None) -> str:
    """Lower case without accents: "Relatório" is found by "relatorio"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _matches(ticket, words: list[str], digits: str) -> bool:
    haystack = _folded(f"{ticket.title} {ticket.company_name} {ticket.requester_name}")
    if all(word in haystack for word in words):
        return True
    return bool(digits) and len(digits) >= 4 and (digits in ticket.cnpj or digits in ticket.requester_phone)


def search(query: str, limit: int = MAX_SEARCH_RESULTS) -> list:
    """A number finds that ticket first; words match title, company and requester names (all
    words, any order, accents and case ignored); 4+ digits also match CNPJs and phones."""
    query = (query or "").strip()
    if not query:
        raise admin.InvalidInput("Informe o que procurar.", "q")
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
    """`[{filename, mimetype, content (base64)}]` from the browser; raises admin.InvalidInput."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        raise admin.InvalidInput("'attachments' deve ser uma lista.", "attachments")
    if len(raw) > erp_events.MAX_ATTACHMENTS:
        raise admin.InvalidInput(
            f"No máximo {erp_events.MAX_ATTACHMENTS} arquivos por resposta.", "attachments"
        )
    files = []
    for index, item in enumerate(raw):
        field = f"attachments[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("content"), str) or not item["content"]:
            raise admin.InvalidInput("Anexo inválido.", field)
        try:
            body = base64.b64decode(item["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise admin.InvalidInput("Anexo inválido (base64).", field) from error
        filename = str(item.get("filename") or "")
        mimetype = str(item.get("mimetype") or "").split(";")[0].strip().lower()
        if mimetype in ("", "application/octet-stream"):
            # Browsers leave the type empty for files the OS does not know: the name tells, as for the ERP.
            mimetype = (mimetypes.guess_type(filename)[0] or mimetype).lower()
        files.append(UploadedFile(filename, mimetype, body))
    return files


def upload_limit() -> int:
    return min(settings().media_max_bytes, MAX_UPLOAD_BYTES)


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
    return admin.post_agent_action(
        services,
        number,
        author_name=author_name,
        text=text,
        status=status,
        visible_to_requester=visible_to_requester,
        action_id=action_id,
        attachments=attachments,
    )


def _store_files(number: int, action_id: str, files: list[UploadedFile]) -> list[Attachment]:
    if tickets.get_ticket(number) is None:
        raise admin.NotFound(f"Chamado {number} não encontrado.", "number")
    limit = upload_limit()
    if sum(len(f.body) for f in files) > limit:
        raise admin.InvalidInput(
            f"Os anexos passam do limite de {_megabytes(limit)} por resposta.", "attachments"
        )
    prepared, used = [], set()
    for index, file in enumerate(files):
        kind = media.kind_of(file.mimetype)
        refused = media.refusal(kind, file.mimetype, len(file.body), limit)
        if refused is MediaRefusal.TOO_LARGE:
            raise admin.InvalidInput(
                f"O arquivo passa do limite de {_megabytes(limit)}.", f"attachments[{index}]"
            )
        if refused is not None:
            raise admin.InvalidInput("Tipo de arquivo não aceito.", f"attachments[{index}]")
        fallback = f"{kind.value}-{index + 1}{mimetypes.guess_extension(file.mimetype) or ''}"
        filename = media.safe_filename(file.filename, fallback)
        if filename in used:
            filename = f"{index + 1}-{filename}"
        used.add(filename)
        key = f"media/admin/{number}/{action_id}/{filename}"
        prepared.append(
            (
                Attachment(
                    key=key, kind=kind, mimetype=file.mimetype, filename=filename, size=len(file.body)
                ),
                file,
            )
        )
    for attachment, file in prepared:
        media.put(attachment.key, file.body, attachment.mimetype)
    return [attachment for attachment, _ in prepared]
