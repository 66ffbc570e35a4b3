import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.phone import is_bsuid, jid_phone, normalize_bsuid, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5511987654321", "5511987654321"),  # canonical mobile
        ("551187654321", "5511987654321"),  # same mobile without the 9th digit
        ("553187654321", "5531987654321"),
        ("556196543210", "5561996543210"),  # local number starting with 9 (no 9th digit yet)
        ("551132654321", "551132654321"),  # landline (2-5) kept
        ("554133221100", "554133221100"),
        ("+55 (11) 98765-4321", "5511987654321"),
        ("5511987654321@s.whatsapp.net", "5511987654321"),
        ("551187654321@s.whatsapp.net", "5511987654321"),
        ("5511987654321:12@s.whatsapp.net", "5511987654321"),  # device suffix
        ("14155550123", "14155550123"),  # not Brazilian: digits kept
        ("351912345678", "351912345678"),  # Portugal, 12 digits, not touched
        (5511987654321, "5511987654321"),
        ("", None),
        ("abc", None),
        ("1234", None),
        ("1234567890123456", None),  # longer than E.164
        (None, None),
        (True, None),
        (["5511987654321"], None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_with_and_without_ninth_digit_are_one_requester():
    assert normalize_phone("551187654321") == normalize_phone("5511987654321")


@pytest.mark.parametrize(
    ("jid", "expected"),
    [
        ("5511987654321@s.whatsapp.net", "5511987654321"),
        ("551187654321@s.whatsapp.net", "5511987654321"),
        ("5511987654321@c.us", "5511987654321"),
        ("120363025246125888@g.us", None),
        ("status@broadcast", None),
        ("120363199999999999@newsletter", None),
        ("187741095198785@lid", None),
        ("5511987654321", None),  # not a JID
        (None, None),
        (42, None),
    ],
)
def test_jid_phone(jid, expected):
    assert jid_phone(jid) == expected


@given(st.text(max_size=40))
def test_normalize_phone_never_fails(raw):
    result = normalize_phone(raw)
    assert result is None or (result.isdigit() and 8 <= len(result) <= 15)


@given(st.from_regex(r"55[1-9][1-9][6-9][0-9]{7}", fullmatch=True))
def test_old_mobiles_gain_the_ninth_digit(raw):
    result = normalize_phone(raw)
    assert result == raw[:4] + "9" + raw[4:]
    assert normalize_phone(result) == result  # idempotent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BR.13491208655302741918", "BR.13491208655302741918"),
        ("br.13491208655302741918", "BR.13491208655302741918"),  # typed as a portal login
        (" US.ENT.11815799212886844830 ", "US.ENT.11815799212886844830"),
        ("us.ent.11815799212886844830", "US.ENT.11815799212886844830"),
        ("5511987654321", None),
        ("lid:123", None),
        ("BR13491208655302741918", None),
        ("BRA.1349", None),
        ("BR.", None),
        ("BR.1349 1208", None),
        (None, None),
        (55, None),
    ],
)
def test_normalize_bsuid(raw, expected):
    assert normalize_bsuid(raw) == expected
    assert is_bsuid(expected) if expected else not is_bsuid(raw)
