import pytest

from helpdesk.domain.cnpj import check_digits, format_cnpj, is_valid, normalize
from helpdesk.domain.text import fold, is_valid_email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11.222.333/0001-81", "11222333000181"),
        ("11222333000181", "11222333000181"),
        (" 11 222 333 0001 81 ", "11222333000181"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
        ("1122233300018", None),  # 13 characters
        ("112223330001811", None),  # 15
        ("11.222.333/0001-8!", None),
        ("oi", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "cnpj",
    ["11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35", "12abc34501de35", "AB.12C.D34/EF56-02"],
)
def test_valid(cnpj):
    assert is_valid(cnpj)


@pytest.mark.parametrize(
    "cnpj",
    [
        "11.222.333/0001-80",  # wrong second digit
        "11.222.333/0001-91",  # wrong first digit
        "12.ABC.345/01DE-36",
        "12.ABC.345/01DE-3A",  # check digits are numeric
        "00000000000000",
        "11111111111111",
        "AAAAAAAAAAAAAA",
        "1122233300018",
        "",
        None,
    ],
)
def test_invalid(cnpj):
    assert not is_valid(cnpj)


def test_alphanumeric_check_digits_follow_the_receita_example():
    # A = ord("A") - 48 = 17; weights 5,4,3,2,9,8,7,6,5,4,3,2 then 6,5,...,2.
    assert check_digits("12ABC34501DE") == "35"
    assert check_digits("112223330001") == "81"
    alphanumeric = "Z9Y8X7W6V5U4" + check_digits("Z9Y8X7W6V5U4")
    assert is_valid(alphanumeric)
    assert alphanumeric == "Z9Y8X7W6V5U429"


def test_format():
    assert format_cnpj("11222333000181") == "11.222.333/0001-81"
    assert format_cnpj("12abc34501de35") == "12.ABC.345/01DE-35"
    assert format_cnpj("oi") == "oi"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [(" SAÍR ", "sair"), ("Fím", "fim"), ("FIM", "fim"), ("  Não   sei ", "nao sei"), ("", ""), (None, "")],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "email", ["maria@acme.com.br", "maria.souza+ti@acme.com", " joao_1@sub.acme.io ", "a@b.co"]
)
def test_valid_email(email):
    assert is_valid_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "maria",
        "maria@",
        "@acme.com",
        "maria@acme",
        "maria@@acme.com",
        "ma ria@acme.com",
        "maria..s@acme.com",
        ".maria@acme.com",
        "maria@-acme.com",
        "maria@acme.c",
        "",
        None,
        "a" * 250 + "@acme.com",
    ],
)
def test_invalid_email(email):
    assert not is_valid_email(email)
