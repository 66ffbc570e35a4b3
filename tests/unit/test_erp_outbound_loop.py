"""The ERP's events for closing the loop, from the stream images the turn writes (no I/O)."""

from helpdesk.logic.erp_outbound import outbound_event, wanted
from helpdesk.storage import tickets

BASE = {
    "entity": "action",
    "author_kind": "requester",
    "author_name": "Ana Souza",
    "action_id": "wa-ABC",
    "ticket_number": 1042,
    "source": "whatsapp",
    "requester_phone": "5511987654321",
    "instance": "suporte",
    "created_at": "2026-03-10T15:30:00.000000+0000",
    "attachments": [],
}


def test_a_reopening_is_ticket_reopened():
    image = {**BASE, "kind": "status", "status": "Reaberto", "text": "Reaberto pelo solicitante"}
    assert wanted(image)
    event = outbound_event(image)
    assert (event["type"], event["event_id"]) == ("ticket.reopened", "ticket.reopened:wa-ABC")
    assert event["data"]["status"] == "Reaberto" and event["data"]["ticket_number"] == 1042
    assert event["occurred_at"] == "2026-03-10T15:30:00+00:00"


def test_a_rating_is_ticket_rated_with_its_comment_or_none():
    event = outbound_event({**BASE, "kind": "rating", "rating": 4, "text": "Bom"})
    assert (event["type"], event["data"]["rating"], event["data"]["comment"]) == ("ticket.rated", 4, "Bom")
    assert "text" not in event["data"]
    assert outbound_event({**BASE, "kind": "rating", "rating": 2, "text": ""})["data"]["comment"] is None


def test_a_ticket_tells_whether_it_was_opened_out_of_hours(monkeypatch):
    monkeypatch.setattr(tickets, "opening_files", lambda number: [])  # the table is not at hand
    ticket = {
        "entity": "ticket",
        "number": 7,
        "title": "t",
        "opened_out_of_hours": True,
        "password_hash": "x",
    }
    event = outbound_event(ticket)
    assert event["data"]["opened_out_of_hours"] is True and "password_hash" not in event["data"]
