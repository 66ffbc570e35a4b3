"""Companies (by CNPJ) requesters link themselves to."""

from __future__ import annotations

from helpdesk.domain import cnpj as cnpjs
from helpdesk.logic.admin.errors import Conflict, InvalidInput, NotFound, required_text
from helpdesk.logic.services import Services
from helpdesk.storage import catalog
from helpdesk.storage.catalog import Company
from helpdesk.storage.transaction import AlreadyExists, Missing


def valid_cnpj(raw: str | None) -> str:
    """The normalized CNPJ, or InvalidInput naming 'cnpj'."""
    if not cnpjs.is_valid(raw):
        raise InvalidInput("CNPJ inválido.", "cnpj")
    return cnpjs.normalize(raw)  # type: ignore[return-value]


def list_companies() -> list[Company]:
    return catalog.list_companies()


def create_company(services: Services, *, cnpj: str, name: str, active: bool = True) -> Company:
    normalized = valid_cnpj(cnpj)
    name = required_text(name, "name")
    company = catalog.new_company(cnpj=normalized, name=name, active=active, now=services.clock())
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
        name = required_text(name, "name")
    if name is None and active is None:
        raise InvalidInput("Nada a alterar: informe o novo nome ou se a empresa está ativa.", "name")
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
