"""Admin API for the LGPD: a requester's data exported, or erased (and the log of erasures).
Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api

from helpdesk.api.http import Router
from helpdesk.api.requests import current_event, json_value
from helpdesk.api.shapes import requester_export_json
from helpdesk.logic import privacy
from helpdesk.logic.admin.errors import InvalidInput, NotFound

router = Router()


def _who() -> str:
    claims = current_event(router).request_context.authorizer.jwt_claim or {}
    return (
        claims.get("email")
        or claims.get("cognito:username")
        or claims.get("name")
        or admin_api.DEFAULT_AUTHOR
    )


def _phone(raw: str) -> str:
    try:
        return privacy.valid_phone(raw)
    except privacy.UnknownPhone:
        raise InvalidInput("Telefone inválido.", "phone") from None


@router.get("/admin/requesters/<phone>/export", middlewares=admin_api.ADMIN_ONLY)
def export_requester(phone: str):
    held = privacy.export(admin_api.services(), _phone(phone))
    if held is None:
        raise NotFound("Nenhum dado deste telefone.", "phone")
    return requester_export_json(held)


@router.get("/admin/erasures", middlewares=admin_api.ADMIN_ONLY)
def list_erasures():
    return {
        "items": [
            {
                "requester_hash": record.requester_hash,
                "erased_by": record.erased_by,
                "erased_at": record.erased_at.isoformat(),
                **{
                    name: int(record.summary.get(name, 0))
                    for name in ("tickets", "actions", "files", "items")
                },
            }
            for record in privacy.erasure_log()
        ]
    }


@router.post("/admin/requesters/<phone>/erase", middlewares=admin_api.ADMIN_ONLY)
def erase_requester(phone: str):
    """Irreversible: the body must repeat the phone ({"confirm": "<phone>"})."""
    normalized = _phone(phone)
    body = json_value(router.current_event) or {}
    if not isinstance(body, dict) or privacy.valid_phone_or_none(body.get("confirm")) != normalized:
        raise InvalidInput("Confirme digitando o mesmo telefone: o digitado não confere.", "confirm")
    return privacy.erase(admin_api.services(), normalized, _who())
