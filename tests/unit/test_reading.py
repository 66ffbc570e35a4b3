"""The pieces of reading a message: extraction, intents, typos, ratings (the corpus covers them
together, tests/unit/test_corpus.py)."""

import signal

import pytest

from helpdesk.domain.extraction import extract, told
from helpdesk.domain.intents import Intent, intents
from helpdesk.domain.menus import Option
from helpdesk.domain.ratings import rating_in
from helpdesk.domain.typos import close_to, distance, tolerance
from helpdesk.domain.understanding import Choice, choose, words

TYPES = [
    Option("1", "Dúvida"),
    Option("2", "Erro no sistema"),
    Option("3", "Solicitação"),
    Option("4", "Outro"),
]


def test_cnpjs_inside_a_sentence_numeric_and_alphanumeric_with_check_digits():
    assert extract("meu cnpj é 12.345.678/0001-95").cnpjs == ("12345678000195",)
    assert extract("o novo: 12.abc.345/01de-35").cnpjs == ("12ABC34501DE35",)
    wrong = extract("11.222.333/0001-82")
    assert wrong.cnpjs == () and wrong.bad_cnpjs == ("11.222.333/0001-82",)
    assert extract("11.222.333/0001-81 e 11.444.222/0001-10").cnpjs == ("11222333000181", "11444222000110")
    assert extract("me liga no 11 98765-4321").cnpjs == extract("me liga no 11 98765-4321").bad_cnpjs == ()


@pytest.mark.parametrize(
    ("text", "name", "emails"),
    [
        ("Lia Prado - lia.prado@acme.com.br", "Lia Prado", ("lia.prado@acme.com.br",)),
        ("lia@x.com (Lia Prado)", "Lia Prado", ("lia@x.com",)),
        ("meu nome é Maria de Souza e meu email é maria@x.com.br", "Maria de Souza", ("maria@x.com.br",)),
        ("oi sou a lia prado da acme", "Lia Prado", ()),
        ("aqui é o João do financeiro", "João", ()),
        ("Sou a Juliana da Padaria Pão Quente", "Juliana", ()),
        ("sou a Maria da Silva", "Maria da Silva", ()),
        ("meu email é lia@x.com", None, ("lia@x.com",)),
        ("lia arroba acme ponto com ponto br", None, ("lia@acme.com.br",)),
    ],
)
def test_a_name_by_its_marker_or_beside_an_email(text, name, emails):
    found = extract(text)
    assert (found.name, found.emails) == (name, emails)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("oi, meu cnpj é 12.345.678/0001-95 e o sistema não emite nota", "O sistema não emite nota"),
        (
            "Bom dia! Sou a Lia Prado, cnpj 12.345.678/0001-95, email lia@acme.com.br. O boleto não gera",
            "O boleto não gera",
        ),
        ("CNPJ: 12345678000195 - impressora fiscal parou", "Impressora fiscal parou"),
        (
            "boa tarde, tudo bem? o sistema travou na NF-e (cnpj 12.345.678/0001-95)",
            "O sistema travou na NF-e",
        ),
        ("meu nome é João da Silva e não consigo acessar o portal", "Não consigo acessar o portal"),
        # A wrong CNPJ is part of what was told; a message of fields alone is kept whole.
        ("o cnpj 11.222.333/0001-80 não é aceito na nota", "O cnpj 11.222.333/0001-80 não é aceito na nota"),
        ("Oi, 12.345.678/0001-95", "Oi, 12.345.678/0001-95"),
    ],
)
def test_what_a_message_tells_beside_its_greeting_and_its_fields(text, problem):
    assert told(text, extract(text)) == problem


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("status do 12", (12,)),
        ("chamado nº 1234 ta parado", (1234,)),
        ("#12", (12,)),
        ("1041 alguma novidade?", (1041,)),
        ("atendimento 24 horas?", ()),
        ("3 dias sem sistema", ()),
    ],
)
def test_ticket_numbers_need_a_word_that_says_so(text, numbers):
    assert extract(text).ticket_numbers == numbers


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("quero falar com um atendente", (Intent.HUMAN,)),
        ("falar com alguém", (Intent.HUMAN,)),
        ("atendnete", (Intent.HUMAN,)),
        ("qria falar cm um atendete", (Intent.HUMAN,)),  # texting shorthand and a slip
        ("cancelar", (Intent.CANCEL,)),
        ("desisti, deixa pra lá", (Intent.CANCEL,)),
        ("não quero cancelar", ()),
        ("quero cancelar a nota fiscal 123", ()),
        ("esqueci a senha", (Intent.RECOVERY,)),
        ("recuperar", (Intent.RECOVERY,)),
        ("vc pode me ajudar? como funciona?", ()),
        ("como funciona?", (Intent.HELP,)),
        ("já falei com o atendente e nada", ()),
    ],
)
def test_intents_in_any_words(text, found):
    assert intents(words(text)) == found


def test_where_text_is_written_only_the_whole_message_is_an_intent():
    assert intents(words("quero falar com um atendente"), whole_only=True) == (Intent.HUMAN,)
    assert intents(words("falei com o atendente e ele pediu o print"), whole_only=True) == ()


def test_a_slip_is_one_edit_up_to_seven_letters_and_two_from_eight():
    assert [tolerance(word) for word in ("ok", "erro", "duvida", "mensagem")] == [0, 1, 1, 2]
    assert distance("duvdia", "duvida") == 1  # two letters swapped: one slip
    assert close_to("duvda", "duvida") and close_to("menssagen", "mensagem")
    assert not close_to("er", "erro") and not close_to("duvda", "dúvida") and not close_to("errro", "ok")


@pytest.mark.parametrize(
    ("typed", "choice"),
    [
        ("duvda", Choice(picked="1")),
        ("eroo", Choice(picked="2")),
        ("solisitação", Choice(picked="3")),
        ("dvda", Choice(suggested="1")),
        ("xyz", Choice()),
    ],
)
def test_a_menu_word_with_a_slip_is_taken_or_offered_back(typed, choice):
    assert choose(typed, TYPES) == choice


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("⭐⭐⭐⭐", 4),
        ("nota 4", 4),
        ("quatro", 4),
        ("4 estrelas", 4),
        ("5/5", 5),
        ("4", 4),
        ("4️⃣", 4),
        ("nota 10", 5),
        ("cincoo", 5),
        ("Excelente!", 5),  # the question names its ends: 1 (muito ruim), 5 (excelente)
        ("muito ruim", 1),
        ("obrigado", None),
        ("nota 7", None),
        ("⭐⭐⭐⭐⭐⭐", None),
    ],
)
def test_ratings_as_people_give_them(text, rating):
    assert rating_in(text) == rating


@pytest.mark.parametrize("filler", [" ,", " e", "\n", " (", "oi "])
def test_a_message_as_long_as_whatsapp_allows_is_read_at_once_whatever_it_repeats(filler):
    """A pattern that backtracks over a long run (a trailing run of separators did) hangs the
    phone's queue; the alarm fails the test instead of hanging it."""
    text = "cnpj 12.345.678/0001-95 a" + filler * (65_536 // len(filler) - 20) + "x"
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading took over 5 s"))
    signal.alarm(5)
    try:
        assert told(text, extract(text))
    finally:
        signal.alarm(0)
