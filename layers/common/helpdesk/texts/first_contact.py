"""First contact (registration) and the next ones: the company, portal access, linking a CNPJ."""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.domain.menus import Menu, Option, Question
from helpdesk.texts.navigation import TYPE_THE_NUMBER as _TYPE_THE_NUMBER

WELCOME = (
    "Olá! 👋 Eu sou o assistente virtual de atendimento.\n"
    "Por aqui você abre chamados e acompanha o andamento deles. "
    "Digite *ajuda* a qualquer momento para ver as opções, ou *sair* para encerrar."
)
ASK_CNPJ = "Por favor, informe o *CNPJ* da sua empresa (com ou sem pontuação)."
INVALID_CNPJ = "Não consegui validar esse CNPJ. 🤔 Confira os 14 números e digite de novo."
# Asked again when the message had no CNPJ at all ("preciso abrir um chamado").
CNPJ_FIRST = "Para abrir e acompanhar chamados, primeiro preciso do *CNPJ* da sua empresa. 🙂"
CLIENTS_ONLY = (
    "Não encontramos esse CNPJ entre os nossos clientes. "
    "Este canal de atendimento é exclusivo para empresas clientes: se a sua é uma delas, confira "
    "o CNPJ com quem cuida do contrato e escreva de novo."
)
HELP_FIRST_CONTACT = (
    "Por aqui as empresas clientes abrem e acompanham chamados. Para começar, preciso do *CNPJ* "
    "da sua empresa; depois, do seu nome e e-mail. Se já quiser contar o problema ou mandar um "
    "print, pode: eu guardo para o atendimento.\n"
    "A qualquer momento: *voltar* (pergunta anterior), *ajuda* ou *sair* (encerrar)."
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
        "Usuário: *{username}* (ou o seu e-mail)\n"
        "Senha: *{password}*\n"
        "Guarde essa senha em um lugar seguro."
    )


def companies_not_served(names: list[str]) -> str:
    """Companies deactivated in the console: no new conversations for them."""
    listed = ", ".join(f"*{name}*" for name in names)
    if len(names) == 1:
        return f"A empresa {listed} não é mais atendida por este canal."
    return f"As empresas {listed} não são mais atendidas por este canal."


def welcome_back(name: str) -> str:
    first_name = name.split()[0] if name.split() else name
    return f"Olá de novo, {first_name}! 👋"


LINK_ANOTHER = "link"  # the option that links another CNPJ (choosing the company, or after it)


def choose_company(companies: Sequence[tuple[str, str, str]]) -> Question:
    """`companies`: (key, name, formatted CNPJ), numbered from 1; the next number links another."""
    options = [
        Option(str(i), f"{name} ({cnpj})", key) for i, (key, name, cnpj) in enumerate(companies, start=1)
    ]
    options.append(Option(str(len(companies) + 1), "Vincular outro CNPJ", LINK_ANOTHER))
    return Question("Para qual empresa é o atendimento?", Menu(tuple(options), ask=_TYPE_THE_NUMBER))


RECOVER_ACCESS, SEE_TICKETS = "recover", "tickets"  # the access menu's options (and LINK_ANOTHER)
ACCESS_MENU = Menu(
    (
        Option("1", "Recuperar acesso ao portal", RECOVER_ACCESS),
        Option("2", "Ver meus atendimentos", SEE_TICKETS),
        Option("3", "Vincular outro CNPJ", LINK_ANOTHER),
    ),
    ask=_TYPE_THE_NUMBER,
)


def access_menu(company: str) -> Question:
    return Question(f"Empresa: *{company}*\nO que deseja fazer?", ACCESS_MENU)


def access_recovered(portal_url: str) -> str:
    """Access recovery: a new password; the tokens are filled by the executor."""
    return (
        "Pronto, geramos uma nova senha para você. 🔑\n"
        f"Portal: {portal_url}\n"
        "Usuário: *{username}* (ou o seu e-mail)\n"
        "Senha: *{password}*\n"
        "A senha anterior deixou de valer."
    )


ASK_LINK_CNPJ = "Informe o *CNPJ* da empresa que deseja vincular (ou *sair* para encerrar)."


def company_linked(name: str) -> str:
    return f"Empresa *{name}* vinculada ao seu cadastro. ✅"


def company_selected(name: str) -> str:
    return f"A empresa *{name}* já está vinculada ao seu cadastro. Vamos lá!"
