"""What the admin console maintains: WhatsApp numbers (instances), companies and request types.

Each is <KIND>#<id> / META, listed by name through gsi1 (INSTANCES, COMPANIES, RTYPES). Creates
raise AlreadyExists when the key is taken; updates and deletes raise Missing when it is absent.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from msgspec import Struct
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from helpdesk import caches
from helpdesk.storage.models import Company, Instance, Item, RequestType
from helpdesk.storage.transaction import AlreadyExists, Missing, condition_failed

if TYPE_CHECKING:  # the dialog's contract loads with the dialog, not with the webhook's key check
    from helpdesk.domain.conversation import RequestTypeView

__all__ = ["Company", "Instance", "RequestType"]  # the record types callers receive


# Each kind: its key prefix, and the gsi1 partition that lists its items by name.
INSTANCE, COMPANY, RTYPE = ("INSTANCE", "INSTANCES"), ("COMPANY", "COMPANIES"), ("RTYPE", "RTYPES")


class _Keys(TypedDict, total=False):
    pk: str
    sk: str
    gsi1pk: str
    gsi1sk: str


def _keys(kind: tuple[str, str], key: str, name: str | None = None) -> _Keys:
    keys = _Keys(pk=f"{kind[0]}#{key}", sk="META")
    return keys if name is None else _Keys(**keys, gsi1pk=kind[1], gsi1sk=name)


def _get[T: Item](model: type[T], kind: tuple[str, str], key: str) -> T | None:
    try:
        return model.get(f"{kind[0]}#{key}", "META")
    except DoesNotExist:
        return None


def _listed[T: Item](model: type[T], kind: tuple[str, str]) -> list[T]:
    return list(model.by_gsi1.query(kind[1]))


def _create(item: Item) -> None:
    try:
        item.save(condition=type(item).pk.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise AlreadyExists(item.pk) from error
        raise


def _update(item: Item, actions: list) -> None:
    try:
        item.update(actions=actions, condition=type(item).pk.exists())
    except UpdateError as error:
        if condition_failed(error):
            raise Missing(item.pk) from error
        raise


def _delete(item: Item) -> None:
    try:
        item.delete(condition=type(item).pk.exists())
    except DeleteError as error:
        if condition_failed(error):
            raise Missing(item.pk) from error
        raise


# --- instances (WhatsApp numbers) -----------------------------------------------------------


def _instance(name: str) -> Instance:
    return Instance(**_keys(INSTANCE, name))


def instance_key(name: str) -> tuple[str, str]:
    """The (pk, sk) of the instance's META item, for modules that keep more on it (its hours)."""
    keys = _keys(INSTANCE, name)
    return keys["pk"], keys["sk"]


def hash_key(api_key: str) -> str:
    """What is stored of an instance's gateway key (`Instance.api_key_hash`), never the key itself."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def get_instance(name: str) -> Instance | None:
    return _get(Instance, INSTANCE, name)


def list_instances() -> list[Instance]:
    return _listed(Instance, INSTANCE)


def new_instance(
    *,
    name: str,
    agent_type: str,
    gateway: str,
    now: datetime,
    state: str = "close",
    api_key_hash: str | None = None,
) -> Instance:
    return Instance(
        **_keys(INSTANCE, name, name),
        name=name,
        agent_type=agent_type,
        gateway=gateway,
        state=state,
        api_key_hash=api_key_hash,
        created_at=now,
        updated_at=now,
    )


def create_instance(instance: Instance) -> None:
    _create(instance)


def set_connection(
    name: str, *, state: str, qr_code: str | None, pairing_code: str | None, now: datetime
) -> Instance:
    """The gateway's connection state; an empty code is removed. Raises Missing."""
    actions = [Instance.state.set(state), Instance.updated_at.set(now)]
    for attribute, value in ((Instance.qr_code, qr_code), (Instance.pairing_code, pairing_code)):
        actions.append(attribute.set(value) if value else attribute.remove())
    instance = _instance(name)
    _update(instance, actions)
    return instance


def record_gateway_update(
    name: str,
    *,
    now: datetime,
    state: str | None,
    reason: int | None = None,
    codes: tuple[str, str | None] | None = None,
) -> None:
    """What a gateway webhook reports: the state (with why it closed) and, when given, a new
    (QR, pairing) code. Raises Missing for an unknown instance."""
    actions = [Instance.updated_at.set(now)]
    if state:
        actions.append(Instance.state.set(state))
    if state == "close":
        # Since when the number is down: kept across repeated close events, cleared once open.
        actions.append(Instance.disconnected_at.set(Instance.disconnected_at | now))
        if reason is not None:
            actions.append(Instance.disconnect_reason.set(reason))
    elif state == "open":
        actions.append(Instance.disconnected_at.remove())
        actions.append(Instance.disconnect_reason.remove())
    if codes is not None:
        qr_code, pairing_code = codes
        actions.append(Instance.qr_code.set(qr_code))
        actions.append(
            Instance.pairing_code.set(pairing_code) if pairing_code else Instance.pairing_code.remove()
        )
    _update(_instance(name), actions)


def delete_instance(name: str) -> None:
    """Forgets the instance; nothing to do when it is gone already."""
    try:
        _delete(_instance(name))
    except Missing:
        pass


# --- companies ------------------------------------------------------------------------------


def _company(cnpj: str) -> Company:
    return Company(**_keys(COMPANY, cnpj))


def get_company(cnpj: str) -> Company | None:
    return _get(Company, COMPANY, cnpj)


def list_companies() -> list[Company]:
    return _listed(Company, COMPANY)


def new_company(*, cnpj: str, name: str, now: datetime, active: bool = True) -> Company:
    return Company(**_keys(COMPANY, cnpj, name), cnpj=cnpj, name=name, active=active, created_at=now)


def create_company(company: Company) -> None:
    _create(company)


def update_company(cnpj: str, *, name: str | None = None, active: bool | None = None) -> Company:
    actions = []
    if name is not None:
        actions += [Company.name.set(name), Company.gsi1sk.set(name)]
    if active is not None:
        actions.append(Company.active.set(active))
    company = _company(cnpj)
    _update(company, actions)
    return company


def delete_company(cnpj: str) -> None:
    _delete(_company(cnpj))


# --- request types --------------------------------------------------------------------------


def _request_type(type_id: str) -> RequestType:
    return RequestType(**_keys(RTYPE, type_id))


def list_request_types() -> list[RequestType]:
    return _listed(RequestType, RTYPE)


def new_request_type(
    *, type_id: str, name: str, kind: str, whatsapp: bool, active: bool = True
) -> RequestType:
    return RequestType(
        **_keys(RTYPE, type_id, name), type_id=type_id, name=name, kind=kind, whatsapp=whatsapp, active=active
    )


def create_request_type(request_type: RequestType) -> None:
    request_type.save(condition=RequestType.pk.does_not_exist())
    forget_request_types()


class RequestTypeChanges(Struct, frozen=True):
    """What an update sets (None: left as it is)."""

    name: str | None = None
    kind: str | None = None
    whatsapp: bool | None = None
    active: bool | None = None


def update_request_type(type_id: str, changes: RequestTypeChanges) -> RequestType:
    actions = []
    if changes.name is not None:
        actions += [RequestType.name.set(changes.name), RequestType.gsi1sk.set(changes.name)]
    if changes.kind is not None:
        actions.append(RequestType.kind.set(changes.kind))
    if changes.whatsapp is not None:
        actions.append(RequestType.whatsapp.set(changes.whatsapp))
    if changes.active is not None:
        actions.append(RequestType.active.set(changes.active))
    request_type = _request_type(type_id)
    _update(request_type, actions)
    forget_request_types()
    return request_type


def delete_request_type(type_id: str) -> None:
    _delete(_request_type(type_id))
    forget_request_types()


# Request types change rarely and every new ticket reads them: a short per-container cache.
_REQUEST_TYPES_TTL = 60.0
_request_types_cache: tuple[float, list[RequestTypeView]] | None = None


def whatsapp_request_types() -> list[RequestTypeView]:
    """The active synthetic types flagged for WhatsApp: what the bot offers."""
    global _request_types_cache
    from helpdesk.domain.conversation import RequestTypeView

    if _request_types_cache and time.monotonic() - _request_types_cache[0] < _REQUEST_TYPES_TTL:
        return _request_types_cache[1]
    types = [
        RequestTypeView(t.type_id, t.name)
        for t in _listed(RequestType, RTYPE)
        if t.active and t.whatsapp and t.kind == "synthetic"
    ]
    _request_types_cache = (time.monotonic(), types)
    return types


@caches.register
def forget_request_types() -> None:
    global _request_types_cache
    _request_types_cache = None
