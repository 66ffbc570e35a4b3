"""What a table stream record changes in the tickets per status (the dashboard's open tickets)."""

from __future__ import annotations

from helpdesk.storage.stats import status_change


def image(entity: str, status: str | None = None) -> dict:
    found = {"entity": {"S": entity}}
    if status is not None:
        found["status"] = {"S": status}
    return found


def record(event_name: str, old: dict | None, new: dict | None) -> dict:
    change = {"SequenceNumber": "1"}
    if old is not None:
        change["OldImage"] = old
    if new is not None:
        change["NewImage"] = new
    return {"eventName": event_name, "dynamodb": change}


def test_a_new_ticket_adds_one_to_its_status():
    assert status_change(record("INSERT", None, image("ticket", "Aberto"))) == {"Aberto": 1}


def test_a_status_change_moves_one_ticket_and_other_changes_count_nothing():
    moved = record("MODIFY", image("ticket", "Aberto"), image("ticket", "Encerrado"))
    assert status_change(moved) == {"Aberto": -1, "Encerrado": 1}
    answered = record("MODIFY", image("ticket", "Aberto"), image("ticket", "Aberto"))
    assert status_change(answered) == {}


def test_a_deleted_ticket_takes_one_off():
    assert status_change(record("REMOVE", image("ticket", "Reaberto"), None)) == {"Reaberto": -1}


def test_other_items_count_nothing():
    assert status_change(record("MODIFY", image("conversation"), image("conversation"))) == {}
    assert status_change(record("INSERT", None, image("action", "Encerrado"))) == {}


def test_a_status_that_cannot_be_a_key_never_blocks_the_batch():
    assert status_change(record("INSERT", None, image("ticket", " "))) == {}
    long = "x" * 2000
    assert status_change(record("INSERT", None, image("ticket", long))) == {"x" * 250: 1}
