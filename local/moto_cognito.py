"""moto's Cognito, fixed for the local stack (see local.moto_fixes): moto lacks RevokeToken (the
console's logout), names the user's id as `email` in ID tokens issued after the new-password
challenge, and AdminCreateUser without a temporary password leaves a user nobody can log in as,
where Cognito generates one and e-mails it: here it is generated too and the "e-mail" lands in
`INVITATIONS` (the local stack shows it, see local.cognito)."""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable

# Invitations Cognito would have e-mailed: (e-mail, temporary password), oldest first.
INVITATIONS: list[tuple[str, str]] = []
# Also told to whoever shows them when moto runs in a process of its own (local.moto_process).
on_invitation: Callable[[tuple[str, str]], object] | None = None


def temporary_password() -> str:
    """Meets the template's password policy (12+, upper, lower, digit), like Cognito's own."""
    alphabet = string.ascii_letters + string.digits
    rest = "".join(secrets.choice(alphabet) for _ in range(13))
    return (
        secrets.choice(string.ascii_uppercase)
        + secrets.choice(string.ascii_lowercase)
        + secrets.choice(string.digits)
        + rest
    )


def install() -> None:
    _install_invitations()
    _install_id_token_email()
    _install_revoke_token()


def _install_invitations() -> None:
    from moto.cognitoidp import models as cognito_models

    real_create_user = cognito_models.CognitoIdpBackend.admin_create_user

    def admin_create_user(self, user_pool_id, username, message_action, temporary_password_, attributes):
        invited = not temporary_password_ and message_action != "SUPPRESS"
        password = temporary_password_ or temporary_password()
        user = real_create_user(self, user_pool_id, username, message_action, password, attributes)
        if invited:
            invitation = (user.attribute_lookup.get("email") or username, password)
            INVITATIONS.append(invitation)
            if on_invitation is not None:
                on_invitation(invitation)
        return user

    cognito_models.CognitoIdpBackend.admin_create_user = admin_create_user


def _install_id_token_email() -> None:
    # moto puts the name the client signed in with in the ID token's `email`: after the
    # new-password challenge (answered with Cognito's user id) that is the id. Cognito puts the
    # user's email attribute there.
    from moto.cognitoidp import models as cognito_models

    real_create_jwt = cognito_models.CognitoIdpUserPool.create_jwt

    def create_jwt(self, client_id, username, token_use, expires_in=60 * 60, extra_data=None):
        user = self._get_user(username)
        if token_use == "id" and user is not None and user.attribute_lookup.get("email"):
            extra_data = {**(extra_data or {}), "email": user.attribute_lookup["email"]}
        return real_create_jwt(self, client_id, username, token_use, expires_in, extra_data)

    cognito_models.CognitoIdpUserPool.create_jwt = create_jwt


def _install_revoke_token() -> None:
    from moto.cognitoidp import models as cognito_models
    from moto.cognitoidp import responses as cognito_responses
    from moto.cognitoidp.exceptions import NotAuthorizedError, ResourceNotFoundError
    from moto.core.responses import EmptyResult

    def revoke_token(self, token: str, client_id: str) -> None:
        for pool in self.user_pools.values():
            if client_id not in pool.clients:
                continue
            issued = pool.refresh_tokens.get(token)
            if issued is not None and issued[0] != client_id:
                raise NotAuthorizedError("Token was not issued to this client")
            # moto reads a None entry as "Refresh Token has been revoked".
            pool.refresh_tokens[token] = None
            return
        raise ResourceNotFoundError(client_id)

    cognito_models.CognitoIdpBackend.revoke_token = revoke_token

    def revoke_token_response(self):
        client_id = self._get_param("ClientId")
        for backends in cognito_models.cognitoidp_backends.values():
            for region, backend in backends.items():
                if region != "global" and any(client_id in p.clients for p in backend.user_pools.values()):
                    backend.revoke_token(self._get_param("Token"), client_id)
                    return EmptyResult()
        raise ResourceNotFoundError(client_id)

    cognito_responses.CognitoIdpResponse.revoke_token = revoke_token_response
