"""Reading what the requester typed: a word, a number, an option, yes or no."""

from __future__ import annotations

import re

from helpdesk.domain.text import fold
from helpdesk.domain.typos import expanded
from helpdesk.domain.understanding import words, yes_or_no

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


# Whole messages that end a files step as *Fim* does (folded, abbreviations spelled out), polite
# words around them aside: "pronto", "é só isso, obrigada", "pode abrir", a "não" to "Quer anexar
# arquivos?".
_DONE = frozenset(
    phrase.strip()
    for phrase in """fim|pronto|pronta|prontinho|terminei|acabei|finalizar|finaliza|finalize|finalizado|finalizei|
    concluir|conclui|concluido|concluida|so isso|e so isso|e isso|era isso|era so isso|isso e tudo|
    e tudo|mais nada|nada mais|nada|pode abrir|pode criar|pode registrar|pode enviar|pode mandar|
    pode finalizar|pode concluir|abrir|abre|abra|enviar|envia|envie|sem arquivos|sem arquivo|
    sem anexo|sem anexos|nao tenho|nao tenho arquivos|nao tenho arquivo|nao tenho anexo|
    nao tenho anexos|nao|nao precisa|nao tem|tudo certo""".split("|")
)
_AROUND = frozenset("ok okay obrigado obrigada valeu por favor entao ta bom sim mesmo".split())


def done(text: str | None) -> bool:
    """The message says the files (and the text) are all there: *Fim* in other words, alone or
    in clauses that all say it ("pronto, é isso")."""
    said = [_meant(clause) for clause in re.split(r"[,;.!?\n]+", text or "")]
    return any(said) and all(not clause or clause in _DONE for clause in said)


def _meant(clause: str) -> str:
    """The clause without the polite words around it ("ok", "obrigada"): "" when that was all."""
    said = expanded(words(clause))
    while said and said[-1] in _AROUND:
        said.pop()
    while said and said[0] in _AROUND:
        said.pop(0)
    return " ".join(said)
