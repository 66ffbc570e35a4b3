"""How article text and questions become search terms (pure): accents and case folded, stopwords
dropped, a light Portuguese stemmer (RSLP's plural, feminine, augmentative/diminutive, adverb,
noun and verb steps, shortened to a longest-suffix strip), and a spelling key that forgives the
usual pt-BR slips ("sertificado", "exesso", "imprecora" meet "certificado", "excesso", "impressora").
"""

from __future__ import annotations

import re
import unicodedata

from helpdesk import caches

# Fiscal documents written "NF-e", "nf e", "NFC-e", "CT-e", "MDF-e": one word each.
_FISCAL = re.compile(r"\b(nf|nfc|nfs|ct|mdf|cf)[\s-]?e\b")
_WORD = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    """
    a o e as os um uma uns umas de da do das dos d em na no nas nos num numa ao aos a à para pra pro
    pras pros por pelo pela pelos pelas com sem que se ou mas mais menos muito muita bem ja so tambem
    tb tbm eu me mim meu minha meus minhas voce voces vc vcs ce ele ela eles elas nos nosso nossa seu
    sua seus suas dele dela isso isto esse essa este esta aquele aquela aqui ai la ali este esse
    e eh esta estou estamos estao ta tava tao foi fui ser sou era sao tem tenho temos tinha ter ha
    vai vou vamos fazer faz fiz feito consigo consegue conseguimos conseguir posso pode podem poder
    preciso precisa precisamos precisando gostaria queria quero quer saber sei sabe alguem algum alguma
    como onde quando qual quais quem porque pq por que q oque o que ne entao tipo assim ainda agora
    hoje ontem dia bom boa noite tarde oi ola ei opa pessoal gente galera favor porfavor obrigado
    obrigada grato grata ajuda ajudar ajudem socorro urgente aqui la coisa negocio nao sim n s ok
    forma jeito vez vezes todo toda todos todas tudo nada outro outra dar da deu faco fazendo tento
    tentei tentando aparece apareceu aparecendo fica ficou dando manda mande mandar pego pegar
    precisava precisaria desde acho acontece aconteceu acontecendo ver vejo veio vem mesmo mesma jah
    tah to pfv pf vlw blz beleza cara moco moca amigo amiga senhor senhora segue seguinte olha dai uai
    mto mt hora horas esse essa desse dessa nesse nessa deste desta neste nesta estava estao estou
    seria sera fosse tenha tivesse consegui conseguiu possivel certo errado dias mando mandei sai
    saindo
    """.split()
)

# Longest first within each step; a suffix is stripped only if at least `MIN_STEM` letters remain.
MIN_STEM = 3
_PLURAL = (
    ("oes", "ao"),
    ("aes", "ao"),
    ("ais", "al"),
    ("eis", "el"),
    ("ois", "ol"),
    ("res", "r"),
    ("ns", "m"),
    ("s", ""),
)
_SUFFIXES = (
    "issima", "issimo", "izacao", "amentos", "imentos", "amento", "imento", "acoes", "mente", "zinho", "zinha", "inho",
    "inha", "acao", "icao", "ando", "endo", "indo", "ados", "idos", "adas", "idas", "aria", "ario", "eria",
    "ado", "ido", "ada", "ida", "ura", "avel", "ivel", "ista", "ismo", "ar", "er", "ir", "ou", "ei", "eu", "iu",
    "am", "em", "ao", "a", "o", "e", "i",
)  # fmt: skip


def _strip(word: str, suffixes) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _strip_plural(word: str) -> str:
    if len(word) <= MIN_STEM or not word.endswith("s"):
        return word
    for suffix, replacement in _PLURAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)] + replacement
    return word


@caches.cached  # words people type: a few thousand distinct per container
def stem(word: str) -> str:
    """A folded word's stem: "boletos" -> "bolet", "emissão" -> "emiss", "exportando" -> "export"."""
    if len(word) <= MIN_STEM + 1 or word.isdigit():
        return word
    return _strip(_strip_plural(word), _SUFFIXES)


_SOUNDS = (
    ("ph", "f"), ("ch", "x"), ("sh", "x"), ("qu", "k"), ("ss", "s"), ("sc", "s"), ("xc", "s"),
    ("ce", "se"), ("ci", "si"), ("c", "k"), ("z", "s"), ("y", "i"), ("w", "v"), ("lh", "li"),
    ("nh", "ni"),
)  # fmt: skip


@caches.cached
def spelling_key(term: str) -> str:
    """`term` as it sounds, so common misspellings share a key: "sertifik" for "certific"."""
    key = term[1:] if term.startswith("h") and len(term) > 3 else term
    for written, sound in _SOUNDS:
        key = key.replace(written, sound)
    return re.sub(r"(.)\1+", r"\1", key)


def fold_ascii(text: str | None) -> str:
    """Lower case without accents, in C (an article's body is folded at each index build):
    what `helpdesk.domain.text.fold` gives, less any character with no ASCII letter in it."""
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()


def words(text: str | None) -> list[str]:
    """Folded words of `text`, fiscal document names joined ("NF-e" -> "nfe"), stopwords kept."""
    return _WORD.findall(_FISCAL.sub(r"\1e", fold_ascii(text)))


def terms(text: str | None) -> list[str]:
    """The search terms of `text`: its words without stopwords, each stemmed and spelled by sound."""
    return [
        spelling_key(stem(word))
        for word in words(text)
        if word not in STOPWORDS
        and not (word.isdigit() and len(word) < 3)  # "5 dias": rejection codes have 3
    ]
