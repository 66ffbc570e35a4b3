"""The tickets menu of a company and a new ticket: subject, type, description."""

from __future__ import annotations

from collections.abc import Sequence


def tickets_menu(
    company: str, tickets: Sequence[tuple[int | str, str, str]], *, first: int, total: int, has_more: bool
) -> str:
    """`tickets`: (number, title, status) of one page, the number a token while the ticket is being
    created; `first` is the position of its first one."""
    lines = [f"*Atendimentos - {company}*", "0 - Criar novo atendimento"]
    lines += [f"*{number}* - {title} (_{status}_)" for number, title, status in tickets]
    if not total:
        lines.append("Você ainda não tem atendimentos nesta empresa.")
    elif has_more:
        last = first + len(tickets) - 1
        lines.append(f"Mostrando {first} a {last} de {total}. Digite *mais* para ver mais.")
    elif total > len(tickets):
        lines.append(f"Mostrando {first} a {total} de {total}.")
    lines.append("Digite *0* para criar ou o *número* de um atendimento para ver os detalhes.")
    return "\n".join(lines)


NO_MORE_TICKETS = "Esses são todos os seus atendimentos. Voltando ao início da lista:"
INVALID_TICKET_CHOICE = "Não entendi. Digite *0* ou o número de um atendimento da lista."


def ticket_not_found(number: int) -> str:
    return f"Não encontrei o atendimento *{number}* entre os seus. Confira o número na lista."


def ask_subject(max_length: int) -> str:
    return f"Em *uma frase*, qual é o assunto do atendimento? (até {max_length} caracteres)"


MULTILINE_SUBJECT = "O assunto deve ter uma frase só, em uma linha. Os detalhes você conta em seguida."


def subject_too_long(max_length: int, length: int) -> str:
    return f"Esse assunto tem {length} caracteres; o limite é {max_length}. Tente resumir."


def ask_type(type_names: Sequence[str]) -> str:
    """The types numbered from 1; the next number is "Outro"."""
    lines = [f"{i} - {name}" for i, name in enumerate(type_names, start=1)]
    lines.append(f"{len(type_names) + 1} - Outro")
    return "Qual é o *tipo* do atendimento? Digite o número:\n" + "\n".join(lines)


ASK_DESCRIPTION = "Descreva o problema ou a solicitação com o máximo de detalhes possível."


def text_too_long(max_length: int, length: int) -> str:
    return f"Esse texto tem {length} caracteres; o limite é {max_length}. Tente resumir."


ASK_TICKET_MEDIA = (
    "Quer anexar arquivos? 📎 Envie fotos, vídeos, áudios ou documentos (um ou vários).\n"
    "Quando terminar, ou se não houver arquivos, digite *Fim*."
)


def ticket_created(title: str) -> str:
    """The executor fills `{ticket_number}`."""
    return f"✅ Atendimento *{{ticket_number}}* - {title} criado! Avisaremos aqui a cada novidade."
