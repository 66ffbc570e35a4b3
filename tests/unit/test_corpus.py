"""The corpus (tests/unit/corpus/messages.jsonl): messages as people send them on WhatsApp, each
with the step it arrives at and what it should be read as (`domain.reading.summary`: only what
was found). Understanding must reach CORPUS_GOAL over it; each message is its own case, so a miss
names itself, and the last case checks the score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpdesk.domain.menus import Option
from helpdesk.domain.reading import Asks, read, summary

CORPUS = Path(__file__).with_name("corpus") / "messages.jsonl"
CORPUS_GOAL = 0.95


def menu(*options: tuple[int, str]) -> list[Option]:
    return [Option(str(number), title) for number, title in options]


TICKETS = menu(
    (0, "Criar novo atendimento"),
    (1041, "VPN caiu"),
    (1042, "Impressora sem tinta"),
    (1043, "Boleto não gera"),
)
TYPES = menu((1, "Dúvida"), (2, "Erro no sistema"), (3, "Solicitação"), (4, "Financeiro"), (5, "Outro"))
ACCESS = menu((1, "Recuperar acesso ao portal"), (2, "Ver meus atendimentos"), (3, "Vincular outro CNPJ"))
TICKET = menu(
    (1, "Enviar uma nova mensagem"), (2, "Voltar à lista de atendimentos"), (3, "Encerrar a conversa")
)
RESUME = menu((1, "Continuar o atendimento"), (2, "Começar de novo"))
# What each step asks, as the dialog reads it (and, third, whether a problem described there
# starts a ticket: at the registration, the access and the tickets menus, and the fix question).
NO_PROBLEMS = {"ask_type", "ticket_menu", "resume_draft"}
STEPS = {
    "ask_cnpj": (Asks.CNPJ, []),
    "link_cnpj": (Asks.CNPJ, []),
    "ask_name": (Asks.NAME, []),
    "ask_email": (Asks.EMAIL, []),
    "tickets_menu": (Asks.MENU, TICKETS),
    "access_menu": (Asks.MENU, ACCESS),
    "ask_type": (Asks.MENU, TYPES),
    "ticket_menu": (Asks.MENU, TICKET),
    "resume_draft": (Asks.MENU, RESUME),
    "confirm_fix": (Asks.YES_NO, []),
    "ask_rating": (Asks.RATING, []),
    "ask_subject": (Asks.TEXT, []),
    "ask_description": (Asks.TEXT, []),
    "ask_action_text": (Asks.TEXT, []),
    "ticket_media": (Asks.TEXT, []),
}


def corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def reading_of(message: dict) -> dict:
    asks, options = STEPS[message["step"]]
    return summary(read(message["text"], asks, options, problems=message["step"] not in NO_PROBLEMS))


def misses() -> list[tuple[dict, dict]]:
    """The messages read otherwise than expected, with what they were read as."""
    return [(m, got) for m in corpus() if (got := reading_of(m)) != m["expect"]]


@pytest.mark.parametrize("goal", [CORPUS_GOAL])
def test_understanding_reaches_the_goal_on_the_corpus(goal):
    messages = corpus()
    assert len(messages) >= 300 and {m["step"] for m in messages} == set(STEPS)
    missed = misses()
    score = 1 - len(missed) / len(messages)
    listed = "\n".join(
        f"  {m['step']}: {m['text']!r} read {got}, expected {m['expect']}" for m, got in missed
    )
    assert score >= goal, f"{score:.1%} of {len(messages)} understood; misses:\n{listed}"


if __name__ == "__main__":  # python -m tests.unit.test_corpus: the score and the misses
    found = misses()
    print(f"{1 - len(found) / len(corpus()):.1%} of {len(corpus())}")
    for m, got in found:
        print(f"{m['step']}: {m['text']!r}\n    read {got}\n    expected {m['expect']}")
