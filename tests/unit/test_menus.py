"""Numbered menus become tappable options (Cloud API) with the number a typed answer would be."""

import pytest

from helpdesk import texts
from helpdesk.domain.menus import split_menu


@pytest.mark.parametrize(
    ("text", "question", "options"),
    [
        (
            texts.access_menu("Empresa X"),
            "Empresa: *Empresa X*\nO que deseja fazer?",
            (
                ("1", "Recuperar acesso ao portal"),
                ("2", "Ver meus atendimentos"),
                ("3", "Vincular outro CNPJ"),
            ),
        ),
        (texts.ASK_FIX_CONFIRMED, "O problema foi resolvido?", (("1", "Sim"), ("2", "Não"))),
        (
            texts.ask_type(["Financeiro", "Suporte técnico"]),
            "Qual é o *tipo* do atendimento?",
            (("1", "Financeiro"), ("2", "Suporte técnico"), ("3", "Outro")),
        ),
        (
            "Bem-vindo de volta!\n\n" + texts.action_menu(42),
            "Bem-vindo de volta!\n\nAtendimento *42*. O que deseja fazer?",
            (
                ("1", "Enviar uma nova mensagem"),
                ("2", "Voltar à lista de atendimentos"),
                ("3", "Encerrar a conversa"),
            ),
        ),
    ],
)
def test_menus_of_the_dialog_split_into_question_and_options(text, question, options):
    assert split_menu(text) == (question, options)


@pytest.mark.parametrize(
    "text",
    [
        texts.ASK_DESCRIPTION,  # not a menu
        texts.tickets_menu("X", [(7, "Erro", "Aberto")], first=1, total=1, has_more=False),  # text after
        "Escolha:\n1 - só uma",  # one option is not a menu
        "1 - a\n2 - b",  # options without a question
        "Escolha:\n1 - a\n1 - b",  # repeated numbers
    ],
)
def test_everything_else_stays_text(text):
    assert split_menu(text) == (text, ())
