"""Reading answers as people write them (helpdesk.domain.understanding), apart from any step."""

import pytest

from helpdesk.domain.menus import Option
from helpdesk.domain.understanding import (
    Choice,
    Social,
    choose,
    key_words,
    number_in,
    simplified,
    social,
    yes_or_no,
)

TYPES = [Option("1", "Dúvida"), Option("2", "Erro no sistema"), Option("3", "Outro")]


def options(*titles: str) -> list[Option]:
    return [Option(str(number), title) for number, title in enumerate(titles, start=1)]


def test_simplified_drops_case_accents_punctuation_and_skin_tones_but_keeps_emojis():
    assert simplified("  Dúvida!! ") == "duvida"
    assert simplified("Não, ainda não.") == "nao ainda nao"
    assert simplified("👍🏽") == "👍"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2", 2),
        ("2.", 2),
        ("#2", 2),
        ("nº 2", 2),
        ("opção 2", 2),
        ("2 - Erro no sistema", 2),
        ("1️⃣", 1),
        (" 3) ", 3),
        ("dois", 2),
        ("a 2", 2),
        ("o 1042", 1042),
        ("zero", 0),
    ],
)
def test_a_number_is_read_however_it_is_dressed(typed, number):
    assert number_in(typed) == number


@pytest.mark.parametrize("typed", ["3 dias sem sistema", "2 erros", "dois erros", ""])
def test_a_number_inside_a_sentence_is_not_an_answer(typed):
    assert number_in(typed) is None


@pytest.mark.parametrize(
    ("typed", "picked"),
    [
        ("dúvida", "1"),
        ("DUVIDA!", "1"),
        (" duvida ", "1"),
        ("dúvidas", "1"),
        ("erro", "2"),
        ("err", "2"),
        ("sistema", "2"),
        ("Erro no sistema.", "2"),
        ("outro", "3"),
        ("2", "2"),
    ],
)
def test_an_option_is_picked_by_its_number_its_title_or_a_word_of_it(typed, picked):
    assert choose(typed, TYPES) == Choice(picked=picked)


@pytest.mark.parametrize("typed", ["e", "er", "obrigado", "tenho uma pergunta", "", "🙂"])
def test_words_of_no_option_pick_nothing(typed):
    assert choose(typed, TYPES) == Choice()


def test_a_word_of_several_options_names_them_all():
    offered = [
        Option("0", "Criar novo atendimento"),
        Option("12", "Novo usuário no ERP"),
        Option("13", "Erro na nota"),
    ]
    assert choose("novo", offered) == Choice(candidates=("0", "12"))
    assert choose("novo usuario", offered) == Choice(picked="12")


def test_an_options_own_words_pick_it_as_its_title_does():
    offered = [
        Option("1", "Continuar o atendimento", words=("sim", "seguir")),
        Option("2", "Começar de novo"),
    ]
    assert choose("sim", offered) == Choice(picked="1")
    assert choose("seguir", offered) == Choice(picked="1")
    assert choose("novo", offered) == Choice(picked="2")


def test_key_words_tell_the_options_apart_and_skip_reserved_words():
    assert key_words(options("Dúvida", "Erro no sistema", "Outro")) == ["dúvida", "erro", "outro"]
    titles = options("Enviar uma nova mensagem", "Voltar à lista de atendimentos", "Encerrar a conversa")
    assert key_words(titles, reserved=frozenset({"voltar"})) == ["enviar", "lista", "encerrar"]
    assert key_words(options("Outro", "Outro tipo")) == [None, "tipo"]


@pytest.mark.parametrize(
    "typed",
    ["sim", "S", "Sim!", "isso", "ok", "resolveu", "resolvido", "pode", "👍", "👍🏽", "✅", "sim, resolveu"],
)
def test_yes(typed):
    assert yes_or_no(typed) is True


@pytest.mark.parametrize("typed", ["não", "nao", "N", "ainda não", "continua", "👎", "❌", "não resolveu"])
def test_no(typed):
    assert yes_or_no(typed) is False


@pytest.mark.parametrize("typed", ["sim e não", "talvez", "ainda", "", "resolveu não sei", "obrigado"])
def test_neither_yes_nor_no(typed):
    assert yes_or_no(typed) is None


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("obrigado!", Social.THANKS),
        ("Muito obrigada pela ajuda", Social.THANKS),
        ("ok, obrigado", Social.THANKS),
        ("valeu 🙏", Social.THANKS),
        ("oi", Social.GREETING),
        ("Bom dia!", Social.GREETING),
        ("e aí, tudo bem?", Social.GREETING),
        ("ok", Social.OK),
        ("blz", Social.OK),
        ("👍", Social.OK),
    ],
)
def test_thanks_greetings_and_ok(typed, kind):
    assert social(typed) is kind


@pytest.mark.parametrize("typed", ["oi, preciso de ajuda com a nota", "obrigado mas não funcionou", "", "1"])
def test_a_message_that_says_more_is_not_small_talk(typed):
    assert social(typed) is None
