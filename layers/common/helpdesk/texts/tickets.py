"""The tickets menu of a company and a new ticket: subject, type, description."""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.domain.menus import Menu, Option, Question
from helpdesk.texts.navigation import TYPE_THE_NUMBER as _TYPE_THE_NUMBER

NEW_TICKET = "new"  # the tickets list's option that opens a ticket (the others: a ticket's number)
NEW_TICKET_OPTION = Option("0", "Criar novo atendimento", NEW_TICKET)


def tickets_menu(
    company: str, tickets: Sequence[tuple[int | str, str, str]], *, first: int, total: int, has_more: bool
) -> Question:
    """`tickets`: (number, title, status) of one page, the number a token while the ticket is being
    created; `first` is the position of its first one."""
    options = [NEW_TICKET_OPTION]
    options += [Option(str(number), title, str(number), note=status) for number, title, status in tickets]
    footer = []
    if not total:
        footer.append("Você ainda não tem atendimentos nesta empresa.")
    elif has_more:
        last = first + len(tickets) - 1
        footer.append(f"Mostrando {first} a {last} de {total}. Digite *mais* para ver mais.")
    elif total > len(tickets):
        footer.append(f"Mostrando {first} a {total} de {total}.")
    footer.append("Digite *0* para criar ou o *número* de um atendimento para ver os detalhes.")
    menu = Menu(tuple(options), footer="\n".join(footer), bold_numbers=True)
    return Question(f"*Atendimentos - {company}*", menu)


NO_MORE_TICKETS = "Esses são todos os seus atendimentos. Voltando ao início da lista:"
STATUS_IN_THE_LIST = (
    "A situação de cada atendimento está na lista. Digite o *número* de um para ver o último andamento."
)
INVALID_TICKET_CHOICE = "Não entendi. Digite *0* ou o número de um atendimento da lista."


def ticket_not_found(number: int) -> str:
    return f"Não encontrei o atendimento *{number}* entre os seus. Confira o número na lista."


def ask_subject(max_length: int) -> str:
    return f"Em *uma frase*, qual é o assunto do atendimento? (até {max_length} caracteres)"


MULTILINE_SUBJECT = "O assunto deve ter uma frase só, em uma linha. Os detalhes você conta em seguida."


def subject_too_long(max_length: int, length: int) -> str:
    return f"Esse assunto tem {length} caracteres; o limite é {max_length}. Tente resumir."


OTHER_TYPE = "other"  # the type menu's last option: none of the listed types


def ask_type(types: Sequence[tuple[str, str]]) -> Question:
    """`types`: (id, name), numbered from 1; the next number is "Outro"."""
    options = [Option(str(i), name, type_id) for i, (type_id, name) in enumerate(types, start=1)]
    options.append(Option(str(len(types) + 1), "Outro", OTHER_TYPE))
    return Question("Qual é o *tipo* do atendimento?", Menu(tuple(options), ask=_TYPE_THE_NUMBER))


ASK_DESCRIPTION = "Descreva o problema ou a solicitação com o máximo de detalhes possível."
DESCRIBED_AHEAD = "Anotei isso como a descrição. 📝 Falta só o tipo:"


def text_too_long(max_length: int, length: int) -> str:
    return f"Esse texto tem {length} caracteres; o limite é {max_length}. Tente resumir."


ASK_TICKET_MEDIA = (
    "Quer anexar arquivos? 📎 Envie fotos, vídeos, áudios ou documentos (um ou vários).\n"
    "Quando terminar, ou se não houver arquivos, digite *Fim*."
)


def ticket_created(title: str) -> str:
    """The executor fills `{ticket_number}`."""
    return f"✅ Atendimento *{{ticket_number}}* criado: _{title}_\nAvisaremos aqui a cada novidade."
