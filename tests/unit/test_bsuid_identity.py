"""Requesters known by business-scoped user ID (Cloud API, no phone): what leaves for the ERP, what
reaches the logs, what a portal login accepts."""

from __future__ import annotations

from helpdesk.logic.erp_outbound import outbound_event
from helpdesk.logic.portal import normalize_username
from helpdesk.logs import mask_phone, mask_text

BSUID = "BR.13491208655302741918"


def test_a_ticket_of_a_bsuid_requester_reaches_the_erp_with_a_null_phone():
    image = {"entity": "ticket", "number": 7, "title": "Erro", "requester_phone": BSUID}
    data = outbound_event(image)["data"]
    assert (data["requester_phone"], data["requester_bsuid"]) == (None, BSUID)


def test_a_phone_requester_keeps_its_phone_and_its_bsuid_when_known():
    requester = {"entity": "requester", "phone": "5511987654321", "name": "Maria", "bsuid": "BR.2057"}
    event = outbound_event(requester)
    assert event["event_id"] == "requester.created:5511987654321"
    assert (event["data"]["phone"], event["data"]["bsuid"]) == ("5511987654321", "BR.2057")
    ticket = outbound_event({"entity": "ticket", "number": 8, "requester_phone": "5511987654321"})
    assert (ticket["data"]["requester_phone"], ticket["data"]["requester_bsuid"]) == ("5511987654321", None)


def test_a_bsuid_requester_created_event():
    requester = {
        "entity": "requester",
        "phone": BSUID,
        "bsuid": BSUID,
        "whatsapp_username": "@carla.dias",
        "name": "Carla Dias",
        "password_hash": "scrypt$...",
        "username": BSUID,
    }
    data = outbound_event(requester)["data"]
    assert data == {
        "phone": None,
        "bsuid": BSUID,
        "whatsapp_username": "@carla.dias",
        "name": "Carla Dias",
    }


def test_bsuids_are_masked_in_logs():
    assert mask_phone(BSUID) == "BR.1" + "*" * 17 + "18"
    masked = mask_text(f"de {BSUID} e US.ENT.11815799212886844830 para 5511987654321")
    assert BSUID not in masked and "11815799212886844830" not in masked and "5511987654321" not in masked
    assert masked.startswith("de BR.***** e US.ENT.***** para ")


def test_a_bsuid_is_a_portal_user_whatever_the_case_of_its_country():
    assert normalize_username(" br.13491208655302741918 ") == BSUID
    assert normalize_username("+55 (11) 98765-4321") == "5511987654321"
    assert normalize_username("LID:123") == "lid:123"
