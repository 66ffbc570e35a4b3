"""Masking for what reaches the logs: phone numbers and e-mails are personal data."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})")
_PHONE = re.compile(r"\b(\d{2})\d{6,9}(\d{2})\b")
# Cloud API business-scoped user IDs ("BR.13491208655302741918", "US.ENT.1181..."): a person's id too.
_BSUID = re.compile(r"\b([A-Z]{2}\.(?:ENT\.)?)[0-9A-Za-z]{4,64}\b")


def mask_phone(phone: str | None) -> str:
    """A phone, or any identity (a LID, a BSUID): its start and last two characters."""
    if not phone:
        return ""
    return phone[:4] + "*" * max(len(phone) - 6, 0) + phone[-2:] if len(phone) > 6 else "***"


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return "***"
    user, domain = email.split("@", 1)
    return f"{user[:1]}***@{domain[:1]}***"


def mask_text(text: str) -> str:
    """Masks every e-mail, BSUID and long digit run (phones, CPFs) inside free text."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}***.{m.group(3)}", text)
    text = _BSUID.sub(lambda m: f"{m.group(1)}{'*' * 5}", text)
    return _PHONE.sub(lambda m: f"{m.group(1)}{'*' * 5}{m.group(2)}", text)
