"""The knowledge base (pure): articles, their search, the synonyms list."""

from helpdesk.domain.knowledge.search import Article, Hit, SearchIndex, index

__all__ = ["Article", "Hit", "SearchIndex", "index"]
