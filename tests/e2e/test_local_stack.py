"""The local stack end to end: a webhook in, the processor's reply at the simulator."""

import secrets

import requests

from local.testing.waiting import eventually
from local.testing.whatsapp import evolution_text, replies, send
from tests.e2e.console import admin_headers


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


def test_an_invited_admin_s_temporary_password_reaches_the_local_mailbox(local_stack):
    # moto runs in a process of its own: the invitation it "e-mails" must still reach the stack's page.
    email = f"ana-{secrets.token_hex(3)}@example.com"
    invited = requests.post(
        f"{local_stack.url}/admin/admins",
        json={"email": email},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert invited.status_code == 201, invited.text
    mail = requests.get(f"{local_stack.url}/local/mail", params={"to": email}, timeout=10).json()["items"]
    assert [m["to"] for m in mail] == [email]
    assert len(mail[0]["temporary_password"]) >= 12
