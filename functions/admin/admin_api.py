"""What every route module of the admin API (/admin/...) shares: the live services, the errors as
answered, the claims check, the request's JSON body and the agent's name. Each *_routes module
parses and validates its requests, calls helpdesk.logic.admin and shapes the JSON.

In AWS the HTTP API's Cognito JWT authorizer guards /admin/{proxy+} (locally the admin bearer
token does); every route also requires the authorizer's claims itself (defense in depth).
Errors are JSON: {"message", "code", "field"}. The routes are documented in docs/openapi.yaml.
"""

from __future__ import annotations

from helpdesk.api import errors
from helpdesk.api.http import Response, Router
from helpdesk.api.requests import current_event, int_path
from helpdesk.api.requests import json_object as _json_object
from helpdesk.aws import cognito
from helpdesk.logic.admin import errors as admin_errors
from helpdesk.logic.services import Services

# Registers no route: it reads the request being handled (Powertools keeps one per invocation).
request = Router()

DEFAULT_AUTHOR = "Suporte"


def services() -> Services:
    """The live services (the configured gateway, built on first use; the wall clock) for every
    route of this function; a test hands them its own by replacing this."""
    return Services()


# What helpdesk.logic.admin raises, as the API answers it (subclasses before their base).
ERRORS: errors.Translations = {
    admin_errors.InvalidInput: errors.answered_as(errors.InvalidInput),
    admin_errors.NotFound: errors.answered_as(errors.NotFound),
    admin_errors.Conflict: errors.answered_as(errors.Conflict),
    admin_errors.GatewayFailed: errors.answered_as(errors.GatewayFailed),
    admin_errors.AdminError: errors.answered_as(errors.AppError),
    cognito.AdminExists: errors.answered_as(errors.Conflict),
    cognito.AdminNotFound: errors.answered_as(errors.NotFound),
    cognito.AdminDirectoryError: errors.answered_as(errors.InvalidInput),
}


def require_admin_claims(app, next_middleware) -> Response:
    """The authorizer already refused unauthenticated calls; refuse again if its claims are missing.
    Only ID tokens are admitted (API Gateway's JWT authorizer would also take an access token of
    the same client): the console sends the ID token, whose e-mail names the agent."""
    claims = current_event(app).request_context.authorizer.jwt_claim
    if not claims or claims.get("token_use", "id") != "id":
        raise errors.Unauthorized("Autenticação necessária.")
    return next_middleware(app)


ADMIN_ONLY = [require_admin_claims]


def json_object() -> dict:
    return _json_object(request.current_event)


def ticket_number(raw: str) -> int:
    return int_path(raw, errors.InvalidInput("O número do chamado deve ser numérico.", "number"))


def author_name() -> str:
    """The agent as requesters see them: the display name set in the console, else the team's
    name; never the e-mail address."""
    from helpdesk import texts  # every requester text: loaded with the routes that answer, not at init

    claims = current_event(request).request_context.authorizer.jwt_claim
    username = claims.get("cognito:username") or claims.get("sub")
    return cognito.display_name(username) or claims.get("name") or texts.SUPPORT_TEAM
