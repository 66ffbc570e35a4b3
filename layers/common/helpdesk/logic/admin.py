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

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from helpdesk.config import settings
from helpdesk.domain import cnpj as cnpjs
from helpdesk.domain.messages import Attachment
from helpdesk.domain.phone import normalize_phone
from helpdesk.domain.text import fold
from helpdesk.gateways.base import GatewayError, WhatsAppGateway
from helpdesk.logic import ticket_actions
from helpdesk.logic.inbound import hash_key
from helpdesk.storage import repository
from helpdesk.storage.models import Action, Company, Instance, RequestType, Ticket

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


class AdminError(Exception):
    code = "error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(AdminError):
    code = "invalid"


class NotFound(AdminError):
    code = "not_found"


class Conflict(AdminError):
    code = "conflict"


class GatewayFailed(AdminError):
    code = "gateway_error"


def _condition_failed(error: PutError | UpdateError | DeleteError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


def _text(value: str | None, field_name: str, max_chars: int = NAME_MAX_CHARS) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"O campo '{field_name}' é obrigatório.", field_name)
    if len(text) > max_chars:
        raise InvalidInput(f"O campo '{field_name}' aceita até {max_chars} caracteres.", field_name)
    return text


# --- instances (WhatsApp numbers) -----------------------------------------------------------


def instance_pk(name: str) -> str:
    return f"INSTANCE#{name}"


def get_instance(name: str) -> Instance:
    instance = repository.get_instance(name)
    if instance is None:
        raise NotFound(f"Instância '{name}' não encontrada.", "name")
    return instance


def list_instances() -> list[Instance]:
    return list(Instance.by_gsi1.query("INSTANCES"))


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
    instance = repository.new_instance(
        name=name,
        agent_type=agent.value,
        gateway=gateway.name,
        now=now,
        api_key_hash=hash_key(api_key) if api_key else None,
    )
    try:
        instance.save(condition=Instance.pk.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            raise Conflict(f"Já existe uma instância '{name}'.", "name") from error
        raise
    try:
        gateway.create_instance(name)
    except GatewayError as error:
        instance.delete()
        raise GatewayFailed(f"O gateway do WhatsApp recusou a criação: {error}") from error
    return instance


def connect_instance(gateway: WhatsAppGateway, name: str, now: datetime | None = None) -> Instance:
    """Asks the gateway for a QR / pairing code and keeps it on the instance until it connects."""
    get_instance(name)
    try:
        info = gateway.connect(name)
    except GatewayError as error:
        raise GatewayFailed(f"O gateway do WhatsApp não gerou o QR: {error}") from error
    actions = [Instance.state.set(info.state), Instance.updated_at.set(now or datetime.now(UTC))]
    for attribute, value in ((Instance.qr_code, info.code), (Instance.pairing_code, info.pairing_code)):
        actions.append(attribute.set(value) if value else attribute.remove())
    instance = Instance(pk=instance_pk(name), sk="META")
    try:
        instance.update(actions=actions, condition=Instance.pk.exists())
    except UpdateError as error:
        if _condition_failed(error):  # deleted meanwhile
            raise NotFound(f"Instância '{name}' não encontrada.", "name") from error
        raise
    return instance


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
    try:
        Instance(pk=instance_pk(name), sk="META").delete(condition=Instance.pk.exists())
    except DeleteError as error:
        if not _condition_failed(error):
            raise


# --- stats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    received: int = 0
    sent: int = 0
    conversations: int = 0
    tickets: int = 0

    @classmethod
    def of(cls, counts: dict[str, int] | None) -> Counts:
        return cls(**counts) if counts else cls()


@dataclass(frozen=True)
class InstanceStats:
    instance: str
    total: Counts
    days: list[tuple[str, Counts]] = field(default_factory=list)  # oldest first, every day present


def instance_stats(name: str, days: int, today: date | None = None) -> InstanceStats:
    """The counters the turns write (sharded under STATS#<instance>): total, and per UTC day."""
    if not 1 <= days <= MAX_STATS_DAYS:
        raise InvalidInput(f"'days' deve estar entre 1 e {MAX_STATS_DAYS}.", "days")
    get_instance(name)
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    stored = repository.stats_by_day(name, first.isoformat(), today.isoformat())
    series = [
        (day, Counts.of(stored.get(day))) for day in (str(first + timedelta(days=n)) for n in range(days))
    ]
    return InstanceStats(name, Counts.of(repository.stats_totals(name)), series)


# --- companies ------------------------------------------------------------------------------


def company_pk(cnpj: str) -> str:
    return f"COMPANY#{cnpj}"


def valid_cnpj(raw: str | None) -> str:
    """The normalized CNPJ, or InvalidInput naming 'cnpj'."""
    if not cnpjs.is_valid(raw):
        raise InvalidInput("CNPJ inválido.", "cnpj")
    return cnpjs.normalize(raw)  # type: ignore[return-value]


def list_companies() -> list[Company]:
    return list(Company.by_gsi1.query("COMPANIES"))


def create_company(*, cnpj: str, name: str, active: bool = True, now: datetime | None = None) -> Company:
    normalized = valid_cnpj(cnpj)
    name = _text(name, "name")
    company = repository.new_company(cnpj=normalized, name=name, active=active, now=now or datetime.now(UTC))
    try:
        company.save(condition=Company.pk.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            raise Conflict(f"O CNPJ {cnpjs.format_cnpj(normalized)} já está cadastrado.", "cnpj") from error
        raise
    return company


def update_company(cnpj: str, *, name: str | None = None, active: bool | None = None) -> Company:
    normalized = cnpjs.normalize(cnpj)
    if normalized is None:
        raise NotFound("Empresa não encontrada.", "cnpj")
    actions = []
    if name is not None:
        name = _text(name, "name")
        actions += [Company.name.set(name), Company.gsi1sk.set(name)]
    if active is not None:
        actions.append(Company.active.set(active))
    if not actions:
        raise InvalidInput("Nada a alterar: informe 'name' ou 'active'.", "name")
    company = Company(pk=company_pk(normalized), sk="META")
    try:
        company.update(actions=actions, condition=Company.pk.exists())
    except UpdateError as error:
        if _condition_failed(error):
            raise NotFound("Empresa não encontrada.", "cnpj") from error
        raise
    return company


def delete_company(cnpj: str) -> None:
    normalized = cnpjs.normalize(cnpj)
    try:
        Company(pk=company_pk(normalized or cnpj), sk="META").delete(condition=Company.pk.exists())
    except DeleteError as error:
        if _condition_failed(error):
            raise NotFound("Empresa não encontrada.", "cnpj") from error
        raise


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
    return list(RequestType.by_gsi1.query("RTYPES"))


def create_request_type(*, name: str, kind: str, whatsapp: bool, active: bool = True) -> RequestType:
    name = _text(name, "name")
    type_id = uuid.uuid4().hex[:12]
    request_type = repository.new_request_type(
        type_id=type_id, name=name, kind=_kind(kind).value, whatsapp=whatsapp, active=active
    )
    request_type.save(condition=RequestType.pk.does_not_exist())
    repository.forget_request_types()
    return request_type


def update_request_type(
    type_id: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    whatsapp: bool | None = None,
    active: bool | None = None,
) -> RequestType:
    actions = []
    if name is not None:
        name = _text(name, "name")
        actions += [RequestType.name.set(name), RequestType.gsi1sk.set(name)]
    if kind is not None:
        actions.append(RequestType.kind.set(_kind(kind).value))
    if whatsapp is not None:
        actions.append(RequestType.whatsapp.set(whatsapp))
    if active is not None:
        actions.append(RequestType.active.set(active))
    if not actions:
        raise InvalidInput("Nada a alterar: informe 'name', 'kind', 'whatsapp' ou 'active'.", "name")
    request_type = RequestType(pk=f"RTYPE#{type_id}", sk="META")
    try:
        request_type.update(actions=actions, condition=RequestType.pk.exists())
    except UpdateError as error:
        if _condition_failed(error):
            raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error
        raise
    repository.forget_request_types()
    return request_type


def delete_request_type(type_id: str) -> None:
    try:
        RequestType(pk=f"RTYPE#{type_id}", sk="META").delete(condition=RequestType.pk.exists())
    except DeleteError as error:
        if _condition_failed(error):
            raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error
        raise
    repository.forget_request_types()


# --- tickets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFilters:
    company: str | None = None  # CNPJ, any punctuation
    status: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class TicketPage:
    tickets: list[Ticket]
    last_key: dict | None  # DynamoDB's key to resume after the last ticket; None at the end


@dataclass(frozen=True)
class TicketWithActions:
    ticket: Ticket
    actions: list[Action]


def _ticket_filter(filters: TicketFilters):
    condition = None

    def both(left, right):
        return right if left is None else left & right

    if filters.company:
        cnpj = cnpjs.normalize(filters.company)
        if cnpj is None:
            raise InvalidInput("CNPJ inválido.", "company")
        condition = both(condition, Ticket.cnpj == cnpj)
    if filters.status:
        condition = both(condition, Ticket.status == filters.status)
    if filters.phone:
        phone = normalize_phone(filters.phone)
        if phone is None:
            raise InvalidInput("Telefone inválido.", "phone")
        condition = both(condition, Ticket.requester_phone == phone)
    return condition


def list_tickets(filters: TicketFilters, *, limit: int, start_key: dict | None = None) -> TicketPage:
    """Newest first over gsi2 (TICKETS, by number), filtered, `limit` per page."""
    results = Ticket.by_gsi2.query(
        "TICKETS",
        scan_index_forward=False,
        filter_condition=_ticket_filter(filters),
        limit=limit,
        page_size=max(limit, 25),
        last_evaluated_key=start_key,
    )
    tickets = list(results)
    return TicketPage(tickets, results.last_evaluated_key if len(tickets) == limit else None)


def get_ticket(number: int) -> TicketWithActions:
    ticket = repository.get_ticket(number)
    if ticket is None:
        raise NotFound(f"Chamado {number} não encontrado.", "number")
    actions = list(Action.query(ticket.pk, Action.sk.startswith("ACTION#")))
    return TicketWithActions(ticket, actions)


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
