"""LGPD erasure, the pure part: what replaces a requester's name, e-mail and phone in free text.

Requesters type their own contact into titles and messages ("falar com Maria, (11) 98765-4321"):
the phone is matched however it was punctuated, with or without the country code; the name and the
e-mail whatever their case.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ANONYMOUS_NAME = "Titular anonimizado (LGPD)"
ANONYMOUS_CONTACT = "anonimizado"
_GAP = r"[\s().-]*"  # what people put between digits


def scrubber(phone: str, name: str | None, email: str | None) -> Callable[[str | None], str]:
    """A function replacing every occurrence of the phone, the name and the e-mail by the marker."""
    national = phone[2:] if phone.startswith("55") and len(phone) > 11 else phone
    area, subscriber = (national[:2], national[2:]) if len(national) >= 10 else ("", national)
    patterns = [re.escape(value) for value in (email, name) if value and len(value.strip()) >= 3]
    digits = _GAP.join(re.escape(digit) for digit in subscriber)
    if area:  # the country code and the area code are optional: people often leave them out
        digits = r"(?:(?:\+?55" + _GAP + r")?\(?" + _GAP.join(area) + _GAP + r")?" + digits
    patterns.append(digits)
    pattern = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    def scrub(text: str | None) -> str:
        return pattern.sub(ANONYMOUS_CONTACT, text or "")

    return scrub
