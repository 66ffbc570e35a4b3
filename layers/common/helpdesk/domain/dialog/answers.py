"""Reading what the requester typed: a word, a number, an option, yes or no."""

from __future__ import annotations

import re

from helpdesk.domain.text import fold
from helpdesk.domain.understanding import yes_or_no

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
    """1 or a yes (sim, ok, 👍...), 2 or a no (não, ainda não, 👎...); None for anything else."""
    typed = number(text)
    if typed in (1, 2):
        return typed == 1
    return yes_or_no(text)
