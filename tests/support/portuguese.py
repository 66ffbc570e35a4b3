"""What gives away a message that is not for the people who read it: English words, and the API's
own field names ('instance', agent_type) where the page shows a label ("Instância", "Agente")."""

from __future__ import annotations

import re

ENGLISH = re.compile(
    r"\b(must|should|is|are|not|found|required|missing|invalid|expected|unknown|overlap|object|"
    r"list|the|between|times|before|after|field|please|error|failed|only|empty)\b",
    re.IGNORECASE,
)
API_NAME = re.compile(r"'[a-z][a-z_]*'|\"[a-z][a-z_]*\"|\b[a-z]+_[a-z_]+\b")


def foreign_words(message: str) -> list[str]:
    """The English words and API names in a message (empty when an admin or requester can read it)."""
    return [match.group(0) for pattern in (ENGLISH, API_NAME) for match in pattern.finditer(message)]
