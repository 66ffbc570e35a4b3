"""Request types: offered to requesters (synthetic, on WhatsApp when flagged) or internal."""

from __future__ import annotations

import uuid
from enum import StrEnum

from msgspec.structs import replace

from helpdesk.logic.admin.errors import InvalidInput, NotFound, required_text
from helpdesk.storage import catalog
from helpdesk.storage.catalog import RequestType, RequestTypeChanges, list_request_types

__all__ = [
    "RequestKind",
    "RequestTypeChanges",
    "create_request_type",
    "delete_request_type",
    "list_request_types",
    "reaches_whatsapp",
    "update_request_type",
]
from helpdesk.storage.transaction import Missing


class RequestKind(StrEnum):
    SYNTHETIC = "synthetic"  # offered to requesters (on WhatsApp when flagged so)
    ANALYTIC = "analytic"  # internal classification, never offered


def reaches_whatsapp(request_type: RequestType) -> bool:
    """Only active synthetic types flagged for WhatsApp are offered by the bot."""
    return bool(request_type.active and request_type.whatsapp and request_type.kind == RequestKind.SYNTHETIC)


def _kind(value: str) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        raise InvalidInput("Tipo inválido: escolha Sintético ou Analítico.", "kind") from None


def create_request_type(*, name: str, kind: str, whatsapp: bool, active: bool = True) -> RequestType:
    name = required_text(name, "name")
    type_id = uuid.uuid4().hex[:12]
    request_type = catalog.new_request_type(
        type_id=type_id, name=name, kind=_kind(kind).value, whatsapp=whatsapp, active=active
    )
    catalog.create_request_type(request_type)
    return request_type


def update_request_type(type_id: str, changes: RequestTypeChanges) -> RequestType:
    """Applies `changes` once their name and kind are checked (at least one change is asked)."""
    if changes == RequestTypeChanges():
        raise InvalidInput("Nada a alterar: informe o nome, o tipo, WhatsApp ou Ativo.", "name")
    checked = replace(
        changes,
        name=None if changes.name is None else required_text(changes.name, "name"),
        kind=None if changes.kind is None else _kind(changes.kind).value,
    )
    try:
        return catalog.update_request_type(type_id, checked)
    except Missing as error:
        raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error


def delete_request_type(type_id: str) -> None:
    try:
        catalog.delete_request_type(type_id)
    except Missing as error:
        raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error
