"""A requester's message (and files) on their own ticket, posted from the portal."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from helpdesk import media
from helpdesk.config import settings
from helpdesk.domain.conversation import MediaRefusal
from helpdesk.domain.messages import Attachment
from helpdesk.logic import ticket_actions
from helpdesk.logic.portal.queries import own_ticket
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import phones
from helpdesk.storage.tickets import Action

logger = Logger(child=True)

MAX_TEXT = 4000
MAX_FILES = 5
# A Lambda request carries at most 6 MB and base64 adds a third: the portal's uploads stay below.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024


class InvalidAction(Exception):
    """An action the portal refuses; the message is shown to the requester (pt-BR)."""


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    mimetype: str
    body: bytes


def parse_files(raw_files: object) -> list[UploadedFile]:
    """Decodes `[{filename, mimetype, content (base64)}]`; raises InvalidAction."""
    if raw_files in (None, []):
        return []
    if not isinstance(raw_files, list) or len(raw_files) > MAX_FILES:
        raise InvalidAction(f"Envie no máximo {MAX_FILES} arquivos por vez.")
    files = []
    for raw in raw_files:
        if not isinstance(raw, dict) or not isinstance(raw.get("content"), str):
            raise InvalidAction("Anexo inválido.")
        try:
            body = base64.b64decode(raw["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise InvalidAction("Anexo inválido.") from error
        files.append(
            UploadedFile(str(raw.get("filename") or ""), str(raw.get("mimetype") or "").lower(), body)
        )
    return files


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def upload_limit() -> int:
    return min(settings().media_max_bytes, MAX_UPLOAD_BYTES)


def post_action(
    services: Services, phone: str, number: int, text: str | None, files: Sequence[UploadedFile] = ()
) -> Action:
    """Adds the requester's message (and files) to their own ticket, as WhatsApp messages are added:
    through ticket_actions.post_action, so it reaches the ERP the same way."""
    text = (text or "").strip()
    if not text and not files:
        raise InvalidAction("Escreva uma mensagem ou anexe um arquivo.")
    if len(text) > MAX_TEXT:
        raise InvalidAction(f"A mensagem pode ter no máximo {MAX_TEXT} caracteres.")
    ticket = own_ticket(phone, number)
    requester = phones.get_requester(phone)
    action_id = f"portal-{uuid.uuid4().hex}"
    attachments = store_files(phone, action_id, files)
    action = ticket_actions.post_action(
        services,
        int(ticket.number),
        author_kind="requester",
        author_name=requester.name if requester else "",
        text=text,
        source="portal",
        attachments=attachments,
        action_id=action_id,
    )
    logger.info(
        "portal action posted",
        extra={"user": mask_phone(phone), "ticket": int(ticket.number), "attachments": len(attachments)},
    )
    return action


def store_files(phone: str, action_id: str, files: Sequence[UploadedFile]) -> list[Attachment]:
    """Checks every file (size, type) before storing any; the attachments, named as sent."""
    limit = upload_limit()
    if sum(len(f.body) for f in files) > limit:
        raise InvalidAction(f"Os anexos passam do limite de {_size_text(limit)} por envio.")
    prepared = []
    for index, file in enumerate(files):
        mimetype = file.mimetype.split(";")[0].strip()
        kind = media.kind_of(mimetype)
        refused = media.refusal(kind, mimetype, len(file.body), limit)
        if refused is MediaRefusal.TOO_LARGE:
            raise InvalidAction(f"O arquivo passa do limite de {_size_text(limit)}.")
        if refused is not None:
            raise InvalidAction("Tipo de arquivo não aceito.")
        fallback = f"{kind.value}-{index + 1}{mimetypes.guess_extension(mimetype) or ''}"
        filename = media.safe_filename(file.filename, fallback)
        key = f"media/portal/{phone}/{action_id}/{index + 1}-{filename}"
        attachment = Attachment(key=key, kind=kind, mimetype=mimetype, filename=filename, size=len(file.body))
        prepared.append((attachment, file))
    for attachment, file in prepared:
        media.put(attachment.key, file.body, attachment.mimetype)
    return [attachment for attachment, _ in prepared]
