"""Every text the requester reads, in Brazilian Portuguese (WhatsApp style: short, *bold* allowed).

Constants for fixed texts, small functions where something is filled in. `{username}`, `{password}`
and `{ticket_number}` stay literal in the texts that carry them: the turn executor replaces them
(see `Reply.fill`), because only it knows those values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

# --- first contact ---------------------------------------------------------------------------

WELCOME = (
    "Olá! 👋 Eu sou o assistente virtual de atendimento.\n"
    "Por aqui você abre chamados e acompanha o andamento deles. "
    "Digite *ajuda* a qualquer momento para ver as opções, ou *sair* para encerrar."
)
ASK_CNPJ = "Por favor, informe o *CNPJ* da sua empresa (com ou sem pontuação)."
INVALID_CNPJ = "Não consegui validar esse CNPJ. 🤔 Confira e digite de novo (ex.: 12.345.678/0001-95)."
CLIENTS_ONLY = (
    "Não encontramos esse CNPJ entre os nossos clientes. "
    "Este canal de atendimento é exclusivo para empresas clientes."
)
ASK_NAME = "Qual é o seu *nome*?"
INVALID_NAME = "Por favor, digite seu nome em uma linha (até 100 caracteres)."
ASK_EMAIL = "Agora, qual é o seu *e-mail*?"
INVALID_EMAIL = "Esse e-mail não parece válido. Confira e digite novamente (ex.: nome@empresa.com.br)."


def company_found(name: str) -> str:
    return f"Encontrei a empresa *{name}*. ✅"


def credentials(portal_url: str) -> str:
    """Sent once, right after the registration: the tokens are filled by the executor."""
    return (
        "Cadastro concluído! 🎉\n"
        f"Você também pode acompanhar seus atendimentos pelo portal: {portal_url}\n"
        "Usuário: *{username}*\n"
        "Senha: *{password}*\n"
        "Guarde essa senha em um lugar seguro."
    )


# --- second contact --------------------------------------------------------------------------


def welcome_back(name: str) -> str:
    first_name = name.split()[0] if name.split() else name
    return f"Olá de novo, {first_name}! 👋"


def choose_company(companies: Sequence[tuple[str, str]]) -> str:
    """`companies`: (name, formatted CNPJ) pairs, numbered from 1; the next number links another."""
    lines = [f"{i} - {name} ({cnpj})" for i, (name, cnpj) in enumerate(companies, start=1)]
    lines.append(f"{len(companies) + 1} - Vincular outro CNPJ")
    return "Para qual empresa é o atendimento? Digite o número:\n" + "\n".join(lines)


def access_menu(company: str) -> str:
    return (
        f"Empresa: *{company}*\n"
        "O que deseja fazer? Digite o número:\n"
        "1 - Recuperar acesso ao portal\n"
        "2 - Ver meus atendimentos\n"
        "3 - Vincular outro CNPJ"
    )


def access_recovered(portal_url: str) -> str:
    """Access recovery: a new password; the tokens are filled by the executor."""
    return (
        "Pronto, geramos uma nova senha para você. 🔑\n"
        f"Portal: {portal_url}\n"
        "Usuário: *{username}*\n"
        "Senha: *{password}*\n"
        "A senha anterior deixou de valer."
    )


ASK_LINK_CNPJ = "Informe o *CNPJ* da empresa que deseja vincular (ou *sair* para encerrar)."


def company_linked(name: str) -> str:
    return f"Empresa *{name}* vinculada ao seu cadastro. ✅"


def company_selected(name: str) -> str:
    return f"A empresa *{name}* já está vinculada ao seu cadastro. Vamos lá!"


# --- tickets ---------------------------------------------------------------------------------


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


# --- one ticket ------------------------------------------------------------------------------


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


def action_author(kind: str, name: str) -> str:
    return f"{name} (equipe de suporte)" if kind == "agent" else name


def action_menu(number: int) -> str:
    return (
        f"Atendimento *{number}*. O que deseja fazer? Digite o número:\n"
        "1 - Enviar uma nova mensagem\n"
        "2 - Voltar à lista de atendimentos\n"
        "3 - Encerrar a conversa"
    )


def ask_action_text(number: int) -> str:
    return f"Digite a mensagem para o atendimento *{number}*."


ASK_ACTION_MEDIA = (
    "Quer anexar arquivos à mensagem? 📎 Envie fotos, vídeos, áudios ou documentos.\n"
    "Quando terminar, ou se não houver arquivos, digite *Fim*."
)


def action_posted(number: int) -> str:
    return f"✅ Mensagem registrada no atendimento *{number}*."


# --- files -----------------------------------------------------------------------------------


def file_received(filename: str, count: int) -> str:
    total = "1 arquivo" if count == 1 else f"{count} arquivos"
    return f"Recebi *{filename}* ✅ ({total} até agora). Envie outro ou digite *Fim*."


def file_kept(filename: str) -> str:
    return f"Recebi *{filename}* ✅"


def media_too_large(max_mb: int) -> str:
    return f"Esse arquivo é grande demais: o limite é de *{max_mb} MB*. Envie um arquivo menor."


MEDIA_UNSUPPORTED = (
    "Não consigo aceitar esse tipo de arquivo. Envie imagens, vídeos, áudios ou documentos (como PDF)."
)
MEDIA_FAILED = "Não consegui receber esse arquivo. Pode enviar de novo?"


def too_many_files(max_files: int) -> str:
    return f"Já recebi {max_files} arquivos, o máximo por vez. Digite *Fim* para concluir."


TEXT_ADDED = "Anotado ✅ Pode escrever mais, enviar arquivos ou digitar *Fim* para concluir."


def no_room_for_text(max_length: int) -> str:
    return (
        f"Não anotei essa mensagem: o texto passaria do limite de {max_length} caracteres. "
        "Resuma ou digite *Fim* para concluir."
    )


def caption_too_long(max_length: int) -> str:
    return (
        f"Não recebi esse arquivo: com a legenda, o texto passaria do limite de {max_length} caracteres. "
        "Envie de novo com uma legenda menor, ou sem legenda."
    )


# What a file stands for when it is sent, without a caption, where a text is asked.
FILE_AS_TEXT = {
    "audio": "(mensagem de voz)",
    "image": "(imagem)",
    "video": "(vídeo)",
    "document": "(documento)",
}

# --- navigation: the words that work at every step -------------------------------------------

HELP = (
    "Você pode digitar, a qualquer momento:\n"
    "*menu* - voltar à lista de atendimentos\n"
    "*voltar* - voltar à pergunta anterior\n"
    "*ajuda* - ver estas opções\n"
    "*sair* - encerrar a conversa\n"
    "*meus dados* - ver o que guardamos sobre você\n"
    "Ao descrever um problema ou escrever uma mensagem, pode mandar vários textos, áudios, fotos "
    "ou documentos. Para falar de um atendimento, responda à notificação dele aqui no WhatsApp."
)
BACK = "Ok, voltando à pergunta anterior."
NOTHING_BEFORE = "Não há pergunta anterior a esta."
DRAFT_DISCARDED = "O atendimento que você estava escrevendo foi descartado."


def resume_offer(label: str) -> str:
    """After a pause with a draft: `label` is the draft's subject (or the ticket's number)."""
    return (
        "Você tinha um atendimento em andamento. O que deseja fazer? Digite o número:\n"
        f"1 - Continuar o atendimento *{label}*\n"
        "2 - Começar de novo"
    )


def resumed(file_count: int) -> str:
    files = {0: "", 1: " (1 arquivo já recebido)"}.get(file_count, f" ({file_count} arquivos já recebidos)")
    return f"Continuando de onde você parou{files}."


def replying_to_ticket(number: int) -> str:
    return f"Sua resposta vai para o atendimento *{number}*."


# --- hints and goodbye -----------------------------------------------------------------------

INVALID_OPTION = "Opção inválida. Digite apenas o número de uma das opções."
TEXT_EXPECTED = "Neste momento preciso de uma resposta em texto."
UNREADABLE = "Não consigo ler esse tipo de mensagem (figurinha, localização, contato...)."
EMPTY_TEXT = "Sua mensagem chegou vazia."
GOODBYE = "Atendimento encerrado. Obrigado pelo contato! 👋 Quando precisar, é só mandar uma mensagem."

# --- notifications: news on a ticket, sent by the notifier (issue 6) -------------------------

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
    return f"Para ver o atendimento, mande uma mensagem e, no menu de atendimentos, digite *{number}*."


# --- closing the loop: confirmation, rating, business hours, personal data (issue 15) --------

REOPENED_STATUS = "Reaberto"  # the status a ticket takes when the requester says it is not solved
ASK_FIX_CONFIRMED = "O problema foi resolvido? Digite o número:\n1 - Sim\n2 - Não"


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

# Label of the button that opens a list menu on the WhatsApp Cloud API (20 characters at most).
MENU_BUTTON = "Ver opções"
# How every numbered menu asks for its answer; a tappable menu (Cloud API) drops it from the body.
TYPE_THE_NUMBER = "Digite o número:"
