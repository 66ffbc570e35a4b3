"""Admin API for the request types a requester picks when opening a ticket.
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.requests import bool_field, text_field
from helpdesk.api.responses import created, no_content
from helpdesk.api.shapes import request_type_json
from helpdesk.logic.admin import request_types

router = Router()


@router.get("/admin/request-types", middlewares=admin_api.ADMIN_ONLY)
def list_request_types():
    return {"items": [request_type_json(t) for t in request_types.list_request_types()]}


@router.post("/admin/request-types", middlewares=admin_api.ADMIN_ONLY)
def create_request_type():
    body = admin_api.json_object()
    whatsapp = bool_field(body, "whatsapp", required=True)
    active = bool_field(body, "active")
    request_type = request_types.create_request_type(
        name=text_field(body, "name", required=True),
        kind=text_field(body, "kind", required=True),
        whatsapp=whatsapp,
        active=True if active is None else active,
    )
    return created(request_type_json(request_type))


@router.patch("/admin/request-types/<type_id>", middlewares=admin_api.ADMIN_ONLY)
def update_request_type(type_id: str):
    body = admin_api.json_object()
    changes = request_types.RequestTypeChanges(
        name=text_field(body, "name"),
        kind=text_field(body, "kind"),
        whatsapp=bool_field(body, "whatsapp"),
        active=bool_field(body, "active"),
    )
    request_type = request_types.update_request_type(type_id, changes)
    return request_type_json(request_type)


@router.delete("/admin/request-types/<type_id>", middlewares=admin_api.ADMIN_ONLY)
def delete_request_type(type_id: str):
    request_types.delete_request_type(type_id)
    return no_content()
