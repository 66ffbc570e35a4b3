"""The knowledge base's search (pure): analysis, synonyms, filters, limits."""

from __future__ import annotations

import pytest

from helpdesk.domain.knowledge import Article, index
from helpdesk.domain.knowledge.analysis import stem, terms
from helpdesk.domain.knowledge.synonyms import InvalidSynonyms, parse_lines, to_lines
from tests.unit.test_knowledge_quality import corpus_articles

BOLETO = Article(
    "b", "Como emitir a 2ª via do boleto", "Acesse o portal, *Financeiro*.", ("boleto", "segunda via")
)
CERT = Article(
    "c", "Certificado digital vencido", "Renove com a certificadora.", ("certificado", "renovação")
)
PRINTER = Article("p", "Impressora não imprime", "Confira o papel e o driver.", ("impressora",))


def test_terms_fold_accents_case_stopwords_and_fiscal_names():
    assert terms("Como EMITIR a Nota NF-e?") == terms("como emitir a nota nfe")
    assert "nfe" in terms("rejeição da NF-e")
    assert terms("bom dia, como faço") == []


def test_stemming_joins_plural_and_verb_forms():
    assert stem("boletos") == stem("boleto")
    assert stem("certificados") == stem("certificado")
    assert stem("esqueci") == stem("esqueceu")
    assert stem("lentissimo") == stem("lento")
    assert stem("digitais") == stem("digital")


def test_misspelled_words_still_find_the_article():
    searched = index(corpus_articles())
    assert searched.search("sertificado vencido")[0].article.id == "certificado-vencido"
    assert searched.search("a imprssora nao imprime")[0].article.id == "impressora-nao-imprime"
    assert (
        searched.search("o certificado vencido")[0].score == searched.search("o sertificado vencido")[0].score
    )


def test_synonyms_meet_the_articles_words_and_are_editable():
    assert index([BOLETO, CERT]).search("perdi a fatura da mensalidade")[0].article.id == "b"
    assert index([PRINTER], synonyms=[]).search("a termica") == []
    assert index([PRINTER], synonyms=[("impressora", "termica")]).search("a termica")[0].article.id == "p"


def test_nothing_offered_for_what_no_article_speaks_of():
    assert index([BOLETO, CERT, PRINTER]).search("o mouse do computador quebrou") == []
    assert index([BOLETO, CERT, PRINTER]).search("") == []


def test_company_type_and_draft_filters():
    only_acme = Article("a", "Boleto da Acme", "x", ("boleto",), cnpjs=("11222333000181",))
    errors_only = Article("e", "Boleto com erro", "x", ("boleto",), request_type="Erro no sistema")
    draft = Article("d", "Boleto rascunho", "x", ("boleto",), published=False)
    searched = index([only_acme, errors_only, draft])
    ids = lambda **kw: {h.article.id for h in searched.search("boleto", **kw)}  # noqa: E731
    assert ids(cnpj="99888777000166", request_type="Dúvida") == set()
    assert ids(cnpj="11222333000181", request_type="Dúvida") == {"a"}
    assert ids(cnpj="11222333000181", request_type="Erro no sistema") == {"a", "e"}
    assert ids(cnpj="11222333000181", request_type=None) == {"a", "e"}


def test_at_most_three_best_first():
    many = [Article(str(n), f"Boleto caso {n}", "boleto " * n, ("boleto",)) for n in range(1, 8)]
    hits = index(many).search("boleto")
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_synonym_lines_are_checked_in_portuguese():
    groups = parse_lines("boleto, fatura\n\nsenha, password, acesso")
    assert groups == (("boleto", "fatura"), ("senha", "password", "acesso"))
    assert to_lines(groups) == "boleto, fatura\nsenha, password, acesso"
    with pytest.raises(InvalidSynonyms, match="Linha 1: informe ao menos duas"):
        parse_lines("boleto")
    with pytest.raises(InvalidSynonyms, match="não tem palavra"):
        parse_lines("boleto, de")
