"""CNPJ: the Brazilian company registry number, numeric or alphanumeric.

Since July 2026 the first 12 positions may hold letters as well as digits; the two check digits
stay numeric. Each character is worth `ord(char) - 48` (so digits keep their value and "A" is 17),
and both check digits use the classic modulo-11 weights.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[.\-/\s]")
_NORMALIZED = re.compile(r"[0-9A-Z]{14}")
_VALID_SHAPE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")

_FIRST_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_SECOND_WEIGHTS = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def normalize(raw: str | None) -> str | None:
    """`raw` without dots, slashes, dashes and spaces, upper-cased; None unless 14 of [0-9A-Z]."""
    if not raw:
        return None
    cleaned = _PUNCTUATION.sub("", raw).upper()
    return cleaned if _NORMALIZED.fullmatch(cleaned) else None


def check_digits(base: str) -> str:
    """The two check digits of the first 12 characters (normalized) of a CNPJ."""
    first = _digit(base[:12], _FIRST_WEIGHTS)
    second = _digit(base[:12] + first, _SECOND_WEIGHTS)
    return first + second


def is_valid(cnpj: str | None) -> bool:
    """True for a well-formed CNPJ (with or without punctuation) whose check digits match."""
    normalized = normalize(cnpj)
    if normalized is None or not _VALID_SHAPE.fullmatch(normalized):
        return False
    if len(set(normalized)) == 1:  # 00000000000000, 11111111111111...: right digits, not a CNPJ
        return False
    return check_digits(normalized[:12]) == normalized[12:]


def format_cnpj(cnpj: str) -> str:
    """12.345.678/0001-95 (or 12.ABC.345/01DE-35); anything that is not a CNPJ comes back as is."""
    n = normalize(cnpj)
    if n is None:
        return cnpj
    return f"{n[:2]}.{n[2:5]}.{n[5:8]}/{n[8:12]}-{n[12:]}"


def _digit(chars: str, weights: tuple[int, ...]) -> str:
    remainder = sum((ord(char) - 48) * weight for char, weight in zip(chars, weights, strict=True)) % 11
    return "0" if remainder < 2 else str(11 - remainder)
