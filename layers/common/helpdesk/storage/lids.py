"""LID aliases: a requester WhatsApp shows only by LID is the phone it was once seen with.

When a message carries both the sender's LID and its phone, the pair is remembered; a later message
that carries only the LID is then served under the phone (same requester, tickets, conversation).
Only LID-only messages read the alias (one GetItem), before they are queued, so their FIFO group is
already the canonical identity.
"""

from __future__ import annotations

from datetime import datetime

from helpdesk.storage.models import LidAlias


def _lid_pk(lid: str) -> str:
    return f"LID#{lid}"


def link_lid(lid: str, phone: str, at: datetime) -> None:
    """Remembers that this LID is this phone (the latest pairing wins: WhatsApp's own mapping)."""
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
