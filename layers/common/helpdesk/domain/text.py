"""Small helpers to read what people type: accent/case-insensitive words, e-mail addresses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from helpdesk.caches import cached

MAX_SUBJECT_LENGTH = 120  # a ticket's subject (title), typed to the bot or in the portal


def compiled_on_use(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled when first used, for one that reads only some messages (an e-mail, a
    rating, a problem told): compiling at import is paid by every cold start."""
    return cached(lambda: re.compile(source, flags))


_EMAIL = compiled_on_use(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"  # local part, no ".."
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"  # domain labels
    r"[A-Za-z]{2,63}"  # top-level domain
)


def fold(text: str | None) -> str:
    """Lower-case, accent-free, trimmed, single-spaced: fold(" SAÍR ") == "sair"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def is_valid_email(text: str | None) -> bool:
    """A plausible address (local@domain.tld, ASCII), at most 254 characters."""
    if not text:
        return False
    address = text.strip()
    return len(address) <= 254 and _EMAIL().fullmatch(address) is not None
