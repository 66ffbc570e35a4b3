"""A 1-5 rating as people give it: "4", "4️⃣", "⭐⭐⭐⭐", "nota 4", "quatro", "4 estrelas", "5/5",
"4 de 5", "dou 5", "nota 10" (the school grade: the top)."""

from __future__ import annotations

import re

from helpdesk.domain.text import compiled_on_use, fold

_STARS = frozenset("⭐🌟★✩☆✪✯✰")
_KEYCAP = "\u20e3"
_NUMBER_WORDS = {"um": 1, "uma": 1, "dois": 2, "duas": 2, "tres": 3, "quatro": 4, "cinco": 5, "dez": 10}
_NUMBER = r"(10|[0-9]|um|uma|dois|duas|tres|quatro|cinco|dez)"
_OUT_OF = compiled_on_use(rf"\b{_NUMBER}\s*(?:/|de|em)\s*(5|cinco|10|dez)\b")
_WORDS = (
    compiled_on_use(
        rf"^(?:nota|dou|da|de|daria|vale|merece|minha nota e|avalio com|avaliacao)?\s*:?\s*{_NUMBER}$"
    ),
    compiled_on_use(rf"\b{_NUMBER}\s*estrelas?\b"),
    compiled_on_use(r"^(dois|duas|tres|quatro|cinco|dez)\b"),  # "cinco!! vcs são demais"
    compiled_on_use(rf"\b(?:nota|dou|daria|merece)\s*:?\s*{_NUMBER}\b"),
)
MAX_WORDS_AROUND = 8
# The scale's ends as the rating question words them ("*1* (muito ruim) a *5* (excelente)"), as a
# whole message.
_SCALE_ENDS = {"excelente": 5, "muito ruim": 1, "pessimo": 1, "pessima": 1}
# Number words typed with a slip ("cincoo", "quatto"): one edit on the longer ones.
_NUMBER_SPELLINGS = {
    typed: word
    for word in ("quatro", "cinco", "tres")
    for typed in {word + word[-1], word[:-1] + word[-1] * 2, word.replace("tr", "t"), word.replace("c", "s")}
}
_TOP = compiled_on_use(r"\b(?:nota maxima|nota mil|cinco estrelas|nota dez)\b")


def rating_in(text: str | None) -> int | None:
    """The rating (1-5) a message gives, or None when it gives none (or several)."""
    if not text:
        return None
    folded = fold(text.replace(_KEYCAP, "").replace("\ufe0f", ""))
    folded = " ".join(re.sub(r"[!.,;?()\"']+", " ", folded).split())
    digits = re.findall(r"\b\d+\b", folded)
    stars = sum(char in _STARS for char in text)
    if stars:  # "⭐⭐⭐⭐"; "5 ⭐" gives the number
        if not digits:
            return stars if stars <= 5 else None
        consistent = len(digits) == 1 and (stars == 1 or int(digits[0]) == stars)
        return _scaled((digits[0],)) if consistent else None
    if folded in _SCALE_ENDS:  # the words the question names its ends with
        return _SCALE_ENDS[folded]
    if _TOP().search(folded):
        return 5
    match = _OUT_OF().search(folded)
    if match:
        return _scaled(match.groups())
    if len(digits) == 1 and len(folded.split()) <= MAX_WORDS_AROUND:  # "4", "dou um 5", "muito bom, 5"
        return _scaled((digits[0],))
    folded = " ".join(_NUMBER_SPELLINGS.get(word, word) for word in folded.split())
    for pattern in _WORDS:
        match = pattern().search(folded)
        if match:
            return _scaled(match.groups())
    return None


def _scaled(groups: tuple[str | None, ...]) -> int | None:
    value = _value(groups[0])
    scale = _value(groups[1]) if len(groups) > 1 and groups[1] else 5
    if value is None or scale is None:
        return None
    if scale == 10 or value == 10:  # "8/10", "nota 10": out of ten, rounded up
        value = max(1, min(5, (value + 1) // 2))
    return value if 1 <= value <= 5 else None


def _value(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)
