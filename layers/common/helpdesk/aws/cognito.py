"""The admins' Cognito user pool: invite, list, disable and enable the console's users, and the
display name each shows requesters.

Cognito itself creates the temporary password and e-mails it with the invitation (the pool's
AdminCreateUserConfig); the first login asks for a new password. Nothing here sees a password.
"""

from __future__ import annotations

import os
import re
from datetime import datetime

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError
from msgspec import Struct

from helpdesk import aws, caches
from helpdesk.domain.errors import FieldError

logger = Logger(child=True)

MAX_LISTED = 60  # ListUsers' page limit; a helpdesk has a handful of admins
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


# What the API answers for each: functions/admin/admin_api.py's ERRORS.
class AdminDirectoryError(FieldError):
    pass


class InvalidEmail(AdminDirectoryError):
    pass


class AdminExists(AdminDirectoryError):
    pass


class AdminNotFound(AdminDirectoryError):
    pass


class Admin(Struct, frozen=True):
    username: str  # Cognito's id of the user (the pool signs in by e-mail)
    email: str
    enabled: bool
    status: str  # FORCE_CHANGE_PASSWORD until the first login, then CONFIRMED
    created_at: datetime | None
    name: str = ""  # the display name requesters see on the admin's answers (Cognito's `name`)


def valid_email(raw: object) -> str:
    email = raw.strip().lower() if isinstance(raw, str) else ""
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidEmail("Informe um e-mail válido.", "email")
    return email


@caches.cached
def _client():
    return aws.client("cognito-idp")


def _pool_id() -> str:
    pool_id = os.environ.get("ADMIN_USER_POOL_ID")
    if not pool_id:
        raise RuntimeError("ADMIN_USER_POOL_ID is not set")
    return pool_id


def _admin(user: dict) -> Admin:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes") or user.get("UserAttributes") or []}
    return Admin(
        username=user["Username"],
        email=attributes.get("email", ""),
        enabled=bool(user.get("Enabled", True)),
        status=user.get("UserStatus", ""),
        created_at=user.get("UserCreateDate"),
        name=attributes.get("name", ""),
    )


def invite(email: str) -> Admin:
    """Creates the admin; Cognito e-mails the temporary password."""
    email = valid_email(email)
    try:
        created = _client().admin_create_user(
            UserPoolId=_pool_id(),
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            DesiredDeliveryMediums=["EMAIL"],
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "UsernameExistsException":
            raise AdminExists("Já existe um administrador com este e-mail.", "email") from error
        if error.response["Error"]["Code"] == "InvalidParameterException":
            raise InvalidEmail("Informe um e-mail válido.", "email") from error
        raise
    return _admin(created["User"])


def list_admins() -> list[Admin]:
    users: list[Admin] = []
    token = None
    while True:
        page = _client().list_users(
            UserPoolId=_pool_id(), Limit=MAX_LISTED, **({"PaginationToken": token} if token else {})
        )
        users.extend(_admin(u) for u in page.get("Users", []))
        token = page.get("PaginationToken")
        if not token:
            return sorted(users, key=lambda a: a.email)


def set_enabled(username: str, enabled: bool) -> None:
    call = _client().admin_enable_user if enabled else _client().admin_disable_user
    try:
        call(UserPoolId=_pool_id(), Username=username)
    except ClientError as error:
        if error.response["Error"]["Code"] == "UserNotFoundException":
            raise AdminNotFound("Administrador não encontrado.", "username") from error
        raise


def set_display_name(username: str, name: str) -> None:
    """The name requesters see on this admin's answers; empty: the team's name."""
    try:
        if name:
            _client().admin_update_user_attributes(
                UserPoolId=_pool_id(), Username=username, UserAttributes=[{"Name": "name", "Value": name}]
            )
        else:
            _client().admin_delete_user_attributes(
                UserPoolId=_pool_id(), Username=username, UserAttributeNames=["name"]
            )
    except ClientError as error:
        if error.response["Error"]["Code"] == "UserNotFoundException":
            raise AdminNotFound("Administrador não encontrado.", "username") from error
        raise


def display_name(username: str | None) -> str | None:
    """The admin's display name, read now (an ID token may be older than the name); None when
    unset or unreadable: an answer is never held back by the directory."""
    if not username:
        return None
    try:
        user = _client().admin_get_user(UserPoolId=_pool_id(), Username=username)
    except (ClientError, BotoCoreError, RuntimeError):
        logger.warning("admin display name unreadable", exc_info=True)
        return None
    return _admin(user).name or None
