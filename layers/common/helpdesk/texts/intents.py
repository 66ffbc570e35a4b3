"""What the bot says to what a person wants at any step (a person, to give up, access, help), to
what a message carried besides the answer, to a slip, and to a problem described at a menu."""

from __future__ import annotations

# --- a person ---------------------------------------------------------------------------------

HUMAN_HERE = (
    "Por aqui, quem responde são os nossos atendentes, dentro de cada atendimento: você abre um "
    "atendimento (ou escreve em um que já existe) e a equipe responde aqui mesmo no WhatsApp. 🙋"
)
HUMAN_OPENING = "Vou abrir um atendimento com o que você contou, para a equipe responder."
HUMAN_ASK_SUBJECT = "Conte o que está acontecendo e eu abro o atendimento para a equipe."
HUMAN_AFTER_REGISTRATION = "Antes, preciso do seu cadastro (é rapidinho)."
HUMAN_AFTER_DRAFT = "Assim que este atendimento for aberto, a equipe responde nele por aqui."


def human_on_ticket(number: int) -> str:
    return (
        f"Os atendentes respondem no próprio atendimento *{number}*: escreva sua mensagem e a equipe "
        "responde por aqui. 🙋"
    )


# --- giving up --------------------------------------------------------------------------------


def confirm_discard(label: str, *, message: bool = False) -> str:
    """`message`: the draft is a message on ticket `label`, not a new ticket."""
    what = (
        f"a mensagem que você está escrevendo para o atendimento *{label}*"
        if message
        else f"o atendimento *{label}*"
    )
    return f"Quer mesmo descartar {what}? Responda *sim* ou *não*."


DRAFT_KEPT = "Certo, o atendimento continua de onde parou."
MESSAGE_KEPT = "Certo, a mensagem continua de onde parou."
NOTHING_TO_CANCEL = "Tudo bem, nada foi aberto."
REGISTRATION_STOPPED = "Tudo bem, paramos por aqui. Quando quiser, é só mandar uma mensagem."

# --- access -----------------------------------------------------------------------------------

RECOVERY_UNKNOWN = (
    "Não encontrei um cadastro com este número de WhatsApp. Para receber um acesso ao portal, "
    "vamos fazer o cadastro."
)

# --- what a message carried -------------------------------------------------------------------


def company_found_and_noted(company: str, name: str | None, email: str | None) -> str:
    """The company of the CNPJ, and what else the message answered ahead of its question."""
    noted = [f"seu nome *{name}*" if name else "", f"seu e-mail *{email}*" if email else ""]
    said = " e ".join(part for part in noted if part)
    if not said:
        return f"Encontrei a empresa *{company}*. ✅"
    return f"Encontrei a empresa *{company}* ✅ e anotei {said}."


def noted(name: str | None, email: str | None) -> str:
    parts = [f"seu nome *{name}*" if name else "", f"seu e-mail *{email}*" if email else ""]
    return "Anotei " + " e ".join(part for part in parts if part) + "."


def kept_for_ticket(*, told: bool = True, files: bool = False, company_first: bool = False) -> str:
    """What the bot says it kept for the ticket the registration (or the company's choice) ends in."""
    kept = " e ".join(
        part
        for part in ("anotei o que você contou" if told else "", "guardei o arquivo" if files else "")
        if part
    )
    until = "você escolher a empresa" if company_first else "o cadastro terminar"
    return f"{kept[0].upper()}{kept[1:]}. {'📝' if told else '📎'} Assim que {until}, abro o atendimento com isso."


PROBLEM_KEPT_FOR_COMPANY = kept_for_ticket(company_first=True)
PROBLEM_KEPT = kept_for_ticket()


def which_cnpj(cnpjs: list[str]) -> str:
    lines = [f"{number} - {cnpj}" for number, cnpj in enumerate(cnpjs, start=1)]
    return "Você mandou mais de um CNPJ. Qual é o da empresa a ser atendida? Digite o número:\n" + "\n".join(
        lines
    )


# --- a slip -----------------------------------------------------------------------------------


def did_you_mean(title: str) -> str:
    return f"Você quis dizer *{title}*? (sim/não)"


# --- a problem described at a menu: a ticket draft ---------------------------------------------

DRAFT_FROM_PROBLEM = "Vou abrir um atendimento com o que você contou. 📝"
SUBJECT_CUT = "Usei o começo do texto como assunto; o texto inteiro vai na descrição."
FILE_FIRST = "Recebi o arquivo. 📎"
ASK_MORE_THEN_FIM = (
    "Quer mandar mais alguma coisa? 📎 Envie fotos, documentos, áudios ou mais texto.\n"
    "Para abrir o atendimento assim, digite *Fim*."
)


def draft_preview(title: str, type_name: str | None, description: str, files: int) -> str:
    """What will be opened, before it is: the requester may still add files (or text)."""
    lines = ["Vou abrir este atendimento:", f"*Assunto:* {title}", f"*Tipo:* {type_name or 'Outro'}"]
    lines.append(f"*Descrição:* {description}")
    if files:
        lines.append(f"📎 {files} arquivo" + ("s" if files > 1 else ""))
    return "\n".join(lines)


# --- ratings ----------------------------------------------------------------------------------

RATING_AGAIN = "Não entendi a nota. 🤔 Responda de *1* a *5* (ou com estrelas, ⭐ a ⭐⭐⭐⭐⭐), ou *pular*."
RATING_LEFT = "Tudo bem, fica sem nota."
