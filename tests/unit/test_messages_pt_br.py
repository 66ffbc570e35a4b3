"""Every error message an admin or a requester can read is pt-BR and names fields as the pages do:
the raises of the admin and portal APIs, their logic and the business hours, walked in the source
(so English cannot come back in a new raise), and the fields the routes read have a label."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpdesk.texts.fields import FIELD_LABELS
from tests.support.portuguese import foreign_words

ROOT = Path(__file__).resolve().parents[2]
HELPDESK = ROOT / "layers" / "common" / "helpdesk"
SOURCES = sorted(
    [
        *(HELPDESK / "api").glob("*.py"),
        *(HELPDESK / "logic" / "admin").glob("*.py"),
        *(HELPDESK / "logic" / "portal").glob("*.py"),
        HELPDESK / "domain" / "hours.py",
        HELPDESK / "aws" / "cognito.py",
        *(ROOT / "functions" / "admin").glob("*.py"),
        *(ROOT / "functions" / "portal").glob("*.py"),
    ]
)
# The exceptions whose message reaches the console or the portal, and which argument carries it.
SHOWN = {
    "InvalidInput": 0,
    "NotFound": 0,
    "Conflict": 0,
    "GatewayFailed": 0,
    "Unauthorized": 0,
    "Forbidden": 0,
    "Malformed": 0,
    "Unavailable": 0,
    "TooManyRequests": 0,
    "AppError": 0,
    "InvalidAction": 0,
    "InvalidEmail": 0,
    "AdminExists": 0,
    "AdminNotFound": 0,
    "gateway_failed": 0,
    "refused": 0,
    "InvalidHours": 1,
}
FIELD_READERS = {"text_field", "bool_field", "int_query", "required_text", "_date_query"}


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def literal_text(node: ast.expr) -> str | None:
    """A message's own words: a string, or an f-string's literal parts (what is filled in is data)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(part.value for part in node.values if isinstance(part, ast.Constant))
    return None


def shown_messages() -> list[tuple[str, str]]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and called_name(node) in SHOWN:
                index = SHOWN[called_name(node)]
                text = literal_text(node.args[index]) if len(node.args) > index else None
                if text is not None:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", text))
    return found


MESSAGES = shown_messages()


def test_the_walk_finds_the_messages():
    assert len(MESSAGES) > 60
    assert any("Chamado" in text for _, text in MESSAGES)


@pytest.mark.parametrize(("where", "message"), MESSAGES, ids=[where for where, _ in MESSAGES])
def test_a_shown_message_is_portuguese_and_names_no_api_field(where, message):
    assert foreign_words(message) == [], f"{where}: {message!r}"


def test_the_checker_catches_what_admins_used_to_read():
    for message in (
        "Not found",
        'must be ["HH:MM", "HH:MM"]',
        "Informe 'instance' ou 'company'.",
        "Confirme repetindo o telefone em 'confirm'.",
        "O campo visible_to_requester deve ser true ou false.",
    ):
        assert foreign_words(message), message


def test_every_field_a_route_reads_has_the_pages_label():
    unlabeled = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and called_name(node) in FIELD_READERS:
                names = [
                    arg for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
                unlabeled |= {arg.value for arg in names[:1] if arg.value not in FIELD_LABELS}
    assert unlabeled == set()
