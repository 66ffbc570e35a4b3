"""The knowledge base's search measured on a corpus (tests/fixtures/knowledge): 43 articles of a
business-software vendor and 200 requester questions as people write them, each with the article
it should find or none. Top-3 recall >= 90% and no offer for >= 90% of the questions without an
article; the figures and the misses are printed (`pytest -s`)."""

from __future__ import annotations

import json
from pathlib import Path

from helpdesk.domain.knowledge import Article, index

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge"


def corpus_articles() -> list[Article]:
    rows = json.loads((CORPUS / "articles.json").read_text(encoding="utf-8"))
    return [Article(r["id"], r["title"], r["body"], tuple(r["keywords"])) for r in rows]


def corpus_questions() -> list[tuple[str | None, str]]:
    pairs = []
    for line in (CORPUS / "questions.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, question = (part.strip() for part in line.split("|", 1))
            pairs.append((None if expected == "-" else expected, question))
    return pairs


def measure() -> dict:
    searched = index(corpus_articles())
    found, missed, quiet, offered = 0, [], 0, []
    questions = corpus_questions()
    for expected, question in questions:
        hits = searched.search(question)
        ids = [hit.article.id for hit in hits]
        if expected is None:
            if ids:
                offered.append((question, [(h.article.id, h.score) for h in hits]))
            else:
                quiet += 1
        elif expected in ids:
            found += 1
        else:
            missed.append((question, expected, [(h.article.id, h.score) for h in hits]))
    with_article = sum(1 for expected, _ in questions if expected)
    without = len(questions) - with_article
    return {
        "articles": len(searched.articles),
        "with_article": with_article,
        "without_article": without,
        "recall": found / with_article,
        "no_offer": quiet / without,
        "missed": missed,
        "offered": offered,
    }


def report(figures: dict) -> str:
    lines = [
        f"{figures['articles']} articles; {figures['with_article']} questions with an article, "
        f"{figures['without_article']} without",
        f"top-3 recall {figures['recall']:.1%}; no offer {figures['no_offer']:.1%}",
        "missed (question -> expected: offered):",
        *(f"  {q!r} -> {e}: {got}" for q, e, got in figures["missed"]),
        "offered where nothing should be:",
        *(f"  {q!r}: {got}" for q, got in figures["offered"]),
    ]
    return "\n".join(lines)


def test_corpus_is_big_enough():
    questions = corpus_questions()
    ids = {a.id for a in corpus_articles()}
    assert len(ids) >= 40 and len(questions) >= 150
    assert {expected for expected, _ in questions if expected} <= ids


def test_top3_recall_and_no_offer_rate():
    figures = measure()
    print("\n" + report(figures))
    assert figures["recall"] >= 0.90, report(figures)
    assert figures["no_offer"] >= 0.90, report(figures)
