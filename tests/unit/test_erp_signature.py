"""The ERP signing scheme and event parser, pure (no AWS)."""

import hashlib
import hmac

import pytest

from helpdesk.logic import erp

BODY = b'{"event_id":"x"}'


def test_the_signature_is_the_documented_hmac_of_timestamp_dot_body():
    expected = hmac.new(b"s3cr3t", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    headers = erp.sign(BODY, "s3cr3t", 1700000000)
    assert headers == {"X-Timestamp": "1700000000", "X-Signature": f"sha256={expected}"}
    # docs/erp.md's curl recipe gives this value for the same input
    assert expected == "a716f5081affcd0f1feeb72fffb60b60636893e090214a9f3f78740ac346849a"


def test_a_signed_body_verifies_within_the_window_with_any_header_case():
    headers = {k.lower(): v for k, v in erp.sign(BODY, "s3cr3t", 1000).items()}
    erp.verify_signature(BODY, headers, "s3cr3t", now=1000 + 300)
    erp.verify_signature(BODY, erp.sign(BODY, "s3cr3t", 1000), "s3cr3t", now=1000 - 300)


@pytest.mark.parametrize(
    ("body", "secret", "now"),
    [
        (BODY, "other", 1000),  # forged
        (b'{"event_id":"y"}', "s3cr3t", 1000),  # tampered
        (BODY, "s3cr3t", 1301),  # stale
        (BODY, "s3cr3t", 699),  # from the future
    ],
)
def test_forged_tampered_or_stale_requests_are_unauthorized(body, secret, now):
    with pytest.raises(erp.Unauthorized):
        erp.verify_signature(body, erp.sign(BODY, "s3cr3t", 1000), secret, now=now)


def test_without_a_configured_secret_everything_is_refused():
    with pytest.raises(erp.Unauthorized):
        erp.verify_signature(BODY, erp.sign(BODY, "", 1000), "", now=1000)


def test_parsing_names_the_first_wrong_field():
    with pytest.raises(erp.InvalidEvent) as error:
        erp.parse_event(b'{"event_id": "a", "type": "ticket.status_changed", "ticket_number": 7}')
    assert error.value.field == "status"


def test_a_closing_without_a_status_leaves_it_to_the_managed_list_and_has_an_empty_note():
    event = erp.parse_event(b'{"event_id": "a", "type": "ticket.closed", "ticket_number": "7"}')
    assert (event.ticket_number, event.status, event.text) == (7, None, "")
    assert event.author_name == "Equipe de suporte"
