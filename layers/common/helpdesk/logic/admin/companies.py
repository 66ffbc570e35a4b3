"""Companies (by CNPJ) requesters link themselves to."""

from __future__ import annotations

from msgspec import Struct

from helpdesk.domain import cnpj as cnpjs
from helpdesk.logic.admin.dashboard import is_open
from helpdesk.logic.admin.errors import Conflict, InvalidInput, NotFound, required_text
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, phones, tickets
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


class CompanyImpact(Struct, frozen=True):
    """What deleting or deactivating the company touches."""

    requesters: int
    tickets: int
    open_tickets: int


def company_impact(cnpj: str) -> CompanyImpact:
    normalized = _existing(cnpj)
    statuses = tickets.company_ticket_statuses(normalized)
    return CompanyImpact(
        requesters=len(phones.company_links(normalized)),
        tickets=len(statuses),
        open_tickets=sum(1 for status in statuses if is_open(status)),
    )


def _existing(cnpj: str) -> str:
    normalized = cnpjs.normalize(cnpj)
    if normalized is None or catalog.get_company(normalized) is None:
        raise NotFound("Empresa não encontrada.", "cnpj")
    return normalized


def update_company(cnpj: str, *, name: str | None = None, active: bool | None = None) -> Company:
    normalized = cnpjs.normalize(cnpj)
    if normalized is None:
        raise NotFound("Empresa não encontrada.", "cnpj")
    if name is not None:
        name = required_text(name, "name")
    if name is None and active is None:
        raise InvalidInput("Nada a alterar: informe o novo nome ou se a empresa está ativa.", "name")
    try:
        company = catalog.update_company(normalized, name=name, active=active)
    except Missing as error:
        raise NotFound("Empresa não encontrada.", "cnpj") from error
    if active is not None:
        # Kept for history; its requesters are told it is no longer served, and can link another.
        phones.set_company_active(normalized, active)
    return company


def delete_company(cnpj: str, confirm: str | None) -> None:
    """Deletes a company with no open ticket, after its CNPJ is typed again (`confirm`); its
    requesters' links go with it (their closed tickets keep the company's name). A company with
    open tickets is deactivated instead."""
    normalized = _existing(cnpj)
    if cnpjs.normalize(confirm) != normalized:
        raise InvalidInput("Digite o CNPJ da empresa para confirmar a exclusão.", "confirm")
    impact = company_impact(normalized)
    if impact.open_tickets:
        raise Conflict(
            f"A empresa tem {impact.open_tickets} chamado(s) em aberto: desative-a em vez de excluir.", "cnpj"
        )
    phones.delete_company_links(normalized)
    try:
        catalog.delete_company(normalized)
    except Missing as error:
        raise NotFound("Empresa não encontrada.", "cnpj") from error
