"""The words that work at every step, drafts after a pause, hints, goodbye, and how menus ask."""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.domain.menus import Menu, Option, Question
from helpdesk.domain.text import fold

# How every numbered menu asks for its answer; a tappable menu (Cloud API) leaves it out.
TYPE_THE_NUMBER = "Digite o número:"

HELP = (
    "Você pode digitar, a qualquer momento:\n"
    "*menu* - voltar à lista de atendimentos\n"
    "*voltar* - voltar à pergunta anterior\n"
    "*ajuda* - ver estas opções\n"
    "*sair* - encerrar a conversa\n"
    "*meus dados* - ver o que guardamos sobre você\n"
    "*falar com um atendente* - saber como a equipe responde\n"
    "*cancelar* - descartar o atendimento que você está escrevendo\n"
    "*esqueci a senha* - receber uma nova senha do portal\n"
    "*status do 12* (ou *chamado 12*) - ver um atendimento pelo número\n"
    "Pode escrever do seu jeito: eu procuro entender. "
    "Ao descrever um problema ou escrever uma mensagem, pode mandar vários textos, áudios, fotos "
    "ou documentos. Para falar de um atendimento, responda à notificação dele aqui no WhatsApp."
)
BACK = "Ok, voltando à pergunta anterior."
NOTHING_BEFORE = "Não há pergunta anterior a esta."
DRAFT_DISCARDED = "O atendimento que você estava escrevendo foi descartado."
MESSAGE_DISCARDED = "A mensagem que você estava escrevendo foi descartada."


CONTINUE_DRAFT, START_OVER = "continue", "start_over"  # the options after a pause


def resume_offer(label: str) -> Question:
    """After a pause with a draft: `label` is the draft's subject (or the ticket's number)."""
    options = (
        Option("1", f"Continuar o atendimento *{label}*", CONTINUE_DRAFT),
        Option("2", "Começar de novo", START_OVER),
    )
    return Question(
        "Você tinha um atendimento em andamento. O que deseja fazer?", Menu(options, ask=TYPE_THE_NUMBER)
    )


def resumed(file_count: int) -> str:
    files = {0: "", 1: " (1 arquivo já recebido)"}.get(file_count, f" ({file_count} arquivos já recebidos)")
    return f"Continuando de onde você parou{files}."


def replying_to_ticket(number: int) -> str:
    return f"Sua resposta vai para o atendimento *{number}*."


INVALID_OPTION = "Não entendi. 🤔 Responda com o número ou com o nome de uma das opções."
TEXT_EXPECTED = "Neste momento preciso de uma resposta em texto."
UNREADABLE = "Não consigo ler esse tipo de mensagem (figurinha, localização, contato...)."
EMPTY_TEXT = "Sua mensagem chegou vazia."
# The conversation ends, never a ticket: those stay with the team (and are followed here).
GOODBYE = (
    "Conversa encerrada. Obrigado pelo contato! 👋 Seus atendimentos em aberto continuam com a "
    "equipe, e avisaremos aqui a cada novidade. Quando precisar, é só mandar uma mensagem."
)
GOODBYE_UNREGISTERED = (
    "Conversa encerrada. Obrigado pelo contato! 👋 Quando precisar, é só mandar uma mensagem."
)


# Label of the button that opens a list menu on the WhatsApp Cloud API (20 characters at most).
MENU_BUTTON = "Ver opções"


# Small talk where an answer is expected: a friendly word, then the question again.
SOCIAL_ANSWERS = {
    "thanks": "De nada! 😊",
    "greeting": "Olá! 👋",
    "ok": "Combinado! 👍",
}
SOCIAL_AFTER_GOODBYE = "Quando precisar, é só mandar uma mensagem."


def which_one(options: Sequence[Option]) -> Question:
    """Several options matched the words typed: only those, to pick one by its number."""
    menu = Menu(tuple(options), ask=TYPE_THE_NUMBER, bold_numbers=True)
    return Question("Encontrei mais de uma opção com essas palavras. Qual delas?", menu)


def _hint(option: Option, word: str | None) -> bool:
    """A word worth showing beside the option: never the option's own title again ("Outro (ou
    outro)")."""
    return bool(word) and fold(word) != fold(option.title)


def still_not_understood(options: Sequence[tuple[Option, str | None]], *, registered: bool = True) -> str:
    """After two answers in a row the bot did not understand: the options with a word that picks
    each one (`options`: the option and its word or None), and the words that work everywhere
    (before the registration, those that mean something then)."""
    lines = ["Ainda não entendi. 🤔"]
    if options:
        lines.append("Você pode responder com o número ou com a palavra em destaque:")
        lines += [
            f"*{option.number}* - {option.title}" + (f" (ou *{word}*)" if _hint(option, word) else "")
            for option, word in options
        ]
    if not registered:
        lines.append("E, a qualquer momento: *voltar* (pergunta anterior), *ajuda* ou *sair* (encerrar).")
        return "\n".join(lines)
    lines.append(
        "E, a qualquer momento: *menu* (lista de atendimentos), *voltar* (pergunta anterior), "
        "*ajuda*, *sair* (encerrar) ou *meus dados*."
    )
    return "\n".join(lines)
