"""Closing the loop (issue 15): confirming the fix, the rating, business hours, personal data (LGPD)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from helpdesk.domain.menus import Menu, Option, Question, numbered
from helpdesk.texts.navigation import TYPE_THE_NUMBER as _TYPE_THE_NUMBER

REOPENED_STATUS = "Reaberto"  # the status a ticket takes when the requester says it is not solved
FIX_QUESTION = Question(
    "O problema foi resolvido?",
    Menu((Option("1", "Sim", "yes"), Option("2", "Não", "no")), ask=_TYPE_THE_NUMBER),
)
ASK_FIX_CONFIRMED = numbered(FIX_QUESTION.text, FIX_QUESTION.menu)  # inside a notification (text)
# The same question where only the Cloud API template goes (outside the 24-hour window): it fills
# the template's short-text parameter, which Meta takes on one line (no newline, at most 4 spaces
# in a row) and this product cuts at 120 characters.
TEMPLATE_ASK_FIX = "Seu chamado foi encerrado. O problema foi resolvido? Responda 1 - Sim ou 2 - Não."


def ticket_reopened_noted(number: int) -> str:
    """Reopened with what is still wrong already said: it goes to the ticket with any files."""
    return f"Certo, reabrimos o atendimento *{number}* 🔄 e anotei o que você contou."


def ticket_reopened(number: int) -> str:
    return (
        f"Certo, reabrimos o atendimento *{number}*. 🔄\n"
        "Conte o que ainda não está resolvido; depois você poderá enviar arquivos."
    )


FIX_CONFIRMED = "Que bom que deu certo! 🎉"
ASK_RATING = (
    "Como você avalia o atendimento? Digite uma nota de *1* (muito ruim) a *5* (excelente), "
    "ou *pular* para não avaliar."
)
INVALID_RATING = "Digite uma nota de 1 a 5, ou *pular*."


def ask_rating_comment(rating: int) -> str:
    return f"Nota *{rating}* anotada. Quer deixar um comentário? Escreva, ou digite *pular*."


THANKS_FOR_RATING = "Obrigado pela avaliação! 🙏"
RATING_SKIPPED = "Tudo bem, sem avaliação. Obrigado!"

WEEKDAYS = (
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "sábado",
    "domingo",
)


def out_of_hours(opening: datetime | None, today: datetime) -> str:
    """`opening` and `today` already in São Paulo time; None: no opening hours are set ahead."""
    if opening is None:
        return "🕒 Estamos fora do horário de atendimento; a equipe verá sua mensagem assim que possível."
    if opening.date() == today.date():
        when = f"hoje às {opening:%H:%M}"
    elif (opening.date() - today.date()).days == 1:
        when = f"amanhã ({WEEKDAYS[opening.weekday()]}) às {opening:%H:%M}"
    else:
        when = f"{WEEKDAYS[opening.weekday()]}, {opening:%d/%m}, às {opening:%H:%M}"
    return f"🕒 Estamos fora do horário de atendimento. A equipe vai analisar a partir de {when}."


def my_data(
    name: str, email: str, phone: str, companies: Sequence[str], ticket_count: int, contact: str
) -> str:
    """What is held about a registered requester (LGPD, art. 18) and how to have it erased."""
    lines = [
        "*Seus dados conosco* (LGPD)",
        f"Nome: {name}",
        f"E-mail: {email}",
        f"Telefone: {phone}",
        f"Empresas: {', '.join(companies) if companies else 'nenhuma'}",
        f"Atendimentos: {ticket_count}",
        "Guardamos também as mensagens e arquivos dos seus atendimentos e o estado desta conversa.",
        _erasure_how(contact),
    ]
    return "\n".join(lines)


def my_data_unknown(contact: str) -> str:
    return (
        "*Seus dados conosco* (LGPD)\n"
        "Você ainda não tem cadastro: guardamos apenas este número e o estado desta conversa, "
        "por poucas horas.\n" + _erasure_how(contact)
    )


def _erasure_how(contact: str) -> str:
    if contact:
        return f"Para pedir a exclusão dos seus dados, fale com: {contact}"
    return "Para pedir a exclusão dos seus dados, abra um atendimento com o assunto *Exclusão de dados*."


REOPENED_BY_REQUESTER = "Reaberto pelo solicitante: o problema não foi resolvido."
