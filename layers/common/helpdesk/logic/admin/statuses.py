"""The managed list of ticket statuses (helpdesk.domain.statuses): what the console's answer form
offers, what the ERP's statuses are mapped to, and which status closes, reopens, waits for the
customer or means the team must act."""

from __future__ import annotations

from collections.abc import Mapping

from helpdesk.domain import statuses as domain
from helpdesk.domain.statuses import Statuses
from helpdesk.logic.admin.errors import InvalidInput
from helpdesk.storage import statuses


def get_statuses() -> Statuses:
    statuses.forget()  # the console sees what it saved, not another container's minute-old copy
    return statuses.managed()


def save_statuses(names: object, roles: object, erp_names: object = None) -> Statuses:
    """Replaces the list; raises InvalidInput naming the field (`names[2]`, `roles.closed`)."""
    if not isinstance(roles, Mapping):
        raise InvalidInput("Informe as funções dos status.", "roles")
    if erp_names is not None and not isinstance(erp_names, Mapping):
        raise InvalidInput("Informe os nomes do ERP por status.", "erp_names")
    try:
        checked = domain.checked(names, roles, erp_names)  # type: ignore[arg-type]
    except domain.InvalidStatuses as error:
        raise InvalidInput(error.message, error.field) from error
    statuses.save(checked)
    return checked
