"""The synonyms list: groups of words or phrases a requester and an article may use for the same
thing ("2ª via" / "segunda via" / "reimprimir"). Data, editable by admins in the console; a group
is one line of phrases separated by commas. Each phrase found in a question or an article adds the
group's own term, so the two meet whichever phrase each used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from msgspec import Struct

from helpdesk.domain.knowledge.analysis import terms

MAX_GROUPS = 300
MAX_PHRASES_PER_GROUP = 30
MAX_PHRASE_CHARS = 60
MAX_PHRASE_TERMS = 4

DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("segunda via", "2a via", "2 via", "reimprimir", "reemitir", "nova via", "copia do boleto"),
    ("boleto", "fatura", "cobranca", "mensalidade", "conta pra pagar"),
    ("senha", "password", "acesso", "login", "logar", "entrar no sistema"),
    ("esqueci", "perdi", "nao lembro", "redefinir", "resetar", "trocar"),
    ("bloqueado", "bloqueio", "travado", "trancado", "suspenso"),
    ("certificado digital", "certificado", "a1", "a3", "token", "e-cnpj", "ecnpj"),
    ("vencido", "expirado", "venceu", "expirou", "validade", "renovar", "renovacao"),
    ("nfe", "nota fiscal", "nota", "notas", "danfe", "nf", "nota fiscal eletronica"),
    ("nfce", "cupom fiscal", "cupom", "nota do consumidor"),
    ("rejeicao", "rejeitada", "rejeitou", "recusada", "denegada", "nao autorizou", "nao autoriza"),
    ("cancelar nota", "cancelamento", "cancelar a nota", "estornar nota"),
    ("inutilizar", "inutilizacao", "pular numeracao", "numeracao pulada"),
    ("excel", "planilha", "xls", "xlsx", "csv"),
    ("exportar", "baixar", "extrair", "gerar arquivo"),
    ("backup", "copia de seguranca", "salvar os dados", "copia dos dados"),
    ("restaurar", "recuperar", "voltar o backup"),
    ("impressora fiscal", "ecf", "sat", "impressora de cupom"),
    ("impressora", "imprimir", "impressao", "imprime"),
    ("sped", "efd", "sped fiscal", "efd icms ipi", "sped contribuicoes", "efd contribuicoes"),
    ("lento", "lentidao", "devagar", "demorando", "demora", "pesado", "travando", "carregando"),
    ("instalar", "instalacao", "baixar o sistema", "configurar em outro computador", "computador novo"),
    ("atualizar", "atualizacao", "versao nova", "nova versao", "update"),
    ("usuario", "operador", "funcionario", "colaborador"),
    ("xml", "arquivo da nota", "arquivos xml"),
    ("contador", "contabilidade", "escritorio contabil"),
    ("estoque", "inventario", "saldo de produto"),
    ("cliente", "cadastro de cliente", "consumidor"),
    ("produto", "mercadoria", "item"),
    ("ncm", "classificacao fiscal"),
    ("cfop", "natureza da operacao"),
    ("pix", "qr code"),
    ("tef", "maquininha", "cartao", "pinpad"),
    ("boleto registrado", "registro bancario", "remessa", "retorno bancario", "cnab"),
    ("holerite", "contracheque", "folha de pagamento"),
    ("mensagem de erro", "erro", "deu erro", "falha"),
    ("conexao", "internet", "rede", "sem sinal", "offline", "sem conexao", "servidor"),
    ("relatorio", "relatorios", "extrato"),
    ("email", "e-mail", "correio"),
    ("aliquota", "imposto", "icms", "tributo", "st", "substituicao tributaria"),
    ("desconto", "abatimento"),
    ("computador", "pc", "notebook", "micro", "maquina", "terminal"),
    ("diferenca", "bate", "divergencia", "divergente"),
    ("caixa", "fechamento de caixa", "abertura de caixa", "pdv", "frente de caixa"),
    ("permissao", "permissoes", "perfil de acesso", "liberar acesso"),
)


class Synonyms(Struct, frozen=True):
    """Groups of phrases, each phrase as its search terms; `tag(terms)` adds the groups found."""

    groups: tuple[tuple[str, ...], ...]
    _phrases: dict[tuple[str, ...], int]
    _starts: frozenset[str]  # the first term of each phrase
    longest: int

    def tag(self, found: Sequence[str]) -> list[str]:
        """The group terms (`~N`) of the phrases in `found`, once per occurrence."""
        return [tag for tag, _, _ in self.spans(found)]

    def spans(self, found: Sequence[str]) -> list[tuple[str, int, int]]:
        """Each phrase of a group in `found`: its group term and where it starts and ends."""
        tags: list[tuple[str, int, int]] = []
        longest = self.longest
        for start in range(len(found)):
            if found[start] not in self._starts:
                continue
            for size in range(1, min(longest, len(found) - start) + 1):
                group = self._phrases.get(tuple(found[start : start + size]))
                if group is not None:
                    tags.append((f"~{group}", start, start + size))
        return tags


def build(groups: Iterable[Iterable[str]]) -> Synonyms:
    kept: list[tuple[str, ...]] = []
    phrases: dict[tuple[str, ...], int] = {}
    for group in groups:
        written = tuple(p.strip() for p in group if p and p.strip())
        if len(written) < 2:
            continue
        for phrase in written:
            key = tuple(terms(phrase))
            if key and key not in phrases:
                phrases[key] = len(kept)
        kept.append(written)
    starts = frozenset(phrase[0] for phrase in phrases)
    return Synonyms(tuple(kept), phrases, starts, max((len(p) for p in phrases), default=0))


class InvalidSynonyms(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_lines(text: str) -> tuple[tuple[str, ...], ...]:
    """The console's text box: one group a line, phrases separated by commas (blank lines skipped)."""
    groups = []
    for number, line in enumerate(text.splitlines(), start=1):
        phrases = tuple(p.strip() for p in line.split(",") if p.strip())
        if not phrases:
            continue
        if len(phrases) < 2:
            raise InvalidSynonyms(
                f"linha {number}", f"Linha {number}: informe ao menos duas palavras separadas por vírgula."
            )
        check_group(phrases, f"linha {number}")
        groups.append(phrases)
    if len(groups) > MAX_GROUPS:
        raise InvalidSynonyms("synonyms", f"No máximo {MAX_GROUPS} grupos de sinônimos.")
    return tuple(groups)


def check_group(phrases: Sequence[str], where: str) -> None:
    if len(phrases) > MAX_PHRASES_PER_GROUP:
        raise InvalidSynonyms(
            where, f"{where.capitalize()}: no máximo {MAX_PHRASES_PER_GROUP} palavras por grupo."
        )
    for phrase in phrases:
        if len(phrase) > MAX_PHRASE_CHARS:
            raise InvalidSynonyms(
                where,
                f"{where.capitalize()}: cada palavra ou expressão tem no máximo {MAX_PHRASE_CHARS} caracteres.",
            )
        if not terms(phrase):
            raise InvalidSynonyms(where, f'{where.capitalize()}: "{phrase}" não tem palavra que a busca use.')
        if len(terms(phrase)) > MAX_PHRASE_TERMS:
            raise InvalidSynonyms(
                where, f'{where.capitalize()}: "{phrase}" tem palavras demais (até {MAX_PHRASE_TERMS}).'
            )


def to_lines(groups: Iterable[Iterable[str]]) -> str:
    return "\n".join(", ".join(group) for group in groups)
