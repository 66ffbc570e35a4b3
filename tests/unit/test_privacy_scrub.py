"""LGPD erasure: the requester's name, e-mail and phone leave free text, however they were typed."""

import pytest

from helpdesk.domain.privacy import ANONYMOUS_CONTACT, scrubber

scrub = scrubber("5511987654321", "Maria Souza", "maria@cliente.com.br")


@pytest.mark.parametrize(
    "typed",
    [
        "5511987654321",
        "+55 (11) 98765-4321",
        "(11) 98765-4321",
        "11 98765 4321",
        "11.98765.4321",
        "98765-4321",
        "987654321",
        "MARIA SOUZA",
        "maria souza",
        "Maria@Cliente.com.br",
    ],
)
def test_every_way_of_writing_it_is_replaced(typed):
    assert scrub(f"Falar com {typed}, obrigado") == f"Falar com {ANONYMOUS_CONTACT}, obrigado"


def test_other_numbers_and_names_stay():
    text = "Nota 123456, pedido 98765-4320, João Souza, ramal 4321"
    assert scrub(text) == text


def test_nothing_to_scrub_and_no_name():
    assert scrubber("5511987654321", None, None)(None) == ""
    assert scrubber("5511987654321", "", "")("Maria") == "Maria"
