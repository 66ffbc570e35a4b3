"""A requester opens a ticket from the portal as the bot's flow does: a subject (one line, the same
limit), a type among those the bot offers or "Outro", a description and files. The ticket is
written by the same storage path as a WhatsApp ticket (one counter, the opening action in the same
write), so the ERP hears the same `ticket.created`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from msgspec import Struct

from helpdesk import texts
from helpdesk.domain.step_data import OfferedArticle
from helpdesk.domain.text import MAX_SUBJECT_LENGTH
from helpdesk.logic.portal import articles
from helpdesk.logic.portal.posting import (
    FILES,
    MAX_FILES,
    MAX_TEXT,
    InvalidAction,
    UploadedFile,
    store_files,
)
from helpdesk.logic.services import Services
from helpdesk.logs import mask_phone
from helpdesk.storage import catalog, phones, tickets
from helpdesk.storage.hours import instance_hours
from helpdesk.storage.tickets import Ticket
from helpdesk.storage.transaction import TurnWrite

if TYPE_CHECKING:
    from helpdesk.domain.conversation import RequestTypeView

logger = Logger(child=True)

MAX_SUBJECT = MAX_SUBJECT_LENGTH  # as the bot (DialogSettings.max_subject_length)


class NewTicketChoices(Struct, frozen=True):
    companies: list[tuple[str, str]]  # (cnpj, name) of the requester's companies still served
    request_types: list[RequestTypeView]  # what the bot offers; "Outro" is always there too
    max_upload_bytes: int  # all the files of one opening together
    max_subject: int = MAX_SUBJECT
    max_description: int = MAX_TEXT
    max_files: int = MAX_FILES
    not_served: tuple[str, ...] = ()  # names of the companies the console deactivated: said why


def new_ticket_choices(phone: str) -> NewTicketChoices:
    """Only companies still served (their link items carry the console's deactivation)."""
    links = sorted(phones.load_phone(phone).links, key=lambda link: link.company_name)
    companies = [(link.cnpj, link.company_name) for link in links if link.company_active is not False]
    not_served = tuple(link.company_name for link in links if link.company_active is False)
    return NewTicketChoices(companies, catalog.whatsapp_request_types(), FILES.limit(), not_served=not_served)


def _checked_subject(title: str) -> str:
    title = title.strip()
    if not title:
        raise InvalidAction("Escreva o assunto do atendimento.")
    if "\n" in title:
        raise InvalidAction(texts.MULTILINE_SUBJECT)
    if len(title) > MAX_SUBJECT:
        raise InvalidAction(texts.subject_too_long(MAX_SUBJECT, len(title)))
    return title


def _request_type(type_id: str | None) -> tuple[str, str] | None:
    """One of the types the bot offers, or None for "Outro"."""
    if not type_id:
        return None
    offered = {kind.id: kind.name for kind in catalog.whatsapp_request_types()}
    if type_id not in offered:
        raise InvalidAction("Escolha um dos tipos da lista (ou Outro).")
    return type_id, offered[type_id]


def open_ticket(
    services: Services,
    phone: str,
    *,
    cnpj: str,
    title: str,
    type_id: str | None,
    description: str,
    files: Sequence[UploadedFile] = (),
    offered: Sequence[OfferedArticle] = (),
) -> Ticket:
    """`offered`: the knowledge-base suggestions on screen (portal.articles), recorded on the
    ticket, as the bot records what it offered, and as one declined offer in the same write."""
    title, description = _checked_subject(title), description.strip()
    if not description and not files:
        raise InvalidAction("Descreva o problema ou anexe um arquivo.")
    if len(description) > MAX_TEXT:
        raise InvalidAction(f"A descrição pode ter no máximo {MAX_TEXT} caracteres.")
    snapshot = phones.load_phone(phone)
    link = next((link for link in snapshot.links if link.cnpj == cnpj), None)
    company = catalog.get_company(cnpj) if link else None
    if snapshot.requester is None or link is None or company is None or not company.active:
        raise InvalidAction("Escolha uma das suas empresas atendidas.")
    request_type = _request_type(type_id)
    now = services.clock()
    instance = snapshot.requester.instance or ""
    hours = instance_hours(instance) if instance else None
    action_id = f"portal-{uuid.uuid4().hex}"
    attachments = store_files(phone, action_id, files)
    write = TurnWrite()
    ticket, _ = tickets.open_numbered_ticket(
        write,
        requester=snapshot.requester,
        cnpj=cnpj,
        company_name=link.company_name,
        instance=instance,
        title=title,
        description=description,
        request_type=request_type,
        attachments=attachments,
        source="portal",
        action_id=action_id,
        now=now,
        opened_out_of_hours=hours is not None and not hours.is_open(now),
        offered_articles=offered,
    )
    if offered:
        articles.record(write, phone, instance, cnpj, offered, "declined", services)
    write.commit()
    logger.info("portal ticket opened", extra={"user": mask_phone(phone), "ticket": int(ticket.number)})
    return ticket
