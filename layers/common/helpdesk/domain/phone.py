"""Phone numbers as the requester's identity: digits only, country code first.

Brazilian mobiles exist with and without the "9th digit" (WhatsApp still reports some accounts by
the old 8-digit number), so both forms are folded into one canonical form: 55 + DDD + 9 + 8 digits.
That fold is for the identity only (keys, FIFO groups, the number an agent types): both forms are
the same line, so one person keeps one key whichever form a message or a form carried. Replies go to
the address a message came from, unchanged (`InboundMessage.reply_to`): the gateway knows which form
the account uses, we do not.

A requester whose phone WhatsApp hides is known by its LID: identity "lid:<digits>" (`lid_identity`).
On the Cloud API a requester with a username may come with no phone at all, only a business-scoped
user ID (BSUID, "BR.13491208655302741918"): that BSUID is then the identity, as Meta spells it.
"""

from __future__ import annotations

import re

_BR = "55"
_USER_SERVERS = ("s.whatsapp.net", "c.us")
LID_PREFIX = "lid:"
# ISO 3166 alpha-2 country, a dot, then Meta's id (a parent BSUID has "ENT." before it).
_BSUID = re.compile(r"^[A-Z]{2}\.(?:ENT\.)?[0-9A-Za-z]{1,64}$")


def normalize_phone(raw: object) -> str | None:
    """Digits of a phone number or JID ("5511...:12@s.whatsapp.net" too); None when not a phone."""
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        return None
    text = str(raw).split("@", 1)[0].split(":", 1)[0]  # drop the server and the device suffix
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if not 8 <= len(digits) <= 15:
        return None
    if digits.startswith(_BR) and len(digits) == 12 and digits[4] in "6789":
        # 55 + DDD + 8-digit mobile: the pre-2016 form of a mobile, canonical with the 9 in front.
        digits = digits[:4] + "9" + digits[4:]
    return digits


def jid_phone(jid: object) -> str | None:
    """The phone of a user JID ("...@s.whatsapp.net"); None for groups, broadcasts, channels, @lid."""
    if not isinstance(jid, str) or "@" not in jid:
        return None
    server = jid.rsplit("@", 1)[1].lower()
    if server not in _USER_SERVERS:
        return None
    return normalize_phone(jid)


def jid_lid(jid: object) -> str | None:
    """The digits of a LID JID ("103899771998284@lid", device suffix allowed); None otherwise."""
    if not isinstance(jid, str) or "@" not in jid:
        return None
    user, server = jid.rsplit("@", 1)
    digits = user.split(":", 1)[0]
    if server.lower() != "lid" or not digits.isascii() or not digits.isdigit() or not 1 <= len(digits) <= 20:
        return None
    return digits


def lid_identity(lid: str) -> str:
    """The identity of a requester WhatsApp only knows by LID (no phone): "lid:<digits>".

    The prefix keeps it apart from every phone (no phone has a letter), and it is a valid SQS FIFO
    group id and key part. `is_lid` tells the two apart wherever a phone is expected.
    """
    return LID_PREFIX + lid


def is_lid(identity: object) -> bool:
    return isinstance(identity, str) and identity.startswith(LID_PREFIX)


def normalize_bsuid(raw: object) -> str | None:
    """A business-scoped user ID as Meta gives it ("BR.1349..."); None when it is not one. The country
    is upper-cased (a user typing it as a portal login may not), the rest kept: Meta's value is exact."""
    if not isinstance(raw, str):
        return None
    value = raw.strip()
    value = value[:2].upper() + value[2:]
    if value[3:7].upper() == "ENT.":
        value = value[:3] + "ENT." + value[7:]
    return value if _BSUID.match(value) else None


def is_bsuid(identity: object) -> bool:
    """Whether an identity or address is a BSUID (no phone has a letter or a dot)."""
    return isinstance(identity, str) and _BSUID.match(identity) is not None
