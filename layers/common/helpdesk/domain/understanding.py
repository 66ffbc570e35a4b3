"""Reading answers the way people write them: a number, an option's words, yes or no, thanks.

Pure functions over the whole message. Case, accents, punctuation, emoji skin tones and the
spaces around are ignored (`simplified`), so "Dúvida!", " duvida " and "DÚVIDA." are one answer.

- `choose`: which option of a menu the message picks: its number, its title, or words of the
  title (a word may be cut short: "erro" picks "Erro no sistema"); several options matching is
  an ambiguity the caller asks about, listing only those.
- `yes_or_no`: sim, s, isso, ok, pode, resolveu, 👍, ✅ / não, n, ainda não, continua, 👎, ❌.
- `social`: thanks, greetings and "ok" alone, which deserve a friendly answer, not a refusal.
- `key_words`: one word per option that picks it and no other, for the hint after misses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from helpdesk.domain.text import fold

# Emoji modifiers that do not change what an emoji says (skin tones, variation selector, joiner).
_MODIFIERS = frozenset({"\ufe0f", "\ufe0e", "\u200d", *(chr(code) for code in range(0x1F3FB, 0x1F400))})
_NUMBER = re.compile(r"(?:#\s*|n[o.]?\s*|opcao\s*|numero\s*)?(\d{1,9})(?:[.)!]*|\s*[.)-]\s+\S.*)", re.ASCII)
# Words that say nothing about which option is meant.
_FILLERS = frozenset(
    "a o as os um uma de da do das dos no na nos nas em e com para pra pro por quero opcao numero sobre".split()
)
MIN_PREFIX = 3  # a word cut shorter than this picks nothing ("e" is not "Erro")


def simplified(text: str | None) -> str:
    """Folded (lower case, no accents, single spaces) without punctuation or emoji modifiers;
    emojis themselves stay: simplified(" Dúvida! 👍🏽") == "duvida 👍"."""
    kept = []
    for char in fold(text):
        if char in _MODIFIERS:
            continue
        category = unicodedata.category(char)
        kept.append(" " if category[0] == "P" or category == "Sm" else char)
    return " ".join("".join(kept).split())


def _words(text: str | None) -> list[str]:
    """The message's words, emojis apart from letters ("ok👍" is "ok" and "👍")."""
    spaced = "".join(f" {char} " if unicodedata.category(char) == "So" else char for char in simplified(text))
    return spaced.split()


def number_in(text: str | None) -> int | None:
    """The number the message answers: "2", "2.", "#2", "nº 2", "opção 2", "2 - Erro no sistema"."""
    bare = "".join(char for char in fold(text) if char not in _MODIFIERS and char != "\u20e3")  # 1️⃣
    match = _NUMBER.fullmatch(bare)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Choice:
    """What a message picked among a menu's options: `picked` (the option's answer, its number),
    or `candidates` (several matched: ask which one); neither when nothing matched."""

    picked: int | None = None
    candidates: tuple[int, ...] = ()


def _word_matches(typed: str, word: str) -> bool:
    if typed == word:
        return True
    if len(typed) >= MIN_PREFIX and word.startswith(typed):
        return True  # cut short: "err", "duvid"
    return len(word) >= MIN_PREFIX + 1 and typed.startswith(word)  # longer: "duvidas", "erros"


def _significant(words: Sequence[str]) -> list[str]:
    return [word for word in words if word not in _FILLERS]


def choose(text: str | None, options: Sequence[tuple[int, str]]) -> Choice:
    """The option (number, title) the message picks. A number answers by itself (the caller checks
    it is on offer); else the whole title, else every meaningful word of the message matching a word
    of the title (whole, cut short or with a plural's ending)."""
    number = number_in(text)
    if number is not None:
        return Choice(picked=number)
    typed = simplified(text)
    if not typed:
        return Choice()
    exact = tuple(answer for answer, title in options if simplified(title) == typed)
    if exact:
        return Choice(picked=exact[0]) if len(exact) == 1 else Choice(candidates=exact)
    wanted = _significant(_words(typed))
    if not wanted:
        return Choice()
    matching = tuple(
        answer
        for answer, title in options
        if all(any(_word_matches(word, own) for own in _words(title)) for word in wanted)
    )
    if len(matching) == 1:
        return Choice(picked=matching[0])
    return Choice(candidates=matching)


def key_words(titles: Sequence[str], reserved: frozenset[str] = frozenset()) -> list[str | None]:
    """For each title, its first word (as written, in lower case) that picks it and no other one
    and is not `reserved` (words that mean something else everywhere, such as "voltar"); None when
    there is none ("Outro" beside "Outro tipo")."""
    found: list[str | None] = []
    for index, title in enumerate(titles):
        others = [t for position, t in enumerate(titles) if position != index]
        word = next(
            (
                raw.lower()
                for raw in re.findall(r"\w+", title)
                if simplified(raw) not in _FILLERS | reserved
                and not simplified(raw).isdigit()
                and len(simplified(raw)) >= 2
                and not any(choose(raw, [(0, other)]).picked == 0 for other in others)
            ),
            None,
        )
        found.append(word)
    return found


# --- yes or no -------------------------------------------------------------------------------

_YES = frozenset(
    "sim s isso ok okay pode claro certo resolveu resolvido resolvida foi yes 👍 ✅ 👌 ☑ ✔".split()
)
_NO = frozenset("nao n no continua ainda resolveu resolvido resolvida foi 👎 ❌ ✖ ❎".split())
_NEGATIONS = frozenset("nao n no continua 👎 ❌ ✖ ❎".split())


def yes_or_no(text: str | None) -> bool | None:
    """True for a yes, False for a no, None for anything else; the whole message decides
    ("sim, resolveu" is yes, "ainda não" is no, "sim e não" is neither)."""
    words = _words(text)
    if not words:
        return None
    negated = any(word in _NEGATIONS for word in words)
    if negated and all(word in _NO for word in words):
        return False
    if not negated and all(word in _YES for word in words):
        return True
    return None


# --- thanks, greetings, ok -------------------------------------------------------------------


class Social(StrEnum):
    THANKS = "thanks"
    GREETING = "greeting"
    OK = "ok"


_THANKS = frozenset(
    "obrigado obrigada obrigadao obrigadinho obg obgd obgda brigado brigada valeu vlw grato grata "
    "agradeco thanks thank tks 🙏".split()
)
_GREETINGS = frozenset("oi oii oie ola opa eai eae hello hi bom boa dia tarde noite tudo bem bom".split())
_OKS = frozenset(
    "ok okay blz beleza certo entendi ta tabom perfeito show combinado otimo 👍 👌 😊 🙂 😀".split()
)
# Words that go with those without changing them ("muito obrigado pela ajuda", "e aí, tudo bem?").
_SOCIAL_FILLERS = frozenset("muito mto pela pelo ajuda a e ai voce vc entao de novo".split())
MAX_SOCIAL_WORDS = 8


def social(text: str | None) -> Social | None:
    """Whether the whole message is only thanks, a greeting or an "ok" (thanks first: "ok,
    obrigado" thanks)."""
    words = _words(text)
    if not words or len(words) > MAX_SOCIAL_WORDS:
        return None
    vocabulary = _THANKS | _GREETINGS | _OKS | _SOCIAL_FILLERS
    if not all(word in vocabulary for word in words):
        return None
    if any(word in _THANKS for word in words):
        return Social.THANKS
    if any(word in _GREETINGS for word in words):
        return Social.GREETING
    if any(word in _OKS for word in words):
        return Social.OK
    return None
