"""One reading of a message at a step: what it answers, what else it carries, what it wants.

`read(text, asks, options)` is what the dialog understands of a message, in one place:

- what the step asks (`Asks`): an option of a menu (`understanding.choose`, typos included), a
  rating (`ratings`), a yes or a no, or text being written (a subject, a description);
- what the message carries for this and later questions (`extraction`: CNPJs, e-mails, a name,
  ticket numbers);
- what the person wants whatever was asked (`intents`; where text is being written, only what
  the whole message says);
- small talk (`understanding.social`) and whether it describes a problem (a sentence about
  something wrong or wanted: at a menu it starts a ticket instead of being refused).

`tests/unit/corpus/` holds the messages people send, with the reading each should get.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from helpdesk.domain.extraction import Extracted, extract, name_in_whole, strip_cnpjs, told
from helpdesk.domain.intents import Intent, intents, vocabulary
from helpdesk.domain.menus import Option
from helpdesk.domain.ratings import rating_in
from helpdesk.domain.typos import expanded
from helpdesk.domain.understanding import ANSWER_WORDS, Choice, Social, choose, social, words, yes_or_no


class Asks(StrEnum):
    """What a step asks for."""

    CNPJ = "cnpj"
    NAME = "name"
    EMAIL = "email"
    MENU = "menu"
    YES_NO = "yes_no"
    RATING = "rating"
    TEXT = "text"  # a subject, a description, an action's text: everything is text


class Reading(Struct, frozen=True):
    text: str
    extracted: Extracted = field(default_factory=Extracted)
    intents: tuple[Intent, ...] = ()
    social: Social | None = None
    problem: bool = False  # describes something wrong or wanted
    choice: Choice | None = None  # Asks.MENU
    rating: int | None = None  # Asks.RATING
    yes: bool | None = None  # Asks.YES_NO

    def wants(self, intent: Intent) -> bool:
        return intent in self.intents

    @property
    def told(self) -> str:
        """The problem as the requester put it, without the greeting and the fields around it."""
        return told(self.text, self.extracted)


# Words that say nothing about a problem: greetings, courtesy, small words, the fields' own names.
_EMPTY = frozenset(
    """oi ola ei opa bom boa dia tarde noite tudo bem beleza blz td e ai voce voces vc por favor
    obrigado obrigada valeu ok certo sim nao o a os as um uma de da do das dos no na nos nas em com
    para pra pro por que eu meu minha me aqui sou estou esta ta to isso esse essa este ja so mais
    entao como vai segue seguem abaixo acima meus dados nome email mail cnpj empresa e-mail numero
    cadastro fala falo quem chamo e eh the hi hello gente pessoal moca moco amigo amiga tarde
    tambem ne ah ahh hum hmm kkk kkkk rs rsrs haha audio vou ver te pode posso""".split()
)
# Words that on their own say something is wrong or wanted.
_TROUBLE = frozenset(
    """erro erros problema problemas travou travando trava travado parou caiu falha falhou bug lento
    lentidao instavel quebrado quebrou sumiu sumiram duvida duvidas emitir emissao
    boleto boletos nfe nf nfce xml sefaz relatorio impressora imprimir imprime instalar
    instalacao atualizar atualizacao integracao cadastrar pagamento fatura cobranca
    certificado backup servidor lancamento fechamento rejeitada rejeicao exportar importar errado
    errada errados erradas bugou bugado integrado integracao pendente""".split()
)
MIN_CONTENT_WORDS = 5
# What may follow "não" without anything failing ("não sei", "não tenho e-mail", "não uso").
_NOT_TROUBLE = frozenset(
    """sei tenho temos quero queremos preciso precisa lembro entendi entendo e eh era mais muito
    posso pode vou sou conheco vi achei gostei uso usamos resolveu resolvido funciona funcionou
    nada deu""".split()
)
# Between "não" and what fails: "não está gerando", "não consigo emitir".
_AUXILIARIES = frozenset(
    "esta estao estou consigo consegue conseguimos conseguem foi vai quer querem".split()
)
_TROUBLE_PHRASES = (
    "deu pau",
    "deu ruim",
    "fora do ar",
    "deu problema",
    "parou de",
    "saiu do ar",
    "nota fiscal",
    "notas fiscais",
)


def read(text: str | None, asks: Asks, options: Sequence[Option] = (), *, problems: bool = True) -> Reading:
    """What the message says at a step that asks `asks` (a menu's `options`, domain.menus);
    `problems`: whether a problem described there matters (where it can start a ticket)."""
    raw = text or ""
    said = words(raw)
    if asks is Asks.TEXT:
        return Reading(raw, intents=intents(said, whole_only=True))
    extracted = extract(raw)
    found, friendly = intents(said), social(raw)
    if asks is Asks.NAME and not (extracted.name or extracted.emails or extracted.cnpjs or found or friendly):
        extracted = replace(extracted, name=name_in_whole(raw))
    reading = Reading(raw, extracted, found, friendly)
    if asks is Asks.MENU:
        reading = replace(reading, choice=choose(_without_fields(raw, extracted), options))
    elif asks is Asks.RATING:
        return replace(reading, rating=rating_in(raw))
    elif asks is Asks.YES_NO:
        reading = replace(reading, yes=yes_or_no(raw))
    return replace(reading, problem=problems and _describes_problem(reading, said))


def _without_fields(text: str, extracted: Extracted) -> str:
    """The text with its CNPJs and e-mails taken out: what is left may answer the menu."""
    if not extracted.cnpjs and not extracted.emails:
        return text
    for email in extracted.emails:
        text = text.replace(email, " ")
    return strip_cnpjs(text)


def _describes_problem(reading: Reading, said: list[str]) -> bool:
    """A sentence about something wrong or wanted, once the answer, the fields, the courtesy and
    the words of an intent are set aside: a word or phrase of trouble ("erro", "deu pau", "não
    abre"), or a few words of substance."""
    if reading.social is not None or (reading.choice is not None and reading.choice.picked is not None):
        return False
    if any(intent in reading.intents for intent in (Intent.CANCEL, Intent.RECOVERY, Intent.HELP)):
        return False
    carried = reading.extracted
    spelled = expanded(said)
    if reading.yes is not None:  # "não, continua dando erro": what follows the answer
        spelled = [word for word in spelled if word not in ANSWER_WORDS]
    taken = {word for value in (carried.name or "").split() for word in words(value)}
    content = [
        word
        for word in spelled
        if word not in _EMPTY
        and word not in taken
        and any(char.isalpha() for char in word)
        and len(word) > 1
        and not any(word in email.lower() for email in carried.emails)
    ]
    phrased = f" {' '.join(spelled)} "
    if any(word in _TROUBLE for word in content) or any(f" {p} " in phrased for p in _TROUBLE_PHRASES):
        return True
    if _something_fails(spelled):
        return True
    about = [word for word in content if not reading.intents or word not in vocabulary()]
    return len(about) >= MIN_CONTENT_WORDS


def _something_fails(said: list[str]) -> bool:
    """ "não abre", "não está gerando", "não consigo emitir": "não" before what should happen."""
    for at, word in enumerate(said[:-1]):
        if word != "nao":
            continue
        following = said[at + 1]
        if following in _AUXILIARIES and at + 2 < len(said):
            following = said[at + 2]
        if following.isalpha() and following not in _NOT_TROUBLE:
            return True
    return False


def summary(reading: Reading) -> dict[str, Any]:
    """The reading as plain data, only what it found (the corpus compares it whole)."""
    carried = reading.extracted
    found: dict[str, Any] = {
        "intents": [intent.value for intent in reading.intents],
        "cnpjs": list(carried.cnpjs),
        "bad_cnpj": bool(carried.bad_cnpjs) and not carried.cnpjs,
        "emails": list(carried.emails),
        "name": carried.name,
        "tickets": list(carried.ticket_numbers),
        "social": reading.social.value if reading.social else None,
        "problem": reading.problem,
        "rating": reading.rating,
        "yes": reading.yes,
    }
    if reading.choice is not None:  # options' numbers as numbers, as the corpus writes them
        found |= {
            "option": _numeric(reading.choice.picked),
            "candidates": [_numeric(number) for number in reading.choice.candidates],
            "suggested": _numeric(reading.choice.suggested),
        }
    return {
        key: value
        for key, value in found.items()
        if value is not None and value != [] and (value is not False or key == "yes")
    }


def _numeric(number: str | None) -> int | str | None:
    return int(number) if number is not None and number.isdigit() else number
