"""Reading answers the way people write them: a number, an option's words, yes or no, thanks.

Pure functions over the whole message. Case, accents, punctuation, emoji skin tones and the
spaces around are ignored (`simplified`), so "Dúvida!", " duvida " and "DÚVIDA." are one answer.

- `choose`: which option of a menu the message picks: its number, its title, or words of the
  title (a word may be cut short: "erro" picks "Erro no sistema"); several options matching is
  an ambiguity the caller asks about, listing only those.
- `yes_or_no`: sim, s, isso, ok, pode, resolveu, 👍, ✅ / não, n, ainda não, continua, 👎, ❌.
- `social`: thanks, greetings and "ok" alone, which deserve a friendly answer, not a refusal.
- `key_words`: one word per option that picks it and no other, for the hint after misses.
- typos: a word within a slip of an option's word picks it when no other option is as close
  (`typos.tolerance`); one slip more only suggests it (`Choice.suggested`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum

from msgspec import Struct

from helpdesk.domain.menus import Option
from helpdesk.domain.text import fold
from helpdesk.domain.typos import close_to

# Emoji modifiers that do not change what an emoji says (skin tones, variation selector, joiner).
_MODIFIERS = frozenset({"\ufe0f", "\ufe0e", "\u200d", *(chr(code) for code in range(0x1F3FB, 0x1F400))})
_NUMBER = re.compile(
    r"(?:#\s*|n[o.]?\s*|opcao\s*|numero\s*)?(\d{1,9})(?:[.)!?]*|\s*[.)-]\s+\S.*)"
    r"(?:[\s,]+(?:por favor|pf|pfv|pfvr|obrigad[oa]|obg|valeu|vlw)[.!]*)?",  # "2 por favor"
    re.ASCII,
)
_ARTICLE = re.compile(r"^(?:e a|e o|eh|a|o|e)\s+(?=\S)")
NUMBER_WORDS = {
    "zero": 0,
    "um": 1,
    "uma": 1,
    "dois": 2,
    "duas": 2,
    "tres": 3,
    "quatro": 4,
    "cinco": 5,
    "seis": 6,
    "sete": 7,
    "oito": 8,
    "nove": 9,
    "dez": 10,
}
# Words people use for an option's word ("chamados" for "atendimentos", "nenhum" for "Outro").
SYNONYMS = {
    "chamado": "atendimento",
    "chamados": "atendimentos",
    "ticket": "atendimento",
    "tickets": "atendimentos",
    "nenhum": "outro",
    "nenhuma": "outro",
    "outra": "outro",
    "abrir": "criar",
    "abre": "criar",
    "nova": "novo",
    "mandar": "enviar",
    "manda": "enviar",
    "mande": "enviar",
    "envia": "enviar",
    "envie": "enviar",
    "escrever": "enviar",
    "responder": "enviar",
    "responde": "enviar",
    "resposta": "mensagem",
    "msg": "mensagem",
}
# Words that say nothing about which option is meant.
_FILLERS = frozenset(
    """a o as os um uma de da do das dos no na nos nas em e eh com para pra pro por quero opcao numero
    sobre mesmo mesma isso esse essa desses dessas esses essas ai coisa assunto acho que seria deve
    ser talvez""".split()
)
MIN_SUGGESTED = 6  # a word shorter than this is never offered back from two slips away
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


def words(text: str | None) -> list[str]:
    """The message's words, emojis apart from letters ("ok👍" is "ok" and "👍")."""
    spaced = "".join(f" {char} " if unicodedata.category(char) == "So" else char for char in simplified(text))
    return spaced.split()


def number_in(text: str | None) -> int | None:
    """The number the message answers: "2", "2.", "#2", "nº 2", "opção 2", "2 - Erro no sistema",
    "a 2", "o 1042", "zero", "a dois"."""
    bare = "".join(char for char in fold(text) if char not in _MODIFIERS and char != "\u20e3")  # 1️⃣
    bare = _ARTICLE.sub("", bare)
    if bare.rstrip(".!") in NUMBER_WORDS:
        return NUMBER_WORDS[bare.rstrip(".!")]
    match = _NUMBER.fullmatch(bare)
    return int(match.group(1)) if match else None


class Choice(Struct, frozen=True):
    """What a message picked among a menu's options: `picked` (the option's number, as its menu
    writes it), or `candidates` (several matched: ask which one); neither when nothing matched."""

    picked: str | None = None
    candidates: tuple[str, ...] = ()
    suggested: str | None = None  # one option a slip too far to take unasked: "Você quis dizer...?"


def _word_matches(typed: str, word: str) -> bool:
    if typed == word:
        return True
    if len(typed) >= MIN_PREFIX and word.startswith(typed):
        return True  # cut short: "err", "duvid"
    return len(word) >= MIN_PREFIX + 1 and typed.startswith(word)  # longer: "duvidas", "erros"


def _significant(words: Sequence[str]) -> list[str]:
    return [word for word in words if word not in _FILLERS]


def _vocabulary(option: Option) -> list[str]:
    """The words that pick an option: its title's and its own (`Option.words`), synonyms read as
    the typed words are (a title saying "chamados" is picked by "chamados" and "atendimentos")."""
    own = [*words(option.title), *(word for extra in option.words for word in words(extra))]
    return [SYNONYMS.get(word, word) for word in own]


def choose(text: str | None, options: Sequence[Option], *, fuzzy: bool = True) -> Choice:
    """The option the message picks (`_chosen`), or the one a single clause of it picks
    ("financeiro, é sobre boleto", "sei lá, outro")."""
    chosen = _chosen(text, options, fuzzy=fuzzy)
    clauses = [clause for clause in re.split(r"[,;.!?\n]+", text or "") if clause.strip()]
    if chosen != Choice() or len(clauses) < 2:
        return chosen
    picks = {
        pick.picked for pick in (_chosen(clause, options, fuzzy=False) for clause in clauses) if pick.picked
    }
    return Choice(picked=picks.pop()) if len(picks) == 1 else chosen


def _chosen(text: str | None, options: Sequence[Option], *, fuzzy: bool = True) -> Choice:
    """The option the message picks. A number answers by itself (the caller checks it is on offer);
    else the whole title (or one of the option's words), else every meaningful word of the message
    matching a word of the title or the option's words (whole, cut short or with a plural's ending)."""
    number = number_in(text)
    if number is not None:
        return Choice(picked=str(number))
    typed = simplified(text)
    if not typed:
        return Choice()
    exact = tuple(
        option.number
        for option in options
        if typed in (simplified(option.title), *(simplified(word) for word in option.words))
    )
    if exact:
        return Choice(picked=exact[0]) if len(exact) == 1 else Choice(candidates=exact)
    wanted = [SYNONYMS.get(word, word) for word in _significant(words(typed))]
    if not wanted:
        return Choice()
    matching = tuple(
        option.number
        for option in options
        if all(any(_word_matches(word, own) for own in _vocabulary(option)) for word in wanted)
    )
    if len(matching) == 1:
        return Choice(picked=matching[0])
    if matching or not fuzzy:
        return Choice(candidates=matching)
    return _mistyped(wanted, options)


def _mistyped(wanted: Sequence[str], options: Sequence[Option]) -> Choice:
    """Typos: the option whose words are all within a slip of the words typed ("duvda" is
    "Dúvida"); one more slip only suggests it (asked back), several options ask which."""
    for extra in (0, 1):
        close = tuple(
            option.number
            for option in options
            if all(
                any(
                    close_to(word, own, extra)
                    for own in _vocabulary(option)
                    if not extra or len(own) >= MIN_SUGGESTED
                )
                for word in wanted
            )
        )
        if len(close) == 1:
            return Choice(picked=close[0]) if extra == 0 else Choice(suggested=close[0])
        if close:
            return Choice(candidates=close)
    return Choice()


def key_words(options: Sequence[Option], reserved: frozenset[str] = frozenset()) -> list[str | None]:
    """For each option, the first word of its title (as written, in lower case) that picks it and no
    other one and is not `reserved` (words that mean something else everywhere, such as "voltar");
    None when there is none ("Outro" beside "Outro tipo")."""
    found: list[str | None] = []
    for index, option in enumerate(options):
        others = [other for position, other in enumerate(options) if position != index]
        word = next(
            (
                raw.lower()
                for raw in re.findall(r"\w+", option.title)
                if simplified(raw) not in _FILLERS | reserved
                and not simplified(raw).isdigit()
                and len(simplified(raw)) >= 2
                and not any(choose(raw, [other], fuzzy=False).picked == other.number for other in others)
            ),
            None,
        )
        found.append(word)
    return found


# --- yes or no -------------------------------------------------------------------------------

_YES = frozenset(
    """sim s isso ok okay pode claro certo resolveu resolvido resolvida foi yes funcionou funcionando positivo
    funciona deu 👍 ✅ 👌 ☑ ✔""".split()
)
_NO = frozenset(
    "nao n no continua ainda resolveu resolvido resolvida foi nada funciona funcionou negativo igual mesma mesmo 👎 ❌ ✖ ❎".split()
)
_NEGATIONS = frozenset("nao n no continua negativo 👎 ❌ ✖ ❎".split())
# Words beside a yes or a no that change nothing ("sim, resolveu! obrigada", "isso, pode fechar").
_BESIDE = frozenset(
    "obrigado obrigada obg obgd valeu vlw agora ta esta tudo certo pode fechar muito mto 🙏 e".split()
)
_LEADING_WORD = re.compile(r"^\s*\S+?\s*[,.!;:-]")  # a yes or a no, then the rest: "não, continua..."
_LEADING_YES = frozenset("sim s isso claro positivo 👍 ✅".split())
ANSWER_WORDS = _YES | _NO | _BESIDE | frozenset({"positivo", "negativo"})


def yes_or_no(text: str | None) -> bool | None:
    """True for a yes, False for a no, None for anything else: the whole message decides ("sim,
    resolveu" is yes, "ainda não" is no, "sim e não" is neither), or a first word that is a plain
    yes or no with nothing against it after ("não, continua dando erro")."""
    said = [
        unstretched(word, _YES | _NO | _BESIDE)
        for word in words(text)
        if word in _YES | _NO or unicodedata.category(word[0]) != "So"  # 😡 says nothing here
    ]
    if not said:
        return None
    negated = any(word in _NEGATIONS for word in said)
    if negated and all(word in _NO | _BESIDE for word in said):
        return False
    if not negated and all(word in _YES | _BESIDE for word in said) and any(w in _YES for w in said):
        return True
    if not _LEADING_WORD.match(fold(text)):  # "Não liga de jeito nenhum" is not an answer
        return None
    if said[0] in _NEGATIONS - {"continua"}:
        return False
    if said[0] in _LEADING_YES and not negated:
        return True
    return None


def unstretched(word: str, known: frozenset[str]) -> str:
    """`word` typed with a letter held down ("simmm", "nãoo", "oiii") as the known word it stretches."""
    if word in known or len(word) < 2:
        return word
    squeezed = re.sub(r"(.)\1+", r"\1", word)
    return squeezed if squeezed in known else word


# --- thanks, greetings, ok -------------------------------------------------------------------


class Social(StrEnum):
    THANKS = "thanks"
    GREETING = "greeting"
    OK = "ok"


_THANKS = frozenset(
    "obrigado obrigada obrigadao obrigadinho obg obgd obgda brigado brigada valeu vlw grato grata "
    "agradeco thanks thank tks 🙏".split()
)
_GREETINGS = frozenset("oi oii oie ola opa eai eae hello hi bom boa dia tarde noite tudo bem bom 👋".split())
_OKS = frozenset(
    "ok okay blz beleza certo entendi ta tabom perfeito show combinado otimo 👍 👌 😊 🙂 😀".split()
)
# Words that go with those without changing them ("muito obrigado pela ajuda", "e aí, tudo bem?").
_SOCIAL_FILLERS = frozenset(
    """muito mto pela pelo ajuda a e ai voce vc td com contigo pessoal gente galera entao de novo
    atencao retorno paciencia forca era so isso por enquanto tudo pra para pro""".split()
)
MAX_SOCIAL_WORDS = 8


def social(text: str | None) -> Social | None:
    """Whether the whole message is only thanks, a greeting or an "ok" (thanks first: "ok,
    obrigado" thanks)."""
    vocabulary = _THANKS | _GREETINGS | _OKS | _SOCIAL_FILLERS
    said = [unstretched(word, vocabulary) for word in words(text)]
    if not said or len(said) > MAX_SOCIAL_WORDS:
        return None
    if not all(word in vocabulary for word in said):
        return None
    if any(word in _THANKS for word in said):
        return Social.THANKS
    if any(word in _GREETINGS for word in said):
        return Social.GREETING
    if any(word in _OKS for word in said):
        return Social.OK
    return None


# --- goodbye ----------------------------------------------------------------------------------

_FAREWELL = frozenset("tchau tchauzinho xau bye flw falou".split())
_SEE_YOU = frozenset("mais logo breve amanha".split())  # after "até"
# Before "conversa": "encerrar a conversa".
_CONVERSATION_ENDS = frozenset("encerrar encerra encerre finalizar terminar fechar sair".split())
_AROUND_GOODBYE = frozenset("ate conversa pode quero o a da de por hoje 👋".split()) | _THANKS | _OKS
_GOODBYE_WORDS = _FAREWELL | _SEE_YOU | _CONVERSATION_ENDS | _AROUND_GOODBYE | _SOCIAL_FILLERS


def says_goodbye(text: str | None) -> bool:
    """Whether the whole message is a goodbye ("tchau", "obrigado, até mais", "pode encerrar a
    conversa"): the conversation ends as with `sair`. "Encerrar" alone is not one: in a draft it
    may mean "open it"."""
    said = [unstretched(word, _GOODBYE_WORDS) for word in words(text) if word not in ",.!?"]
    if not said or len(said) > MAX_SOCIAL_WORDS or not all(word in _GOODBYE_WORDS for word in said):
        return False
    return (
        any(word in _FAREWELL for word in said)
        or ("ate" in said and bool(_SEE_YOU & set(said)))
        or ("conversa" in said and bool(_CONVERSATION_ENDS & set(said)))
    )
