"""LID aliases: which identity a WhatsApp LID belongs to (see logic.identity).

One item per LID (`LID#<digits>` / `ALIAS`): its `phone` is the requester's identity, a phone, or
the LID's own identity ("lid:<digits>") when the requester registered before any phone was seen.
"""

from __future__ import annotations

from datetime import datetime

from helpdesk.storage.models import LidAlias, Requester, phone_pk

_LID = "LID#"


def _lid_pk(lid: str) -> str:
    return _LID + lid


def lid_of(alias: LidAlias) -> str:
    """The LID an alias item stands for."""
    return alias.pk.removeprefix(_LID)


def link_lid(lid: str, phone: str, at: datetime) -> None:
    """Remembers that this LID is this identity (a later pairing replaces it)."""
    # gsi1: the phone's aliases, found when the requester is erased (LGPD), see storage.privacy.
    LidAlias(
        pk=_lid_pk(lid), sk="ALIAS", phone=phone, linked_at=at, gsi1pk=phone_lids_key(phone), gsi1sk=lid
    ).save()


def phone_lids_key(phone: str) -> str:
    return f"PHONE#{phone}#LIDS"


def phone_of_lid(lid: str) -> str | None:
    try:
        return LidAlias.get(_lid_pk(lid), "ALIAS").phone
    except LidAlias.DoesNotExist:
        return None


def has_requester(identity: str) -> bool:
    """Whether a registered requester lives under this identity (one GetItem of its profile)."""
    try:
        Requester.get(phone_pk(identity), "PROFILE", attributes_to_get=["pk"])
        return True
    except Requester.DoesNotExist:
        return False
