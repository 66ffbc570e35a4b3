"""Search over the knowledge base's articles (pure, in process): BM25 over the fields, title and
keywords weighing more than the body, synonyms as group terms on both sides, a misspelled word
matched to the closest word the articles use (one edit away), a score threshold and at most three
results, only articles that apply to the requester's company and request type.

An index is built once per list of articles and synonyms (a container keeps it while the list is
unchanged: `storage.knowledge` reads at most once a minute); a search then costs a few dict lookups
per question term.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from msgspec import Struct, field

from helpdesk.domain.knowledge.analysis import terms
from helpdesk.domain.knowledge.synonyms import DEFAULT_SYNONYMS, Synonyms, build
from helpdesk.domain.text import fold

# Tuned on tests/unit/knowledge_corpus (recall and no-offer measured by test_knowledge_quality).
TITLE_WEIGHT = 3.0
KEYWORDS_WEIGHT = 3.0
BODY_WEIGHT = 1.0
K1 = 1.2
B = 0.6
THRESHOLD = 3.0  # a question's best article must score at least this to be offered
RELATIVE_FLOOR = 0.45  # the second and third must reach this share of the best's score
MAX_RESULTS = 3
FUZZY_WEIGHT = 0.7  # a misspelled word counts less than one spelled as the article does
FUZZY_MIN_CHARS = 5
SYNONYM_WEIGHT = 0.8
UNKNOWN_WORD = 0.8  # how specific a word no article uses counts, as a share of the rarest's idf
MIN_COVERAGE = 0.35  # share of the question's specific words an article must have
SMALLEST_BASE = 50  # a base of a few articles weighs its words as one of 50 would
POSTINGS_CAP = 100  # per term, only the articles it weighs most in are scored (2,000 articles in 5 ms)
MAX_QUESTION_WORDS = 40  # a long voice note: its first words say what it is about


class Article(Struct, frozen=True):
    id: str
    title: str
    body: str
    keywords: tuple[str, ...] = ()
    request_type: str | None = None  # None: every request type
    cnpjs: tuple[str, ...] = ()  # empty: every company
    published: bool = True
    updated_at: datetime | None = None

    def applies(self, cnpj: str | None, request_type: str | None) -> bool:
        """Published, for this company (or every one) and this request type (or every one; a
        request type not known yet, or "Outro", takes every article)."""
        if not self.published:
            return False
        if self.cnpjs and cnpj not in self.cnpjs:
            return False
        return not (self.request_type and request_type and fold(self.request_type) != fold(request_type))


class Hit(Struct, frozen=True):
    article: Article
    score: float


def _deletions(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _one_edit(a: str, b: str) -> bool:
    """Substitution, insertion, deletion or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class SearchIndex(Struct):
    articles: list[Article]
    synonyms: Synonyms
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # term -> (article, weight)
    near: dict[str, list[str]] = field(default_factory=dict)  # a deletion -> the terms it comes from
    idf: dict[str, float] = field(default_factory=dict)
    headline: dict[str, set[int]] = field(
        default_factory=dict
    )  # term -> articles with it in title or keywords
    max_idf: float = 1.0
    threshold: float = THRESHOLD

    def article(self, article_id: str) -> Article | None:
        return next((article for article in self.articles if article.id == article_id), None)

    def analyse(self, text: str) -> list[str]:
        found = terms(text)
        return found + self.synonyms.tag(found)

    def _expand(self, term: str) -> list[tuple[str, float]]:
        """`term` itself if the articles use it, else the articles' terms one edit away (none:
        a word no article uses)."""
        if term in self.postings:
            return [(term, 1.0)]
        if len(term) < FUZZY_MIN_CHARS:
            return []
        candidates = {c for d in (_deletions(term) | {term}) for c in self.near.get(d, ())}
        return [(c, FUZZY_WEIGHT) for c in sorted(candidates) if _one_edit(term, c)]

    def question(self, text: str) -> list[tuple[float, dict[str, float]]]:
        """Each distinct word of the question: how specific it is (its idf; a word no article
        uses counts as the most specific) and the terms that stand for it, with their weights."""
        raw = list(dict.fromkeys(terms(text)))
        expanded = [self._expand(term) for term in raw]
        spelled = [options[0][0] if options else term for term, options in zip(raw, expanded, strict=True)]
        words: list[tuple[float, dict[str, float]]] = []
        for term, options in zip(raw, expanded, strict=True):
            keys = dict(options)
            specific = max((self.idf.get(key, 0.0) for key in keys), default=0.0)
            words.append((specific if keys else self.max_idf, keys))
            if not keys:
                words[-1] = (UNKNOWN_WORD * self.max_idf, {term: 1.0})
        for tag, start, end in self.synonyms.spans(spelled):
            for position in range(start, end):
                words[position][1].setdefault(tag, SYNONYM_WEIGHT)
        return words

    def search(
        self,
        question: str,
        cnpj: str | None = None,
        request_type: str | None = None,
        limit: int = MAX_RESULTS,
    ) -> list[Hit]:
        """At most `limit` articles for `question` that apply to the company and request type,
        best first: each scores at least the threshold, covers enough of the question's specific
        words (a question about something no article speaks of gets nothing) and reaches a share
        of the best's score."""
        words = self.question(question)[:MAX_QUESTION_WORDS]
        total = sum(specific for specific, _ in words)
        if not total:
            return []
        scores: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        for specific, keys in words:
            reached: dict[int, float] = {}
            for key, weight in keys.items():
                for position, value in self.postings.get(key, ())[:POSTINGS_CAP]:
                    if weight * value > reached.get(position, 0.0):
                        reached[position] = weight * value
            for position, value in reached.items():
                scores[position] += value
                covered[position] += specific
        ranked = sorted(
            (
                (score * covered[p] / total, p)
                for p, score in scores.items()
                if covered[p] >= MIN_COVERAGE * total
            ),
            key=lambda item: (-item[0], item[1]),
        )
        hits: list[Hit] = []
        for score, position in ranked:
            if score < self.threshold or (hits and score < RELATIVE_FLOOR * hits[0].score):
                break
            article = self.articles[position]
            if article.applies(cnpj, request_type) and self._named(position, words):
                hits.append(Hit(article, round(score, 3)))
                if len(hits) == limit:
                    break
        return hits

    def _named(self, position: int, words: list[tuple[float, dict[str, float]]]) -> bool:
        """Whether a word of the question is in the article's title or keywords (an article that
        only mentions it in passing is not offered)."""
        return any(position in self.headline.get(key, ()) for _, keys in words for key in keys)


def index(articles: Iterable[Article], synonyms: Iterable[Sequence[str]] = DEFAULT_SYNONYMS) -> SearchIndex:
    """The index of the published articles (drafts are never offered)."""
    built = SearchIndex([a for a in articles if a.published], build(synonyms))
    frequencies: list[dict[str, float]] = []
    lengths: list[float] = []
    for position, article in enumerate(built.articles):
        counted, length = _weighed(built, position, article)
        frequencies.append(counted)
        lengths.append(length)
    count = len(frequencies)
    average = (sum(lengths) / count) if count else 1.0
    scale = max(count, SMALLEST_BASE)
    containing = Counter(term for counted in frequencies for term in counted)
    idf = built.idf
    for term, having in containing.items():
        idf[term] = math.log(1 + (scale - having + 0.5) / (having + 0.5))
    postings = built.postings
    for position, counted in enumerate(frequencies):
        norm = K1 * (1 - B + B * lengths[position] / (average or 1.0))
        for term, tf in counted.items():
            postings.setdefault(term, []).append((position, idf[term] * tf * (K1 + 1) / (tf + norm)))
    built.max_idf = math.log(1 + (scale + 0.5) / 0.5)
    for found in postings.values():
        found.sort(key=lambda posting: -posting[1])  # a search reads the best `POSTINGS_CAP`
    for term in postings:
        if not term.startswith("~") and len(term) >= FUZZY_MIN_CHARS - 1:
            for deletion in _deletions(term) | {term}:
                built.near.setdefault(deletion, []).append(term)
    return built


_FIELDS = ((TITLE_WEIGHT, "title"), (KEYWORDS_WEIGHT, "keywords"), (BODY_WEIGHT, "body"))


def _weighed(built: SearchIndex, position: int, article: Article) -> tuple[dict[str, float], float]:
    """An article's terms with their weighted frequency (title and keywords count more), and its
    weighted length; its title's and keywords' terms noted as its headline."""
    counted: dict[str, float] = defaultdict(float)
    length = 0.0
    for weight, name in _FIELDS:
        value = getattr(article, name)
        found = Counter(built.analyse(", ".join(value) if isinstance(value, tuple) else value))
        if name != "body":
            for term in found:
                built.headline.setdefault(term, set()).add(position)
        for term, times in found.items():
            counted[term] += weight * times
        length += weight * found.total()
    return counted, length
