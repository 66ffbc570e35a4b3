"""A requester's message (and files) on their own ticket, posted from the portal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from aws_lambda_powertools import Logger

from helpdesk.domain.messages import Attachment
from helpdesk.logic import ticket_actions, uploads
from helpdesk.logic.portal.queries import their_ticket
from helpdesk.logic.services import Services
from helpdesk.logic.uploads import UploadedFile
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


def _refused(message: str, field: str) -> InvalidAction:
    return InvalidAction(message)


# What a message may carry, and how its refusals read.
FILES = uploads.FileRules(
    max_files=MAX_FILES,
    too_many=f"Envie no máximo {MAX_FILES} arquivos por vez.",
    not_a_list=f"Envie no máximo {MAX_FILES} arquivos por vez.",
    refuse=_refused,
    request_cap=MAX_UPLOAD_BYTES,
)


def parse_files(raw: object) -> list[UploadedFile]:
    """The message's files (`[{filename, mimetype, content (base64)}]`); raises InvalidAction."""
    return uploads.parse_files(raw, FILES)


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
    ticket = their_ticket(phone, number)
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
    limit = FILES.limit()
    if sum(file.size for file in files) > limit:
        raise InvalidAction(f"Os anexos passam do limite de {uploads.size_text(limit)} por envio.")
    return uploads.store(files, f"media/portal/{phone}/{action_id}/", FILES)
