"""What a person wants, whatever the step: a person, to give up, their access back, help.

Written as data: per intent, the phrases that say it. A phrase is words separated by spaces; a
word may list alternatives ("falar|conversar") and end in "?" when it may be left out
("com? um|uma? atendente"). Phrases are folded (no accents, lower case) and spelled out ("voce",
"para", "nao"): a message is read the same way (`typos.expanded`), so "vc", "pq", "n", "pra" and
"tô" match, and a word of six letters or more also matches with one slip ("atendnete").

- `ANYWHERE` phrases say it inside a longer message ("bom dia, quero falar com um atendente sobre
  o boleto"), unless "não" comes right before ("não quero cancelar").
- `WHOLE` phrases say it only as the whole message, polite words aside ("cancela por favor"):
  "cancelar a nota fiscal" is a problem to describe, not a wish to give up the conversation.

The ticket a message asks about ("status do 12", "chamado 12") comes from `extraction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from msgspec import Struct

from helpdesk.caches import register
from helpdesk.domain.typos import distance, expanded


class Intent(StrEnum):
    HUMAN = "human"  # talk to a person
    CANCEL = "cancel"  # drop what is being written
    RECOVERY = "recovery"  # portal access: a new password
    NEW_TICKET = "new_ticket"  # open a ticket
    HELP = "help"  # what can be done here


_PERSON = "atendente|atendentes|humano|humana|pessoa|operador|operadora|alguem|gente|suporte|tecnico|tecnica|agente|analista|equipe|responsavel|voces"
_TALK = "falar|fala|falo|conversar|converso|chamar|chama|chame|passar|passa|passe|transferir|transfere|transfira|encaminhar|encaminha"

ANYWHERE: dict[Intent, tuple[str, ...]] = {
    Intent.HUMAN: (
        f"{_TALK} com|para? o|a|um|uma|algum|alguma|ao? {_PERSON}",
        "quero|preciso|queria|gostaria|cade|tem|existe|chama|chamem de? o|a|um|uma|algum|alguma? atendente|humano|humana|operador|operadora|tecnico|tecnica",
        "atendimento|atendente|suporte humano|humana|real|pessoal",
        "atendimento|atendente|suporte|pessoa|gente|alguem|humano de? verdade|real",
        "alguem pode|poderia|consegue|para me? ajudar|atender",
        "ninguem|nunca responde|respondeu|responderam|atende|atendeu|retorna|retornou",
        "nao foi|foram? respondido|respondida|atendido|atendida",
        "ainda nao responderam|respondeu|retornaram|retornou",
        "ser humano",
        "nao quero falar? com? robo|bot|maquina|robozinho",
        "voce e|eh um? robo|bot|maquina",
        "me liga|ligue|ligar|ligam",
        "pode|podem|poderia me ligar|telefonar",
        "tem alguem ai|atendendo|on",
    ),
    Intent.RECOVERY: (
        "esqueci|esqueceu|esqueço|perdi|perdeu a|minha|meu? senha|usuario|login|acesso",
        "nao lembro|sei a|minha|meu? senha|usuario|login",
        "recuperar|recupera|recuperacao|redefinir|redefine|redefinicao|resetar|reseta|reset|trocar|troca|mudar|alterar|gerar|gera|nova|novo de? a|minha|meu|o? senha|acesso|login",
        "senha|usuario|conta|acesso|login|portal esta|foi|ficou|ta? bloqueado|bloqueada|travado|travada|invalida|incorreta|errada|expirou|expirada",
        "bloquearam|bloqueou|travou|trancou a|minha|meu|o? senha|conta|acesso|usuario|login|portal",
        "nao consigo|consegui|estou|esta conseguindo? entrar|acessar|logar|login no|o|na|ao? portal|site",
        "acesso ao|no|do portal",
        "senha|acesso|login nova|novo",
        "manda|mande|envia|envie|gera|gere|quero|preciso|preciso de uma|um? nova|novo senha|acesso|login",
        "estou|fiquei|fui|esta bloqueado|bloqueada",
        "senha|login|usuario nao funciona|entra|vai|aceita|funcionou|entrou",
        "sem acesso|conseguir entrar|acessar|logar? no|o|na|ao? portal",
    ),
    Intent.NEW_TICKET: (
        "abrir|abre|abro|criar|cria|crio|registrar|registra|fazer|faco|gerar|novo|nova|outro|outra um|uma|novo|nova|outro|outra? chamado|atendimento|ticket|solicitacao|protocolo|ocorrencia|os",
        "novo|nova|outro|outra chamado|atendimento|ticket|solicitacao",
        "abrir|abre|criar|cria um|uma novo|nova|outro|outra",
    ),
}

WHOLE: dict[Intent, tuple[str, ...]] = {
    Intent.HUMAN: ("atendente", "humano", "pessoa", "operador", "alguem", "alo|oi? alguem", "robo"),
    Intent.CANCEL: (
        "pode? cancelar|cancela|cancele|cancelo|cancel|cancelamento o|a|esse|essa|este|esta|isso|tudo? chamado|atendimento|pedido|abertura|solicitacao|ticket|isso|tudo|ai?",
        "desistir|desisti|desisto|desiste de? abrir? o|a|esse|essa? chamado|atendimento?",
        "deixa|deixe|deixar para? la|isso|quieto",
        "esquece|esqueca|esquecer|esqueci isso|tudo|la?",
        "nao quero|preciso|precisa? mais abrir? o? chamado|atendimento|nada?",
        "para|pare|parar tudo|isso?",
        "ja? resolvi|resolvemos|consegui|conseguimos aqui|sozinho|sozinha?",
    ),
    Intent.RECOVERY: ("recuperar|recuperacao acesso|senha|conta?", "senha", "acesso", "login"),
    Intent.HELP: (
        "ajuda|ajudar|help|socorro|ajude|ajudem",
        "me ajuda|ajude|ajudem|ajudar",
        "como funciona isso|aqui|voce?",
        "o que voce|voces|posso|eu|da|consigo|pode pode|posso|para? faz|fazer|fazem",
        "quais sao? as? opcoes|comandos",
        "opcoes|comandos",
        "nao entendi|entendo nada?",
        "nao sei o que fazer",
        "como que? eu? faco|uso",
    ),
}

# Where text is being written (a subject, a description), a wish that costs something when guessed
# wrong needs its verb said ("esqueci a senha", "recuperar acesso", as `ajuda` words them): "Senha
# expirada" there is the ticket's subject (the ERP's password, most likely), and a new portal
# password would void the one the requester has.
_WRITING_NEEDS: dict[Intent, frozenset[str]] = {
    Intent.RECOVERY: frozenset(
        """recuperar recupera recuperacao redefinir redefine redefinicao resetar reseta reset esqueci
        esqueceu esqueco perdi perdeu""".split()
    ),
}

# Words that leave a WHOLE phrase whole ("oi, cancela por favor 🙏"); emojis too.
_POLITE = frozenset(
    """oi ola ei opa bom boa dia tarde noite por favor gentileza quero queria gostaria de eu preciso
    agora ai entao so ok obrigado obrigada moca moco amigo amiga rapido urgente ja isso mesmo
    pfvr please sim""".split()
)


class _Word(Struct, frozen=True):
    options: frozenset[str]
    optional: bool


Phrase = tuple[_Word, ...]


def _compiled(phrase: str) -> Phrase:
    return tuple(
        _Word(frozenset(token.rstrip("?").split("|")), token.endswith("?")) for token in phrase.split()
    )


def _compile() -> tuple[dict[Intent, list[Phrase]], dict[Intent, list[Phrase]], frozenset[str]]:
    anywhere = {intent: [_compiled(p) for p in phrases] for intent, phrases in ANYWHERE.items()}
    whole = {intent: [_compiled(p) for p in phrases] for intent, phrases in WHOLE.items()}
    vocabulary = frozenset(
        option
        for table in (anywhere, whole)
        for phrases in table.values()
        for phrase in phrases
        for word in phrase
        for option in word.options
    )
    return anywhere, whole, vocabulary


_TABLE = _compile()


def vocabulary() -> frozenset[str]:
    """Every word of every phrase (a message's other words are what it is about)."""
    return _TABLE[2]


# The phrase words that bend (six letters or more), by first letter: a slip is looked for there only.
_BENDING: dict[str, tuple[str, ...]] = {}
for _known in sorted(_TABLE[2]):
    if len(_known) >= 6:
        _BENDING[_known[0]] = (*_BENDING.get(_known[0], ()), _known)
# What each word typed stands for, remembered (messages repeat their words); bounded.
_MEANINGS: dict[str, frozenset[str]] = {}
MAX_REMEMBERED = 4096


@register
def _forget() -> None:
    _MEANINGS.clear()


def _meanings(word: str, vocabulary: frozenset[str]) -> frozenset[str]:
    """The phrase words `word` stands for: itself, or one of six letters or more one slip away."""
    if word in vocabulary or len(word) < 5:
        return frozenset({word})
    known = _MEANINGS.get(word)
    if known is None:
        close = {
            candidate
            for candidate in _BENDING.get(word[0], ())
            if abs(len(candidate) - len(word)) <= 1 and distance(word, candidate, 1) <= 1
        }
        known = frozenset({word, *close})
        if len(_MEANINGS) >= MAX_REMEMBERED:
            _MEANINGS.clear()
        _MEANINGS[word] = known
    return known


def _indexed() -> dict[str, list[tuple[bool, Intent, Phrase]]]:
    """Each phrase under every option of its first needed word: a message looks up only the
    phrases its words can start (whole: a WHOLE phrase)."""
    index: dict[str, list[tuple[bool, Intent, Phrase]]] = {}
    for whole, table in ((False, _TABLE[0]), (True, _TABLE[1])):
        for intent, phrases in table.items():
            for phrase in phrases:
                needed = next((word for word in phrase if not word.optional), phrase[0])
                for option in needed.options:
                    index.setdefault(option, []).append((whole, intent, phrase))
    return index


_INDEX = _indexed()


def _candidates(said: frozenset[str]) -> tuple[dict[Intent, list[Phrase]], dict[Intent, list[Phrase]]]:
    anywhere: dict[Intent, list[Phrase]] = {}
    whole: dict[Intent, list[Phrase]] = {}
    seen: set[int] = set()
    for word in said:
        for is_whole, intent, phrase in _INDEX.get(word, ()):
            if id(phrase) in seen or not _possible(phrase, said):
                continue
            seen.add(id(phrase))
            (whole if is_whole else anywhere).setdefault(intent, []).append(phrase)
    return anywhere, whole


def _possible(phrase: Phrase, said: frozenset[str]) -> bool:
    """Whether every word the phrase needs is among the words said (a quick way to skip it)."""
    return all(word.optional or not word.options.isdisjoint(said) for word in phrase)


def _ends(phrase: Phrase, words: Sequence[frozenset[str]], start: int) -> set[int]:
    """Every position where `phrase` can end when it starts at `start`."""
    positions = {start}
    for word in phrase:
        following: set[int] = set()
        for at in positions:
            if word.optional:
                following.add(at)
            if at < len(words) and words[at] & word.options:
                following.add(at + 1)
        positions = following
        if not positions:
            break
    return positions


def _negated(words: Sequence[frozenset[str]], start: int) -> bool:
    return any("nao" in w or "nem" in w for w in words[max(0, start - 2) : start])


def intents(text_words: Sequence[str], *, whole_only: bool = False) -> tuple[Intent, ...]:
    """The intents of a message, from its words (folded, emojis apart: `understanding.words`), in
    the order of `Intent`; `whole_only`: only what the whole message says (where text is being
    written, "falei com o atendente" is part of the text)."""
    plain = expanded(text_words)
    words = [_meanings(word, _TABLE[2]) for word in plain]
    anywhere, whole = _candidates(frozenset().union(*words))
    found: set[Intent] = set()
    if not whole_only:
        found |= {intent for intent, phrases in anywhere.items() if phrases and _said_in(phrases, words)}
    core = [
        meaning
        for word, meaning in zip(plain, words, strict=True)
        if word not in _POLITE and any(char.isalnum() for char in word)
    ]
    if core:
        for table in (whole, anywhere) if whole_only else (whole,):
            found |= {intent for intent, phrases in table.items() if phrases and _all_of(phrases, core)}
    if whole_only:
        said = set(plain)
        found -= {intent for intent, verbs in _WRITING_NEEDS.items() if not said & verbs}
    return tuple(intent for intent in Intent if intent in found)


def _said_in(phrases: list[Phrase], words: Sequence[frozenset[str]]) -> bool:
    for phrase in phrases:
        starts_negative = "nao" in phrase[0].options
        for start in range(len(words)):
            if _ends(phrase, words, start) and (starts_negative or not _negated(words, start)):
                return True
    return False


def _all_of(phrases: list[Phrase], core: Sequence[frozenset[str]]) -> bool:
    """`core` is one or more of `phrases` in a row ("desisti, deixa pra lá")."""
    reached, frontier = {0}, {0}
    while frontier:
        frontier = {
            end for start in frontier for phrase in phrases for end in _ends(phrase, core, start)
        } - reached
        reached |= frontier
    return len(core) in reached
