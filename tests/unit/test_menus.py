"""A reply carries its menu as data; gateways render it (numbered lines, or Cloud API buttons and
lists within Meta's limits); understanding reads a step's options from that data, never from text."""

from __future__ import annotations

import json

import pytest

from helpdesk import texts
from helpdesk.domain.conversation import ResetCredentials, Step
from helpdesk.domain.menus import Menu, Option, numbered
from helpdesk.gateways.cloud import menu_content
from tests.unit.dialog_world import reach, scene

# --- a reply with a menu, as data --------------------------------------------------------------


def test_a_menu_step_replies_with_its_question_and_its_options_as_data():
    t = reach(scene(), Step.ACCESS_MENU).requester_says("ajuda")
    (reply,) = t.result.replies
    assert reply.text.endswith("Empresa: *Acme Ltda*\nO que deseja fazer?")
    assert "1 - " not in reply.text  # the options are not in the text: the gateway renders them
    assert reply.menu == texts.ACCESS_MENU
    assert [(o.number, o.title, o.key) for o in reply.menu.options] == [
        ("1", "Recuperar acesso ao portal", texts.RECOVER_ACCESS),
        ("2", "Ver meus atendimentos", texts.SEE_TICKETS),
        ("3", "Vincular outro CNPJ", texts.LINK_ANOTHER),
    ]


def test_the_request_type_menu_as_data_and_through_the_outbox():
    asked = texts.ask_type([("t1", "Dúvida"), ("t2", "Erro no sistema")])
    assert asked.text == "Qual é o *tipo* do atendimento?"
    assert asked.menu is not None
    # Stored in the outbox as what a gateway renders, no more: keys and words serve understanding.
    assert asked.menu.to_dict() == {
        "options": [["1", "Dúvida"], ["2", "Erro no sistema"], ["3", "Outro"]],
        "ask": "Digite o número:",
    }
    stored = Menu.from_dict(json.loads(json.dumps(asked.menu.to_dict())))
    assert numbered(asked.text, stored) == numbered(asked.text, asked.menu)
    noted = Menu((Option("1043", "Boleto", note="Aberto"),), footer="mais", bold_numbers=True)
    assert Menu.from_dict(json.loads(json.dumps(noted.to_dict()))) == noted


def test_tokens_are_filled_in_a_menus_numbers_and_titles():
    menu = Menu((Option("{ticket_number}", "Novo", note="Aberto"),), footer="fim {ticket_number}")
    filled = menu.filled(lambda text: text.replace("{ticket_number}", "1043"))
    assert filled.options[0].number == "1043" and filled.footer == "fim 1043"


# --- numbered text: Evolution, the simulator, and the Cloud API past Meta's limits ---------------


def test_numbered_text_is_the_question_how_to_answer_and_one_line_per_option():
    asked = texts.access_menu("Empresa X")
    assert numbered(asked.text, asked.menu) == (
        "Empresa: *Empresa X*\nO que deseja fazer? Digite o número:\n"
        "1 - Recuperar acesso ao portal\n2 - Ver meus atendimentos\n3 - Vincular outro CNPJ"
    )
    assert texts.ASK_FIX_CONFIRMED == "O problema foi resolvido? Digite o número:\n1 - Sim\n2 - Não"


def test_the_tickets_list_numbers_in_bold_with_the_status_and_its_footer():
    asked = texts.tickets_menu("X", [(7, "Erro", "Aberto")], first=1, total=1, has_more=False)
    assert numbered(asked.text, asked.menu) == (
        "*Atendimentos - X*\n*0* - Criar novo atendimento\n*7* - Erro (_Aberto_)\n"
        "Digite *0* para criar ou o *número* de um atendimento para ver os detalhes."
    )


def test_a_text_without_a_menu_is_itself():
    assert numbered(texts.ASK_DESCRIPTION, None) == texts.ASK_DESCRIPTION


# --- the Cloud API: buttons, lists, Meta's limits ------------------------------------------------


def menu_of(*titles: str, note: str = "") -> Menu:
    return Menu(tuple(Option(str(n), title, note=note) for n, title in enumerate(titles, 1)), ask="Digite:")


def test_up_to_three_short_titles_are_reply_buttons_without_the_typed_prompt():
    content = menu_content("O problema foi resolvido?", texts.FIX_QUESTION.menu)
    assert content == {
        "type": "button",
        "body": {"text": "O problema foi resolvido?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "1", "title": "Sim"}},
                {"type": "reply", "reply": {"id": "2", "title": "Não"}},
            ]
        },
    }


def test_a_title_longer_than_a_button_makes_a_list_with_the_whole_title_described():
    content = menu_content("O que deseja?", menu_of("Sim", "Voltar à lista de atendimentos"))
    assert content is not None and content["type"] == "list"
    assert content["action"]["button"] == texts.MENU_BUTTON and len(texts.MENU_BUTTON) <= 20
    rows = content["action"]["sections"][0]["rows"]
    assert rows[0] == {"id": "1", "title": "Sim"}
    assert rows[1] == {
        "id": "2",
        "title": "Voltar à lista de atend…",
        "description": "Voltar à lista de atendimentos",
    }
    assert len(rows[1]["title"]) == 24


def test_emphasis_is_dropped_from_titles_and_a_note_becomes_the_rows_description():
    menu = Menu((Option("1", "Continuar *Nota*"), Option("1042", "VPN caiu", note="Em andamento")))
    rows = menu_content("Escolha:", menu)["action"]["sections"][0]["rows"]  # type: ignore[index]
    assert rows == [
        {"id": "1", "title": "Continuar Nota"},
        {"id": "1042", "title": "VPN caiu", "description": "Em andamento"},
    ]


def test_long_descriptions_are_clipped_to_72_characters():
    (row,) = menu_content("Escolha:", menu_of("x" * 100))["action"]["sections"][0]["rows"]  # type: ignore[index]
    assert len(row["title"]) == 24 and len(row["description"]) == 72 and row["description"].endswith("…")


def test_ten_options_are_a_list_and_the_footer_stays_in_the_body():
    menu = Menu(tuple(Option(str(n), f"Tipo {n}") for n in range(10)), footer="Mostrando 1 a 9 de 20.")
    content = menu_content("*Atendimentos*", menu)
    assert content is not None and content["type"] == "list"
    assert content["body"] == {"text": "*Atendimentos*\nMostrando 1 a 9 de 20."}
    assert [row["id"] for row in content["action"]["sections"][0]["rows"]] == [str(n) for n in range(10)]


@pytest.mark.parametrize(
    ("body", "menu"),
    [
        ("Escolha:", menu_of(*(f"Opção {n}" for n in range(1, 12)))),  # 11 options
        ("x" * 1025, menu_of("Sim", "Não")),  # a body past 1024 characters
        ("Escolha:", Menu(())),  # no options
        ("Escolha:", Menu((Option("1" * 201, "Longo"),))),  # an id past 200 characters
        ("Escolha:", menu_of("Sim", "")),  # an empty title
    ],
)
def test_past_metas_limits_there_is_no_interactive_message(body, menu):
    assert menu_content(body, menu) is None


def test_repeated_button_titles_make_a_list():
    content = menu_content("Qual?", menu_of("Acme", "Acme"))
    assert content is not None and content["type"] == "list"


# --- rewording or reordering titles never changes what an answer does ----------------------------


def test_reordered_and_reworded_options_are_answered_by_what_the_requester_reads(monkeypatch):
    """The access menu, rewritten in texts: its first option now shows the tickets. Typing "1" (or
    a word of the new title) shows the tickets; "portal" still recovers access. With the options
    parsed back from the text and handled by number, "1" recovered the access."""
    reworded = Menu(
        (
            Option("1", "Meus chamados", texts.SEE_TICKETS),
            Option("2", "Nova senha do portal", texts.RECOVER_ACCESS),
            Option("3", "Outra empresa (CNPJ)", texts.LINK_ANOTHER),
        ),
        ask=texts.TYPE_THE_NUMBER,
    )
    monkeypatch.setattr("helpdesk.texts.first_contact.ACCESS_MENU", reworded)
    t = reach(scene(), Step.ACCESS_MENU).bot_answers("1 - Meus chamados")
    t.requester_says("1").now_at(Step.TICKETS_MENU).did_nothing()
    reach(scene(), Step.ACCESS_MENU).requester_says("chamados").now_at(Step.TICKETS_MENU).did_nothing()
    reach(scene(), Step.ACCESS_MENU).requester_says("portal").now_at(Step.TICKETS_MENU).did(
        ResetCredentials()
    )
    reach(scene(), Step.ACCESS_MENU).requester_says("2").now_at(Step.TICKETS_MENU).did(ResetCredentials())
    reach(scene(), Step.ACCESS_MENU).requester_says("3").now_at(Step.LINK_CNPJ)


def test_the_options_understood_are_the_menus_whatever_its_text_looks_like(monkeypatch):
    """A menu whose numbered text no parser would read back (bold numbers, a footer after the
    options) is understood all the same: understanding reads the data."""
    monkeypatch.setattr(
        "helpdesk.texts.first_contact.ACCESS_MENU",
        Menu(texts.ACCESS_MENU.options, bold_numbers=True, footer="Ou digite *menu*."),
    )
    t = reach(scene(), Step.ACCESS_MENU).bot_answers("*3* - Vincular outro CNPJ\nOu digite *menu*.")
    t.requester_says("atendimentos").now_at(Step.TICKETS_MENU)
