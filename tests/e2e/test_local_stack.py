"""The local stack end to end: a webhook in, the processor's reply at the simulator."""

import requests

from tests.support.waiting import eventually
from tests.support.whatsapp import evolution_text, replies, send


def test_a_webhook_reaches_the_processor_and_the_reply_reaches_the_simulator(local_stack):
    phone = "5511900000001"
    assert send(local_stack, evolution_text(phone, "E2E-1", "oi")).status_code == 200
    answers = eventually(lambda: replies(local_stack, phone))
    assert any("CNPJ" in text for text in answers)


def test_a_forged_webhook_is_refused_and_nothing_is_answered(local_stack):
    phone = "5511900000002"
    response = requests.post(
        f"{local_stack.url}/webhooks/evolution",
        json=evolution_text(phone, "E2E-2", "oi"),
        headers={"x-webhook-token": "forged"},
        timeout=10,
    )
    assert response.status_code == 401
    assert replies(local_stack, phone) == []


def test_admin_routes_need_the_token(local_stack):
    assert requests.get(f"{local_stack.url}/admin/instances", timeout=10).status_code == 401
