"""Masking for what reaches the logs: phone numbers and e-mails are personal data."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*\.([A-Za-z]{2,})")
_PHONE = re.compile(r"\b(\d{2})\d{6,9}(\d{2})\b")


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:4] + "*" * max(len(phone) - 6, 0) + phone[-2:] if len(phone) > 6 else "***"


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return "***"
    user, domain = email.split("@", 1)
    return f"{user[:1]}***@{domain[:1]}***"


def mask_text(text: str) -> str:
    """Masks every e-mail and long digit run (phones, CPFs) inside free text."""
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}***.{m.group(3)}", text)
    return _PHONE.sub(lambda m: f"{m.group(1)}{'*' * 5}{m.group(2)}", text)
