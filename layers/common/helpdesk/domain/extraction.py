"""What a message carries, read once, wherever it arrives: CNPJs, e-mails, a name, ticket numbers.

People answer the question they were asked and the next ones in one go ("Lia Prado - lia@acme.com",
"bom dia, meu cnpj é 12.345.678/0001-95"), so each step takes what it needs from `extract(text)`
and keeps what answers a later question.

- CNPJs: numeric or alphanumeric (July 2026), with or without punctuation, check digits validated
  (`domain.cnpj`); one shaped like a CNPJ whose digits do not check is `bad_cnpjs` (the person
  meant one: worth a "confira"), never a valid one.
- e-mails: every address, as typed.
- a name: after "meu nome é", "me chamo", "sou a/o", "aqui é", "quem fala é", or the words beside
  an e-mail ("Lia Prado - lia@x.com", "lia@x.com (Lia Prado)").
- ticket numbers: "chamado 12", "atendimento nº 12", "#12", "status do 12", "protocolo 12".
"""

from __future__ import annotations

import re

from msgspec import Struct

from helpdesk.domain.cnpj import is_valid, normalize
from helpdesk.domain.text import compiled_on_use, fold

_NUMERIC_CNPJ = re.compile(r"(?<![\w@])\d{2}[.\s]?\d{3}[.\s]?\d{3}[/.\s]?\d{4}[-.\s]?\d{2}(?![\w@])")
_ALPHANUMERIC_CNPJ = re.compile(
    r"(?<![\w@])[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}/?[0-9A-Za-z]{4}-?\d{2}(?![\w@])"
)
# A run of digits a person typed as a CNPJ but got wrong (a digit missing or extra).
_DIGIT_RUN = re.compile(r"(?<![\w@])\d[\d./\-]{10,20}\d(?![\w@])")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
# An e-mail as a voice note's transcript says it: "lia arroba acme ponto com ponto br".
_SPOKEN_EMAIL = compiled_on_use(
    r"\b([\w+-]+(?: ponto [\w+-]+)*) arroba ([\w-]+(?: ponto [\w-]+)+)\b", re.IGNORECASE
)
# "lia@gmail,com": a comma typed for the dot before the top-level domain.
_COMMA_FOR_DOT = compiled_on_use(
    r"(@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*),\s?(com|net|org|br|edu|gov)\b", re.IGNORECASE
)
_PHONE = re.compile(r"(?:\+?55\s?)?\(?\d{2}\)?\s?9?\d{4}[-\s]?\d{4}(?!\d)")

_TICKET_WORDS = r"(?:chamados?|atendimentos?|tickets?|protocolos?|solicitacao|solicitacoes|ocorrencias?)"
_UNITS = r"(?!\s*(?:h\b|hs\b|horas?|dias?|min|minutos?|semanas?|mes|meses|anos?|reais|r\$|%|x\b|vezes))"
_TICKET_PATTERNS = (
    re.compile(
        rf"\b{_TICKET_WORDS}\s*(?:n[o°]?\s*\.?|numero|num|nro)?\s*[:#]?\s*(\d{{1,9}})\b{_UNITS}", re.ASCII
    ),
    re.compile(r"#\s*(\d{1,9})\b", re.ASCII),
    # "1041 alguma novidade?": a number alone, then what is asked about it.
    re.compile(
        r"^\s*(\d{1,9})\b(?=.*\b(?:novidades?|status|andamento|previsao|noticias?|resposta|retorno)\b)",
        re.ASCII,
    ),
    re.compile(
        rf"\b(?:status|andamento|situacao|novidades?|noticias?|previsao|retorno|resposta|como (?:esta|ta|anda|estao))"
        rf"\s+(?:d[oa]s?\s+|de\s+|no\s+|sobre\s+o\s+)?"
        rf"(?:meu\s+|minha\s+|esse\s+)?(?:{_TICKET_WORDS}\s+)?(?:n[o°]?\s*\.?\s*)?(\d{{1,9}})\b{_UNITS}",
        re.ASCII,
    ),
)

# What comes before a name ("meu nome é Lia"), matched on the text as typed (accents and case kept).
_NAME_MARKERS = re.compile(
    r"(?:\bmeu nome (?:eh|é|e)\b|\bmeu nome\s*:|\bnome\s*:|\bme chamo|\baqui (?:quem fala )?(?:eh|é|e)\b"
    r"(?: (?:a|o))?|\bquem fala (?:eh|é|e)\b(?: (?:a|o))?|\bfala (?:a|o)|\bsou eu,? (?:a|o)|"
    r"\bsou (?:a |o )?|\b(?:pode )?me chamar de|\bme chama de|(?:^|[,.!]\s*)(?:eh|é) (?:a|o)(?= (?-i:[A-ZÀ-Ý])))\s*",
    re.IGNORECASE,
)
_TITLES = frozenset("dr dra sr sra srta prof profa".split())
_PARTICLES = frozenset("da de do das dos di du van von del e".split()) - {"e"}
# Words that end a name ("sou a Lia e meu e-mail é...", "sou o responsável"): folded.
_NOT_NAME = frozenset(
    """e ou mas meu minha meus minhas seu sua email mail cnpj aqui sou eu ele ela voce vc a o as os um
    uma no na nos nas em com para pra pro por que quem do da de dos das responsavel gerente dono dona
    analista cliente clientes financeiro fiscal suporte ti rh compras contabilidade administrativo
    comercial vendas setor empresa escritorio loja estou to tudo bem bom boa dia tarde noite oi ola
    obrigado obrigada preciso quero gostaria queria tenho nova novo usuario usuaria funcionario
    funcionaria secretaria dev desenvolvedor tecnico tecnica contador contadora diretor diretora socio
    socia coordenador coordenadora atendente humano pessoa robo bot sistema problema erro chamado
    nome telefone celular whatsapp zap favor pf pfv ajuda senha acesso portal so apenas mesmo mesma
    ai isso esse essa este esta pq porque vc voce obg obgd vlw valeu abs att atenciosamente grato
    grata""".split()
) | frozenset(  # what a company is called after ("Ana da Padaria Central"): a name ends before it
    """padaria farmacia drogaria mercado supermercado mercearia atacado atacadista restaurante
    lanchonete pizzaria bar clinica consultorio laboratorio hospital escola colegio faculdade
    academia oficina auto posto distribuidora transportadora construtora imobiliaria industria
    comercio papelaria livraria otica hotel pousada salao studio estudio agencia associacao
    cooperativa prefeitura instituto condominio igreja grupo rede matriz filial unidade ltda eireli
    cia companhia servicos solucoes tecnologia informatica contabil advocacia""".split()
)
MAX_NAME_WORDS = 6


def name_in_whole(text: str) -> str | None:
    """`text` when it is all a name ("Lia Prado", "Dra. Helena Costa", "marcos da silva")."""
    return _name_words(" ".join(text.split()), whole=True)


class Extracted(Struct, frozen=True):
    """What a message carries (empty fields: nothing of that kind)."""

    cnpjs: tuple[str, ...] = ()  # valid, normalized, in the order typed, once each
    bad_cnpjs: tuple[str, ...] = ()  # typed like a CNPJ, check digits wrong
    emails: tuple[str, ...] = ()
    name: str | None = None
    ticket_numbers: tuple[int, ...] = ()


def extract(text: str | None) -> Extracted:
    """Everything `text` carries; the spans taken by one kind are not read again by the next."""
    if not text:
        return Extracted()
    # Both e-mail patterns take time quadratic in a long run of letters (a 64 KB word: minutes):
    # scanned only where their "arroba" or "@" is.
    if "arroba" in text.lower():
        text = _SPOKEN_EMAIL().sub(_written_email, text)
    if "@" in text:
        text = _COMMA_FOR_DOT().sub(r"\1.\2", text)
    emails = tuple(dict.fromkeys(match.group(0) for match in _EMAIL.finditer(text))) if "@" in text else ()
    rest = _EMAIL.sub(" ", text) if emails else text
    cnpjs, bad, rest = _cnpjs(rest)
    name = _named(text) or _beside_email(strip_cnpjs(text), emails)
    return Extracted(cnpjs, bad, emails, name, _ticket_numbers(_PHONE.sub(" ", rest)))


# What introduces a field in a sentence ("meu cnpj é", "CNPJ da empresa:", "e-mail:"), taken out
# with it; and the greetings a first message opens with.
_CNPJ_LEAD = r"(?:\b(?:o|meu|nosso|nossa)\s+)?\bcnpj\b(?:\s+(?:da|de|do)\s+(?:empresa|loja|firma))?(?:\s+(?:é|e|eh)\b|\s*[:=])?\s*"
_CNPJ_CLAUSE = compiled_on_use(
    rf"(?:{_CNPJ_LEAD})?({_NUMERIC_CNPJ.pattern}|{_ALPHANUMERIC_CNPJ.pattern})", re.IGNORECASE
)
_EMAIL_LEAD = r"(?:\b(?:o|meu)\s+)?\be-?mail\b(?:\s+(?:é|e|eh)\b|\s*[:=])?\s*"
_GREETING = compiled_on_use(
    r"^(?:\s*(?:oi+e?|ol[áa]|opa|e a[íi]|bom dia|boa tarde|boa noite|tudo (?:bem|bom|certo)\??|td bem\??)\b[\s,.!?;:-]*)+",
    re.IGNORECASE,
)
_LOOSE_START = compiled_on_use(r"^(?:[\s,;:.!?()\-–—]+|(?:e|mas|então|entao|aí|ai)\b)+", re.IGNORECASE)
_LOOSE_END = " \t\n,;:(-–—"  # stripped from the end, with a dangling " e" or " mas"


def told(text: str, extracted: Extracted) -> str:
    """What a message tells beside the fields it carries: without the greeting it opens with, and
    without its CNPJs, e-mails and name, each with the words that introduce it ("oi, meu cnpj é
    12.345.678/0001-95 e o sistema não emite nota" -> "O sistema não emite nota"). The text whole
    when nothing else is left."""

    def valid_cnpj(match: re.Match[str]) -> str:
        return " " if is_valid(normalize(match.group(1)) or "") else match.group(0)

    rest = _GREETING().sub("", text)
    if extracted.cnpjs:
        rest = _CNPJ_CLAUSE().sub(valid_cnpj, rest)
    if extracted.emails:
        rest = _COMMA_FOR_DOT().sub(r"\1.\2", rest)
    for email in extracted.emails:
        rest = re.sub(rf"(?:{_EMAIL_LEAD})?{re.escape(email)}", " ", rest, flags=re.IGNORECASE)
    if extracted.name:
        rest = _without_name(rest, extracted.name)
    rest = re.sub(r"\([ \t]*\)", " ", re.sub(r"[ \t]+", " ", rest))
    rest = _trimmed_end(_LOOSE_START().sub("", rest))
    rest = re.sub(r" ([,.;:!?])", r"\1", rest).strip()
    if not rest:
        return text.strip()
    return rest[0].upper() + rest[1:]


def _trimmed_end(text: str) -> str:
    """Without the separators and a dangling "e"/"mas" a field taken out left at the end (not a
    pattern: one anchored at the end over a long run of separators backtracks exponentially)."""
    for _ in range(3):  # "..., e" or "... e," at most, whatever follows
        text = text.rstrip(_LOOSE_END)
        for word in (" e", " mas"):
            if text[-len(word) :].lower() == word:
                text = text[: -len(word)]
    return text.rstrip(_LOOSE_END)


def _without_name(text: str, name: str) -> str:
    """`text` without the name and the marker before it ("sou a Lia Prado", "meu nome é Lia")."""
    for marker in _NAME_MARKERS.finditer(text):
        if text[marker.end() :].lower().startswith(name.lower()):
            return text[: marker.start()] + " " + text[marker.end() + len(name) :]
    return re.sub(re.escape(name), " ", text, count=1, flags=re.IGNORECASE)


def _written_email(match: re.Match[str]) -> str:
    local, domain = (re.sub(r" ponto ", ".", part, flags=re.IGNORECASE) for part in match.groups())
    return f"{local}@{domain}"


def strip_cnpjs(text: str) -> str:
    """`text` without the CNPJs (valid or not) typed in it."""
    return _cnpjs(text)[2]


def _cnpjs(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    found: list[str] = []
    bad: list[str] = []
    mentions_cnpj = "cnpj" in fold(text)

    def take(match: re.Match[str]) -> str:
        raw = match.group(0)
        normalized = normalize(raw) or ""
        if is_valid(normalized):
            found.append(normalized)
            return " "
        if normalized.isdigit() or any(mark in raw for mark in "./-"):
            bad.append(raw.strip())
            return " "
        return raw

    rest = _NUMERIC_CNPJ.sub(take, text)
    rest = _ALPHANUMERIC_CNPJ.sub(
        lambda m: take(m) if any(c.isdigit() for c in m.group(0)[:12]) else m.group(0), rest
    )
    for match in _DIGIT_RUN.finditer(rest):
        digits = sum(char.isdigit() for char in match.group(0))
        if digits == 14 or (mentions_cnpj and 12 <= digits <= 16):
            bad.append(match.group(0))
    return tuple(dict.fromkeys(found)), tuple(dict.fromkeys(bad)), rest


def _ticket_numbers(text: str) -> tuple[int, ...]:
    folded = fold(text)
    found: list[tuple[int, int]] = []
    for pattern in _TICKET_PATTERNS:
        found += [(match.start(1), int(match.group(1))) for match in pattern.finditer(folded)]
    return tuple(dict.fromkeys(number for _, number in sorted(found)))


def _named(text: str) -> str | None:
    """The name after a marker ("meu nome é Lia Prado", "sou a lia"), if one follows it."""
    for marker in _NAME_MARKERS.finditer(text):
        name = _name_words(text[marker.end() :])
        if name:
            return name
    return None


def _beside_email(text: str, emails: tuple[str, ...]) -> str | None:
    """The words right before or after an e-mail on its line, when they are all a name."""
    for email in emails:
        for line in text.split("\n"):
            if email not in line:
                continue
            before, _, after = line.partition(email)
            for side in (before, after):
                cleaned = re.sub(r"[<>()\[\]|,;:/\-–—]+", " ", side).strip(" .")
                words = cleaned.split()
                if words and len(words) <= MAX_NAME_WORDS and _name_words(cleaned, whole=True):
                    return _name_words(cleaned, whole=True)
    return None


def _name_words(text: str, *, whole: bool = False) -> str | None:
    """The name at the start of `text`: words of letters up to the first that cannot be part of a
    name (in a text with capitals, a word after the first must have one; "da", "de"... only before
    a capitalized word); `whole`: all of `text` must be that name. Typed in lower case, it is
    capitalized."""
    words = text.split()
    lowercase_text = text == text.lower()
    taken: list[str] = []
    skipped = 0
    for index, raw in enumerate(words):
        word = raw.rstrip(".,;:!?")
        stripped = raw != word
        folded = fold(word)
        if not taken and folded in _TITLES:
            skipped += 1
            continue
        if not re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", word):
            break
        following = words[index + 1] if index + 1 < len(words) else ""
        if folded in _PARTICLES and taken and not stripped and _particle_fits(following, taken, whole):
            taken.append(word.lower())
            continue
        if folded in _NOT_NAME or (taken and not lowercase_text and not word[:1].isupper()):
            break
        taken.append(word)
        if stripped or len(taken) == MAX_NAME_WORDS:
            break
    if not taken or taken[-1].lower() in _PARTICLES or (whole and len(taken) + skipped != len(words)):
        return None
    return " ".join(_capitalized(word) for word in taken)


def _particle_fits(following: str, taken: list[str], whole: bool) -> bool:
    """ "da" in "Maria da Silva", not in "Lia Prado da Acme" (a company, most likely)."""
    if fold(following.rstrip(".,;:!?")) in _NOT_NAME:
        return False
    return bool(following) if whole else following[:1].isupper() and len(taken) < 2


def _capitalized(word: str) -> str:
    return word if word in _PARTICLES else word[:1].upper() + word[1:]
