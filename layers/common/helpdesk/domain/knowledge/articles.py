"""An article as the console and the ERP send it, checked (pure): the first wrong field is named
with a pt-BR message. Articles are shared help texts: nothing personal goes in them (the console
says so; a body with a phone number or an e-mail address is refused)."""

from __future__ import annotations

import re
from typing import Any

from msgspec.structs import replace

from helpdesk.domain import cnpj as cnpjs
from helpdesk.domain.errors import FieldError
from helpdesk.domain.knowledge.search import Article

TITLE_MAX_CHARS = 120
BODY_MAX_CHARS = 3000  # one WhatsApp message, with the offer's lines around it
KEYWORDS_MAX = 20
KEYWORD_MAX_CHARS = 60
REQUEST_TYPE_MAX_CHARS = 60
CNPJS_MAX = 200
ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<![\w/])(?:\+?55\s?)?\(?\d{2}\)?\s?9?\d{4}[-\s]?\d{4}(?!\w)")


class InvalidArticle(FieldError):
    pass


def checked(raw: Any, article_id: str, *, default_published: bool) -> Article:
    """The article `raw` (a JSON object) describes, under `article_id`."""
    if not isinstance(raw, dict):
        raise InvalidArticle("Envie o artigo como um objeto JSON.", "body")
    if not ID_PATTERN.fullmatch(article_id or ""):
        raise InvalidArticle("Identificador do artigo: use até 64 letras, números ou . _ : -", "id")
    title = _text(raw, "title", "Título", TITLE_MAX_CHARS)
    body = _text(raw, "body", "Texto", BODY_MAX_CHARS)
    if _EMAIL.search(body) or _PHONE.search(body):
        raise InvalidArticle(
            "Texto: não coloque telefone nem e-mail de pessoas em artigos (são mostrados a todos os clientes).",
            "body",
        )
    published = raw.get("published", default_published)
    if not isinstance(published, bool):
        raise InvalidArticle("Publicado: informe verdadeiro ou falso.", "published")
    request_type = raw.get("request_type")
    if request_type is not None and not isinstance(request_type, str):
        raise InvalidArticle(
            "Tipo de solicitação: informe o nome do tipo ou deixe em branco.", "request_type"
        )
    request_type = (request_type or "").strip() or None
    if request_type and len(request_type) > REQUEST_TYPE_MAX_CHARS:
        raise InvalidArticle(f"Tipo de solicitação: até {REQUEST_TYPE_MAX_CHARS} caracteres.", "request_type")
    return Article(
        id=article_id,
        title=title,
        body=body,
        keywords=_keywords(raw.get("keywords")),
        request_type=request_type,
        cnpjs=_cnpjs(raw.get("cnpjs")),
        published=published,
    )


def merged(current: Article, raw: Any) -> Article:
    """`current` with the fields `raw` gives (PUT sends the whole article; missing fields stay)."""
    if not isinstance(raw, dict):
        raise InvalidArticle("Envie o artigo como um objeto JSON.", "body")
    whole = {
        "title": current.title,
        "body": current.body,
        "keywords": list(current.keywords),
        "request_type": current.request_type,
        "cnpjs": list(current.cnpjs),
        "published": current.published,
        **raw,
    }
    return replace(checked(whole, current.id, default_published=current.published), updated_at=None)


def _text(raw: dict, name: str, label: str, limit: int) -> str:
    value = raw.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidArticle(f"{label}: informe um texto.", name)
    text = (value or "").strip()
    if not text:
        raise InvalidArticle(f"Preencha o campo {label}.", name)
    if len(text) > limit:
        raise InvalidArticle(f"O campo {label} aceita até {limit} caracteres (tem {len(text)}).", name)
    return text


def _keywords(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise InvalidArticle("Palavras-chave: informe uma lista de textos.", "keywords")
    words = tuple(dict.fromkeys(k.strip() for k in value if k.strip()))
    if len(words) > KEYWORDS_MAX:
        raise InvalidArticle(f"Palavras-chave: no máximo {KEYWORDS_MAX}.", "keywords")
    for word in words:
        if len(word) > KEYWORD_MAX_CHARS:
            raise InvalidArticle(
                f"Palavras-chave: cada uma com até {KEYWORD_MAX_CHARS} caracteres.", "keywords"
            )
    return words


def _cnpjs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;\s]+", value) if part]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise InvalidArticle("Empresas: informe uma lista de CNPJs.", "cnpjs")
    if len(value) > CNPJS_MAX:
        raise InvalidArticle(f"Empresas: no máximo {CNPJS_MAX} CNPJs.", "cnpjs")
    found = []
    for raw in value:
        normalized = cnpjs.normalize(raw)
        if not cnpjs.is_valid(normalized):
            raise InvalidArticle(f"Empresas: CNPJ inválido: {raw.strip()}.", "cnpjs")
        found.append(normalized)
    return tuple(dict.fromkeys(found))  # type: ignore[arg-type]


def as_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "keywords": list(article.keywords),
        "request_type": article.request_type,
        "cnpjs": list(article.cnpjs),
        "published": article.published,
        "updated_at": article.updated_at.isoformat() if article.updated_at else None,
    }
