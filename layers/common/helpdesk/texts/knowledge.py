"""Articles offered before a ticket opens (the knowledge base)."""

from __future__ import annotations

from helpdesk.domain.menus import Menu, Option, Question
from helpdesk.texts.navigation import TYPE_THE_NUMBER as _TYPE_THE_NUMBER

KB_OPEN_TICKET, KB_SOLVED_YES, KB_SOLVED_NO, KB_SEE_OTHERS = "open", "yes", "no", "others"  # option keys


def kb_offer(articles: list[tuple[str, str]]) -> Question:
    """`articles`: (id, title) of at most three articles, best first."""
    options = tuple(Option(str(n), title, article_id) for n, (article_id, title) in enumerate(articles, 1))
    opening = Option("0", "Nenhum resolve, abrir o atendimento", KB_OPEN_TICKET, words=("abrir", "nao"))
    return Question("Antes de abrir, veja se isto resolve:", Menu((*options, opening), ask=_TYPE_THE_NUMBER))


def kb_article(title: str, body: str) -> str:
    return f"📄 *{title}*\n\n{body}"


def kb_solved(others: bool) -> Question:
    options = [
        Option("1", "Sim, resolveu", KB_SOLVED_YES),
        Option("2", "Não, quero abrir o atendimento", KB_SOLVED_NO, words=("abrir",)),
    ]
    if others:
        options.append(Option("3", "Ver as outras sugestões", KB_SEE_OTHERS, words=("outras",)))
    return Question(
        "Isso resolveu? (sim / não, quero abrir o atendimento)", Menu(tuple(options), ask=_TYPE_THE_NUMBER)
    )


KB_RESOLVED = (
    "Que bom que resolveu! 🎉 Não abri o atendimento.\n"
    "Se precisar, digite *continuar* nas próximas 24 horas para abrir o atendimento com o que você já escreveu."
)
KB_CONTINUE_WORD = "continuar"
KB_GOING_ON = "Certo, vamos abrir o atendimento."
KB_ARTICLE_GONE = "Esse artigo não está mais disponível."
