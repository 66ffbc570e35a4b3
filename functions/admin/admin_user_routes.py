"""Admin API for the console's users (the Cognito user pool's admins): invite, enable or disable,
the display name requesters see. Same conventions as admin_api (errors, auth); documented in docs/openapi.yaml.
"""

from __future__ import annotations

import admin_api
from aws_lambda_powertools import Logger

from helpdesk.api import errors
from helpdesk.api.http import Router
from helpdesk.api.requests import bool_field, current_event, text_field
from helpdesk.api.responses import created, no_content
from helpdesk.api.shapes import admin_user_json
from helpdesk.aws import cognito
from helpdesk.logic.admin.errors import required_text

router = Router()

logger = Logger(child=True)


@router.get("/admin/admins", middlewares=admin_api.ADMIN_ONLY)
def list_admins():
    return {"items": [admin_user_json(a) for a in cognito.list_admins()]}


@router.post("/admin/admins", middlewares=admin_api.ADMIN_ONLY)
def invite_admin():
    invited = cognito.invite(text_field(admin_api.json_object(), "email", required=True))
    logger.info("admin invited", extra={"admin": invited.username})
    return created(admin_user_json(invited))


@router.patch("/admin/admins/<username>", middlewares=admin_api.ADMIN_ONLY)
def update_admin(username: str):
    """`enabled` and/or `name` (the display name requesters see on the admin's answers)."""
    body = admin_api.json_object()
    enabled, name = bool_field(body, "enabled"), text_field(body, "name")
    if enabled is None and name is None:
        raise errors.InvalidInput("Informe o nome exibido ou se o administrador fica ativo.", "enabled")
    if name is not None:
        cognito.set_display_name(username, required_text(name, "name") if name.strip() else "")
    if enabled is None:
        return no_content()
    claims = current_event(router).request_context.authorizer.jwt_claim
    if not enabled and username in (claims.get("cognito:username"), claims.get("sub")):
        raise errors.Conflict("Você não pode desativar a si mesmo.", "username")
    cognito.set_enabled(username, enabled)
    logger.info("admin enabled" if enabled else "admin disabled", extra={"admin": username})
    return no_content()
