"""News on a ticket, sent by the notifier."""

from __future__ import annotations

TICKET_CLOSED_STATUS = "Encerrado"  # the status an ERP `ticket.closed` event sets unless it names one


def notify_header(number: int, title: str) -> str:
    return f"🔔 *Atendimento {number}* - {title}"


def notify_new_action(author: str, text: str) -> str:
    return f"Nova mensagem de {author}:\n{text}" if text else f"Nova mensagem de {author}."


def notify_status_changed(author: str, status: str, note: str) -> str:
    lines = [f"Situação alterada para *{status}* por {author}.", note]
    return "\n".join(line for line in lines if line)


def notify_attachments(count: int) -> str:
    return f"📎 {count} anexo{'s' if count > 1 else ''}"


def notify_attachment_link(filename: str, url: str) -> str:
    """A file the gateway could not send as media: a link that expires in a few minutes."""
    return f"📎 {filename}: {url}"


def notify_how_to_open(number: int) -> str:
    return (
        "Para responder, é só responder a esta mensagem. "
        f"Para ver o atendimento, mande uma mensagem e, no menu de atendimentos, digite *{number}*."
    )
