"""Words as people type them on a phone: slips of a finger and the usual abbreviations.

- `distance`: edits between two words (insert, delete, replace, or swap two neighbours: "duvdia").
- `tolerance`: how many edits a word of that length absorbs (none under 4 letters, one up to 7,
  two from 8), so "duvda" is "duvida" and "menssagen" is "mensagem", but "ok" bends to nothing.
- `close_to`: a word within the tolerance of another.
- `expanded`: a message's words with the abbreviations spelled out ("vc" -> "voce", "pq" ->
  "porque", "n" -> "nao"), for matching phrases written in full.
"""

from __future__ import annotations

from collections.abc import Iterable

# Abbreviations and spellings of WhatsApp pt-BR, folded (no accents), to the word they stand for.
ABBREVIATIONS = {
    "vc": "voce",
    "vcs": "voces",
    "ce": "voce",
    "pq": "porque",
    "q": "que",
    "oq": "o que",
    "tb": "tambem",
    "tbm": "tambem",
    "td": "tudo",
    "tds": "todos",
    "hj": "hoje",
    "msg": "mensagem",
    "qdo": "quando",
    "qnd": "quando",
    "n": "nao",
    "naum": "nao",
    "nn": "nao",
    "nd": "nada",
    "mt": "muito",
    "mto": "muito",
    "cmg": "comigo",
    "pfv": "por favor",
    "pf": "por favor",
    "pfvr": "por favor",
    "plmds": "pelo amor de deus",
    "pra": "para",
    "pro": "para o",
    "p": "para",
    "to": "estou",
    "ta": "esta",
    "eh": "e",
    "vlw": "valeu",
    "obg": "obrigado",
    "obgd": "obrigado",
    "blz": "beleza",
    "add": "adicionar",
    "qro": "quero",
    "kero": "quero",
    "agnt": "agente",
    "atd": "atendimento",
    "sist": "sistema",
    "senh": "senha",
    "ngm": "ninguem",
    "cel": "celular",
    "num": "numero",
    "nro": "numero",
    "cm": "com",
    "qria": "queria",
    "kria": "queria",
    "qr": "quer",
    "qer": "quer",
    "qero": "quero",
    "dps": "depois",
    "agr": "agora",
    "aki": "aqui",
    "msm": "mesmo",
    "tmb": "tambem",
    "vdd": "verdade",
    "alg": "alguem",
}


MIN_BENDING = 4  # a word typed shorter than this is never read as a slip ("er" is not "erro")


def distance(first: str, second: str, limit: int = 3) -> int:
    """Edits from `first` to `second` (optimal string alignment), or `limit` + 1 once past it."""
    if first == second:
        return 0
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            cost = 0 if a == b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                best = min(best, before[j - 2] + 1)
            current.append(best)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def tolerance(word: str) -> int:
    """Edits a word of this length absorbs: 0 under 4 letters, 1 from 4 to 7, 2 from 8."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 7 else 2


def close_to(typed: str, word: str, extra: int = 0) -> bool:
    """`typed` is `word` but for at most its tolerance (+ `extra`) edits; digits never bend."""
    if typed == word:
        return True
    if typed.isdigit() or word.isdigit() or len(typed) < MIN_BENDING:
        return False
    allowed = tolerance(word) + extra if tolerance(word) else 0
    return allowed > 0 and distance(typed, word, allowed) <= allowed


def expanded(words: Iterable[str]) -> list[str]:
    """`words` (folded) with the abbreviations spelled out, each a word or several."""
    out: list[str] = []
    for word in words:
        out += ABBREVIATIONS.get(word, word).split()
    return out
