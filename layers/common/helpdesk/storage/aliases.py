"""Identity aliases of the Cloud API (see logic.identity): which identity a business-scoped user ID
belongs to, and which identity a number a user changed to belongs to.

One item per identifier (`BSUID#<bsuid>` or `NUMBER#<phone>` / `ALIAS`); its `phone` is the
requester's identity: a phone, or a BSUID for a requester who registered with no phone shown.

When WhatsApp announces that a requester changed number or BSUID, their identity (the key of their
data) stays, and the address messages outside a turn go to is kept in their partition
(`PHONE#<identity>` / `ADDRESS`, read by the notifier with the conversation in one request).
"""

from __future__ import annotations

from datetime import datetime

from helpdesk.storage.models import IdentityAlias


def _bsuid_pk(bsuid: str) -> str:
    return f"BSUID#{bsuid}"


def _number_pk(phone: str) -> str:
    return f"NUMBER#{phone}"


def identity_aliases_key(identity: str) -> str:
    """gsi1: an identity's aliases, found when the requester is exported or erased (LGPD)."""
    return f"PHONE#{identity}#ALIASES"


def _save(pk: str, identity: str, at: datetime) -> None:
    IdentityAlias(
        pk=pk,
        sk="ALIAS",
        phone=identity,
        linked_at=at,
        gsi1pk=identity_aliases_key(identity),
        gsi1sk=pk,
    ).save()


def _get(pk: str) -> str | None:
    try:
        return IdentityAlias.get(pk, "ALIAS").phone
    except IdentityAlias.DoesNotExist:
        return None


def link_bsuid(bsuid: str, identity: str, at: datetime) -> None:
    """Remembers that this BSUID is this identity (a later pairing replaces it)."""
    _save(_bsuid_pk(bsuid), identity, at)


def identity_of_bsuid(bsuid: str) -> str | None:
    return _get(_bsuid_pk(bsuid))


def link_number(phone: str, identity: str, at: datetime) -> None:
    """Remembers that a user who changed to this number is this identity (`user_changed_number`)."""
    _save(_number_pk(phone), identity, at)


def identity_of_number(phone: str) -> str | None:
    return _get(_number_pk(phone))


ADDRESS_SK = "ADDRESS"


def address_key(identity: str) -> tuple[str, str]:
    return f"PHONE#{identity}", ADDRESS_SK


def set_address(identity: str, address: str, at: datetime) -> None:
    """Where the requester is reached now (a changed number or BSUID), when it is not the identity."""
    pk, sk = address_key(identity)
    IdentityAlias(pk=pk, sk=sk, phone=address, linked_at=at).save()


def clear_address(identity: str) -> None:
    IdentityAlias(*address_key(identity)).delete()


def address_of(identity: str) -> str | None:
    try:
        return IdentityAlias.get(*address_key(identity)).phone
    except IdentityAlias.DoesNotExist:
        return None


def aliases_of(item: IdentityAlias) -> tuple[str, str]:
    """(kind, identifier) of an alias item: ("bsuid", "BR.1..."), ("number", "5511...") or
    ("address", where the requester is reached now)."""
    if item.sk == ADDRESS_SK:
        return "address", item.phone
    kind, _, identifier = item.pk.partition("#")
    return kind.lower(), identifier
