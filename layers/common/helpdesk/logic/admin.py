"""What the admin console does: WhatsApp numbers (instances), their counters, companies, request
types and tickets. No HTTP here: the admin routes parse requests, call these and shape responses.

Failures are raised as `AdminError` subclasses (`InvalidInput` names the field); the routes map
each class to a status code.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from helpdesk.config import settings
from helpdesk.domain import cnpj as cnpjs
from helpdesk.domain.errors import FieldError
from helpdesk.domain.messages import Attachment
from helpdesk.domain.phone import normalize_phone
from helpdesk.domain.text import fold
from helpdesk.gateways.base import GatewayError, WhatsAppGateway
from helpdesk.logic import ticket_actions
from helpdesk.logic.inbound import hash_key
from helpdesk.storage import catalog, stats, tickets
from helpdesk.storage.catalog import Company, Instance, RequestType
from helpdesk.storage.tickets import Action, Ticket, TicketPage
from helpdesk.storage.transaction import AlreadyExists, Missing

# Shown when a number is created (API response and console): WhatsApp bans fresh numbers that
# start out answering automatically.
BOT_NUMBER_WARNING = (
    "Atenção: o número precisa já ter histórico de conversas manuais antes de virar bot. "
    "Números novos que começam respondendo automaticamente costumam ser bloqueados pelo WhatsApp."
)
INSTANCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
NAME_MAX_CHARS = 120
STATUS_MAX_CHARS = 40
TEXT_MAX_CHARS = 4000
MAX_STATS_DAYS = 90


class AgentType(StrEnum):
    """Who answers on a number. Only the bot for now; human queues may come later."""

    BOT = "BOT"


class RequestKind(StrEnum):
    SYNTHETIC = "synthetic"  # offered to requesters (on WhatsApp when flagged so)
    ANALYTIC = "analytic"  # internal classification, never offered


# --- errors ---------------------------------------------------------------------------------


# What the API answers for each: functions/admin/admin_routes.py's ERRORS.
class AdminError(FieldError):
    pass


class InvalidInput(AdminError):
    pass


class NotFound(AdminError):
    pass


class Conflict(AdminError):
    pass


class GatewayFailed(AdminError):
    pass


def _text(value: str | None, field_name: str, max_chars: int = NAME_MAX_CHARS) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"O campo '{field_name}' é obrigatório.", field_name)
    if len(text) > max_chars:
        raise InvalidInput(f"O campo '{field_name}' aceita até {max_chars} caracteres.", field_name)
    return text


# --- instances (WhatsApp numbers) -----------------------------------------------------------


def get_instance(name: str) -> Instance:
    instance = catalog.get_instance(name)
    if instance is None:
        raise NotFound(f"Instância '{name}' não encontrada.", "name")
    return instance


def list_instances() -> list[Instance]:
    return catalog.list_instances()


def create_instance(
    gateway: WhatsAppGateway,
    *,
    name: str,
    agent_type: str,
    api_key: str | None = None,
    now: datetime | None = None,
) -> Instance:
    """Claims the name in the table (409 if taken), then creates the instance at the gateway."""
    if not INSTANCE_NAME.fullmatch(name or ""):
        raise InvalidInput("Nome inválido: use letras, números, '-' ou '_' (até 40).", "name")
    try:
        agent = AgentType(agent_type)
    except ValueError:
        raise InvalidInput(f"Tipo de agente inválido: use {', '.join(AgentType)}.", "agent_type") from None
    now = now or datetime.now(UTC)
    instance = catalog.new_instance(
        name=name,
        agent_type=agent.value,
        gateway=gateway.name,
        now=now,
        api_key_hash=hash_key(api_key) if api_key else None,
    )
    try:
        catalog.create_instance(instance)
    except AlreadyExists as error:
        raise Conflict(f"Já existe uma instância '{name}'.", "name") from error
    try:
        gateway.create_instance(name)
    except GatewayError as error:
        catalog.delete_instance(name)
        raise GatewayFailed(f"O gateway do WhatsApp recusou a criação: {error}") from error
    return instance


def connect_instance(gateway: WhatsAppGateway, name: str, now: datetime | None = None) -> Instance:
    """Asks the gateway for a QR / pairing code and keeps it on the instance until it connects."""
    get_instance(name)
    try:
        info = gateway.connect(name)
    except GatewayError as error:
        raise GatewayFailed(f"O gateway do WhatsApp não gerou o QR: {error}") from error
    try:
        return catalog.set_connection(
            name,
            state=info.state,
            qr_code=info.code,
            pairing_code=info.pairing_code,
            now=now or datetime.now(UTC),
        )
    except Missing as error:  # deleted meanwhile
        raise NotFound(f"Instância '{name}' não encontrada.", "name") from error


def delete_instance(gateway: WhatsAppGateway, name: str) -> None:
    """Logs the number out at the gateway, deletes it there, then forgets it here."""
    get_instance(name)
    try:
        gateway.logout(name)
    except GatewayError:
        pass  # not connected: nothing to log out
    try:
        gateway.delete_instance(name)
    except GatewayError as error:
        raise GatewayFailed(f"O gateway do WhatsApp não removeu a instância: {error}") from error
    catalog.delete_instance(name)


# --- stats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    received: int = 0
    sent: int = 0
    conversations: int = 0
    tickets: int = 0
    failed: int = 0  # the bot's messages WhatsApp reported as not delivered

    @classmethod
    def of(cls, counts: dict[str, int] | None) -> Counts:
        return cls(**counts) if counts else cls()


@dataclass(frozen=True)
class InstanceStats:
    instance: str
    total: Counts
    days: list[tuple[str, Counts]] = field(default_factory=list)  # oldest first, every day present


def instance_stats(name: str, days: int, today: date | None = None) -> InstanceStats:
    """The instance's counters (storage.stats): total, and per UTC day."""
    if not 1 <= days <= MAX_STATS_DAYS:
        raise InvalidInput(f"'days' deve estar entre 1 e {MAX_STATS_DAYS}.", "days")
    get_instance(name)
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    stored = stats.stats_by_day(name, first.isoformat(), today.isoformat())
    series = [
        (day, Counts.of(stored.get(day))) for day in (str(first + timedelta(days=n)) for n in range(days))
    ]
    return InstanceStats(name, Counts.of(stats.stats_totals(name)), series)


# --- companies ------------------------------------------------------------------------------


def valid_cnpj(raw: str | None) -> str:
    """The normalized CNPJ, or InvalidInput naming 'cnpj'."""
    if not cnpjs.is_valid(raw):
        raise InvalidInput("CNPJ inválido.", "cnpj")
    return cnpjs.normalize(raw)  # type: ignore[return-value]


def list_companies() -> list[Company]:
    return catalog.list_companies()


def create_company(*, cnpj: str, name: str, active: bool = True, now: datetime | None = None) -> Company:
    normalized = valid_cnpj(cnpj)
    name = _text(name, "name")
    company = catalog.new_company(cnpj=normalized, name=name, active=active, now=now or datetime.now(UTC))
    try:
        catalog.create_company(company)
    except AlreadyExists as error:
        raise Conflict(f"O CNPJ {cnpjs.format_cnpj(normalized)} já está cadastrado.", "cnpj") from error
    return company


def update_company(cnpj: str, *, name: str | None = None, active: bool | None = None) -> Company:
    normalized = cnpjs.normalize(cnpj)
    if normalized is None:
        raise NotFound("Empresa não encontrada.", "cnpj")
    if name is not None:
        name = _text(name, "name")
    if name is None and active is None:
        raise InvalidInput("Nada a alterar: informe 'name' ou 'active'.", "name")
    try:
        return catalog.update_company(normalized, name=name, active=active)
    except Missing as error:
        raise NotFound("Empresa não encontrada.", "cnpj") from error


def delete_company(cnpj: str) -> None:
    normalized = cnpjs.normalize(cnpj)
    try:
        catalog.delete_company(normalized or cnpj)
    except Missing as error:
        raise NotFound("Empresa não encontrada.", "cnpj") from error


# --- request types --------------------------------------------------------------------------


def reaches_whatsapp(request_type: RequestType) -> bool:
    """Only active synthetic types flagged for WhatsApp are offered by the bot."""
    return bool(request_type.active and request_type.whatsapp and request_type.kind == RequestKind.SYNTHETIC)


def _kind(value: str) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        raise InvalidInput("Tipo inválido: use 'synthetic' ou 'analytic'.", "kind") from None


def list_request_types() -> list[RequestType]:
    return catalog.list_request_types()


def create_request_type(*, name: str, kind: str, whatsapp: bool, active: bool = True) -> RequestType:
    name = _text(name, "name")
    type_id = uuid.uuid4().hex[:12]
    request_type = catalog.new_request_type(
        type_id=type_id, name=name, kind=_kind(kind).value, whatsapp=whatsapp, active=active
    )
    catalog.create_request_type(request_type)
    return request_type


def update_request_type(
    type_id: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    whatsapp: bool | None = None,
    active: bool | None = None,
) -> RequestType:
    if name is not None:
        name = _text(name, "name")
    if kind is not None:
        kind = _kind(kind).value
    if name is None and kind is None and whatsapp is None and active is None:
        raise InvalidInput("Nada a alterar: informe 'name', 'kind', 'whatsapp' ou 'active'.", "name")
    try:
        return catalog.update_request_type(type_id, name=name, kind=kind, whatsapp=whatsapp, active=active)
    except Missing as error:
        raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error


def delete_request_type(type_id: str) -> None:
    try:
        catalog.delete_request_type(type_id)
    except Missing as error:
        raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error


# --- tickets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFilters:
    company: str | None = None  # CNPJ, any punctuation
    status: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class TicketWithActions:
    ticket: Ticket
    actions: list[Action]


def list_tickets(filters: TicketFilters, *, limit: int, start_key: dict | None = None) -> TicketPage:
    """Newest first, filtered, `limit` per page."""
    cnpj = phone = None
    if filters.company:
        cnpj = cnpjs.normalize(filters.company)
        if cnpj is None:
            raise InvalidInput("CNPJ inválido.", "company")
    if filters.phone:
        phone = normalize_phone(filters.phone)
        if phone is None:
            raise InvalidInput("Telefone inválido.", "phone")
    return tickets.list_tickets(
        cnpj=cnpj, status=filters.status or None, phone=phone, limit=limit, start_key=start_key
    )


def get_ticket(number: int) -> TicketWithActions:
    ticket = tickets.get_ticket(number)
    if ticket is None:
        raise NotFound(f"Chamado {number} não encontrado.", "number")
    return TicketWithActions(ticket, tickets.actions_of(ticket))


def post_agent_action(
    number: int,
    *,
    author_name: str,
    text: str | None,
    status: str | None = None,
    visible_to_requester: bool = True,
    action_id: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> Action:
    """An agent's answer (and/or status change, and/or files) on a ticket, through the shared
    ticket actions."""
    if status is not None:
        status = _text(status, "status", STATUS_MAX_CHARS)
        text = (text or "").strip()[:TEXT_MAX_CHARS]
    elif attachments:
        text = (text or "").strip()[:TEXT_MAX_CHARS]
    else:
        text = _text(text, "text", TEXT_MAX_CHARS)
    closes = status is not None and fold(status) == fold(settings().closed_status)
    try:
        return ticket_actions.post_action(
            number,
            author_kind="agent",
            author_name=author_name,
            text=text,
            source="admin",
            status=status,
            visible_to_requester=visible_to_requester,
            action_id=action_id,
            closes=closes and visible_to_requester,
            attachments=attachments,
        )
    except ticket_actions.TicketNotFound as error:
        raise NotFound(f"Chamado {number} não encontrado.", "number") from error
    except ticket_actions.DuplicateAction as error:
        raise Conflict("Esta ação já foi registrada.", "action_id") from error
