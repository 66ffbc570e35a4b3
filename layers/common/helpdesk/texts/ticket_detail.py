"""One ticket: its detail, its last action, and a new message on it."""

from __future__ import annotations

from datetime import datetime

from helpdesk.domain.menus import Menu, Option, Question, numbered
from helpdesk.texts.navigation import TYPE_THE_NUMBER as _TYPE_THE_NUMBER


def ticket_detail(number: int, title: str, status: str, request_type: str | None, last_action: str) -> str:
    return (
        f"*Atendimento {number}* - {title}\n"
        f"Situação: *{status}*\n"
        f"Tipo: {request_type or 'Outro'}\n"
        f"{last_action}"
    )


NO_ACTIONS_YET = "Ainda não há andamentos neste atendimento."


def last_action(author: str, when: datetime, text: str, attachment_count: int) -> str:
    """`when` already in the requester's time zone."""
    lines = [f"Último andamento: {author}, em {when:%d/%m/%Y} às {when:%H:%M}", f"_{text}_" if text else ""]
    if attachment_count:
        lines.append(f"📎 {attachment_count} anexo{'s' if attachment_count > 1 else ''}")
    return "\n".join(line for line in lines if line)


SUPPORT_TEAM = "Equipe de suporte"


def agent_name(name: str | None) -> str:
    """An agent as the requester sees them: the display name they chose, else the team's; never an
    e-mail address (older answers, or an ERP that sends one, carry the agent's login)."""
    name = (name or "").strip()
    return SUPPORT_TEAM if not name or "@" in name else name


def action_author(kind: str, name: str) -> str:
    if kind != "agent":
        return name
    shown = agent_name(name)
    return shown if shown.casefold() == SUPPORT_TEAM.casefold() else f"{shown} (equipe de suporte)"


NEW_MESSAGE, BACK_TO_TICKETS, END_CONVERSATION = "message", "tickets", "end"  # the ticket's options
ACTION_MENU = Menu(
    (
        Option("1", "Enviar uma nova mensagem", NEW_MESSAGE),
        Option("2", "Voltar à lista de atendimentos", BACK_TO_TICKETS),
        Option("3", "Encerrar a conversa", END_CONVERSATION),
    ),
    ask=_TYPE_THE_NUMBER,
)


def ask_ticket_action(number: int) -> Question:
    return Question(f"Atendimento *{number}*. O que deseja fazer?", ACTION_MENU)


def action_menu(number: int) -> str:
    """The same question inside a notification, which goes as text."""
    asked = ask_ticket_action(number)
    return numbered(asked.text, asked.menu)


def ask_action_text(number: int) -> str:
    return f"Digite a mensagem para o atendimento *{number}*."


ASK_ACTION_MEDIA = (
    "Quer anexar arquivos à mensagem? 📎 Envie fotos, vídeos, áudios ou documentos.\n"
    "Quando terminar, ou se não houver arquivos, digite *Fim*."
)


def action_posted(number: int) -> str:
    return f"✅ Mensagem registrada no atendimento *{number}*."


def edited(text: str) -> str:
    """A message the requester edited after it reached the ticket: added as a new message."""
    return f"(editado) {text}"
