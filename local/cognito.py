"""The admins' Cognito user pool, locally: moto's Cognito with the template's pool and app client,
a first admin, the API's JWT check against the pool's keys, and a same-origin path to Cognito's
API for the console (so its CSP stays `connect-src 'self'` and no CORS is needed).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

from local import cfn
from local.jwt_authorizer import JwtAuthorizer, http_jwks

log = logging.getLogger("local.cognito")

REGION = "us-east-1"
PROXY_PATH = "/cognito"
# What a browser may call without AWS credentials, as on Cognito's public endpoint.
PUBLIC_ACTIONS = frozenset(
    {"InitiateAuth", "RespondToAuthChallenge", "RevokeToken", "GetUser", "ChangePassword", "GlobalSignOut"}
)
TARGET_PREFIX = "AWSCognitoIdentityProviderService."

POOL_PROPERTIES = (
    "Policies",
    "UsernameAttributes",
    "AutoVerifiedAttributes",
    "AdminCreateUserConfig",
    "MfaConfiguration",
)
CLIENT_PROPERTIES = (
    "GenerateSecret",
    "ExplicitAuthFlows",
    "EnableTokenRevocation",
    "PreventUserExistenceErrors",
    "IdTokenValidity",
    "AccessTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
)


def create_user_pools(template: dict[str, Any], session, prefix: str = "helpdesk") -> tuple[dict, dict]:
    """(pool id by logical id, client id by logical id), with the template's properties."""
    client = session.client("cognito-idp")
    pools, clients = {}, {}
    for logical_id, props in cfn.resources_of_type(template, "AWS::Cognito::UserPool").items():
        args = {key: props[key] for key in POOL_PROPERTIES if key in props}
        pools[logical_id] = client.create_user_pool(PoolName=f"{prefix}-{logical_id}", **args)["UserPool"][
            "Id"
        ]
    for logical_id, props in cfn.resources_of_type(template, "AWS::Cognito::UserPoolClient").items():
        pool_id = pools[props["UserPoolId"]["Ref"]]
        args = {key: props[key] for key in CLIENT_PROPERTIES if key in props}
        made = client.create_user_pool_client(UserPoolId=pool_id, ClientName=f"{prefix}-{logical_id}", **args)
        clients[logical_id] = made["UserPoolClient"]["ClientId"]
    return pools, clients


def create_admin(session, pool_id: str, email: str, temporary_password: str) -> None:
    """The first admin, as `make admin` does in AWS, but with a known temporary password (no
    e-mail locally) that `make dev` prints; the first login asks for a new one."""
    session.client("cognito-idp").admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        TemporaryPassword=temporary_password,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )


def issuer(pool_id: str) -> str:
    return f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"


def authorizer(moto_url: str, pool_id: str, client_id: str) -> JwtAuthorizer:
    """The HTTP API's AdminJwt authorizer: moto's tokens name Cognito's issuer; the keys are
    served by moto at /<pool id>/.well-known/jwks.json."""
    return JwtAuthorizer(
        issuer(pool_id), [client_id], http_jwks(f"{moto_url}/{pool_id}/.well-known/jwks.json")
    )


class CognitoProxy:
    """POST /cognito/ -> moto's Cognito API, for the public (unsigned) actions only."""

    def __init__(self, moto_url: str) -> None:
        self.moto_url = moto_url

    def __call__(self, environ, start_response):
        request = Request(environ)
        target = request.headers.get("x-amz-target", "")
        action = target.removeprefix(TARGET_PREFIX)
        if request.method != "POST" or not target.startswith(TARGET_PREFIX) or action not in PUBLIC_ACTIONS:
            response = Response(
                json.dumps({"__type": "UnknownOperationException", "message": "not a public Cognito action"}),
                status=400,
                content_type="application/x-amz-json-1.1",
            )
            return response(environ, start_response)
        upstream = requests.post(
            self.moto_url + "/",
            data=request.get_data(),
            headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"},
            timeout=10,
        )
        response = Response(
            upstream.content, status=upstream.status_code, content_type="application/x-amz-json-1.1"
        )
        return response(environ, start_response)


class Mailbox:
    """GET /local/mail: the invitations Cognito would have e-mailed (local only), as `invitations`
    lists them (moto's process tells them)."""

    def __init__(self, invitations: Callable[[], list[tuple[str, str]]]) -> None:
        self.invitations = invitations

    def __call__(self, environ, start_response):
        to = Request(environ).args.get("to", "").lower()
        mail = [
            {"to": email, "temporary_password": password}
            for email, password in self.invitations()
            if not to or email.lower() == to
        ]
        return Response(json.dumps({"items": mail}), content_type="application/json")(environ, start_response)
