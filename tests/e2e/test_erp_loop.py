"""The ERP loop on the local stack: a requester opens a ticket on WhatsApp (the simulator), the ERP
answers through a signed POST /erp/events, the notifier brings the answer back to WhatsApp."""

from __future__ import annotations

import json
import time

import requests

from helpdesk.logic import erp
from local.testing.waiting import eventually
from local.testing.whatsapp import open_ticket, register, replies

PHONE = "5511955550042"


def post_erp_event(stack, event: dict, secret: str | None = None) -> requests.Response:
    body = json.dumps(event).encode()
    headers = {"Content-Type": "application/json", **erp.sign(body, secret or stack.erp_secret)}
    return requests.post(f"{stack.url}/erp/events", data=body, headers=headers, timeout=10)


def test_the_requester_sees_the_agents_answer_from_the_erp(local_stack):
    register(local_stack, PHONE, "Ana Souza", "ana@example.com")
    number = open_ticket(
        local_stack, PHONE, "Impressora não imprime", "A impressora do financeiro parou.", "1"
    )

    closing = {"event_id": "e2e-forged", "type": "ticket.closed", "ticket_number": number}
    forged = post_erp_event(local_stack, closing, secret="forged")
    assert forged.status_code == 401

    event = {
        "event_id": f"e2e-{number}-1",
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": "Troque o cartucho e teste de novo, por favor.",
    }
    response = post_erp_event(local_stack, event)
    assert response.status_code == 200, response.text
    assert post_erp_event(local_stack, event).status_code == 200  # redelivered: accepted once

    notified = eventually(
        lambda: [a for a in replies(local_stack, PHONE) if "Troque o cartucho" in a], timeout=20
    )
    assert len(notified) == 1
    [text] = notified
    assert f"Atendimento {number}" in text and "Impressora não imprime" in text and "Carlos Lima" in text
    assert f"digite *{number}*" in text  # the requester is at the tickets list, not on this ticket

    time.sleep(1.5)  # a duplicate would have arrived by now
    assert len([a for a in replies(local_stack, PHONE) if "Troque o cartucho" in a]) == 1
