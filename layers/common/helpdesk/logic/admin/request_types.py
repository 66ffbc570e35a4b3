"""Request types: offered to requesters (synthetic, on WhatsApp when flagged) or internal."""

from __future__ import annotations

import uuid
from enum import StrEnum

from helpdesk.logic.admin.errors import InvalidInput, NotFound, required_text
from helpdesk.storage import catalog
from helpdesk.storage.catalog import RequestType
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


def list_request_types() -> list[RequestType]:
    return catalog.list_request_types()


def create_request_type(*, name: str, kind: str, whatsapp: bool, active: bool = True) -> RequestType:
    name = required_text(name, "name")
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
        name = required_text(name, "name")
    if kind is not None:
        kind = _kind(kind).value
    if name is None and kind is None and whatsapp is None and active is None:
        raise InvalidInput("Nada a alterar: informe o nome, o tipo, WhatsApp ou Ativo.", "name")
    try:
        return catalog.update_request_type(type_id, name=name, kind=kind, whatsapp=whatsapp, active=active)
    except Missing as error:
        raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error


def delete_request_type(type_id: str) -> None:
    try:
        catalog.delete_request_type(type_id)
    except Missing as error:
        raise NotFound("Tipo de solicitação não encontrado.", "type_id") from error
