"""What the admin operations raise: `AdminError` subclasses (a `FieldError` names the field); the
admin routes answer each class with its status code."""

from __future__ import annotations

from helpdesk.domain.errors import FieldError, NotFound

NAME_MAX_CHARS = 120


# What the API answers for each: functions/admin/admin_api.py's ERRORS (NotFound, shared with
# the portal, comes from helpdesk.domain.errors).
class AdminError(FieldError):
    pass


class InvalidInput(AdminError):
    pass


class Conflict(AdminError):
    pass


class GatewayFailed(AdminError):
    pass


__all__ = ["AdminError", "Conflict", "GatewayFailed", "InvalidInput", "NotFound", "required_text"]


def required_text(value: str | None, field_name: str, max_chars: int = NAME_MAX_CHARS) -> str:
    # Imported here: its package loads every requester text, and the admin function's init imports
    # these classes (admin_api's ERRORS) but no route yet.
    from helpdesk.texts.fields import field_label

    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Preencha o campo {field_label(field_name)}.", field_name)
    if len(text) > max_chars:
        raise InvalidInput(
            f"O campo {field_label(field_name)} aceita até {max_chars} caracteres.", field_name
        )
    return text
