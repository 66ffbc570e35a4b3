"""Reading what the requester typed: a word, a number, an option, yes or no."""

from __future__ import annotations

import re

from helpdesk.domain.text import fold

_NUMBER = re.compile(r"#?\s*(\d{1,9})[.)]?", re.ASCII)


def means(text: str | None, word: str) -> bool:
    """`text` is `word`, whatever the case, accents, spaces or a final "." / "!"."""
    return fold(text).rstrip(".!") == word


def number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def option(text: str, count: int) -> int | None:
    """The option 1..count the requester typed, or None."""
    typed = number(text)
    return typed if typed is not None and 1 <= typed <= count else None


def yes_no(text: str) -> bool | None:
    folded = fold(text).rstrip(".!")
    if folded in ("1", "sim", "s"):
        return True
    if folded in ("2", "nao", "n"):
        return False
    return None
