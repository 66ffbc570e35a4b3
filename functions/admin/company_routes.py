"""Admin API for the companies (CNPJs) whose requesters the helpdesk serves.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.requests import bool_field, text_field
from helpdesk.api.responses import created, no_content
from helpdesk.api.shapes import company_json
from helpdesk.logic.admin import companies

router = Router()


@router.get("/admin/companies", middlewares=admin_api.ADMIN_ONLY)
def list_companies():
    return {"items": [company_json(c) for c in companies.list_companies()]}


@router.post("/admin/companies", middlewares=admin_api.ADMIN_ONLY)
def create_company():
    body = admin_api.json_object()
    active = bool_field(body, "active")
    company = companies.create_company(
        admin_api.services(),
        cnpj=text_field(body, "cnpj", required=True),
        name=text_field(body, "name", required=True),
        active=True if active is None else active,
    )
    return created(company_json(company))


@router.patch("/admin/companies/<cnpj>", middlewares=admin_api.ADMIN_ONLY)
def update_company(cnpj: str):
    body = admin_api.json_object()
    company = companies.update_company(cnpj, name=text_field(body, "name"), active=bool_field(body, "active"))
    return company_json(company)


@router.get("/admin/companies/<cnpj>/impact", middlewares=admin_api.ADMIN_ONLY)
def company_impact(cnpj: str):
    impact = companies.company_impact(cnpj)
    return {"requesters": impact.requesters, "tickets": impact.tickets, "open_tickets": impact.open_tickets}


@router.delete("/admin/companies/<cnpj>", middlewares=admin_api.ADMIN_ONLY)
def delete_company(cnpj: str):
    """Only with `confirm` (the CNPJ typed again) and no open ticket: otherwise deactivate it."""
    companies.delete_company(cnpj, router.current_event.get_query_string_value("confirm", None))
    return no_content()
