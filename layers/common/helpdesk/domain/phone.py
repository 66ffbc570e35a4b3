"""Phone numbers as the requester's identity: digits only, country code first.

Brazilian mobiles exist with and without the "9th digit" (WhatsApp still reports some accounts by
the old 8-digit number), so both forms are folded into one canonical form: 55 + DDD + 9 + 8 digits.
"""

from __future__ import annotations

_BR = "55"
_USER_SERVERS = ("s.whatsapp.net", "c.us")


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
