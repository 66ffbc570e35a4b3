"""The local stack end to end: a webhook in, the processor's reply at the simulator."""

import json
from pathlib import Path

import requests

from tests.e2e.conftest import eventually

SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "evolution"


def send(stack, payload: dict) -> requests.Response:
    return requests.post(
        f"{stack.url}/webhooks/evolution", json=payload, headers={"x-webhook-token": stack.webhook_token}, timeout=10
    )


def replies(stack, phone: str) -> list[str]:
    response = requests.get(f"{stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10)
    return [m["text"] for m in response.json()["messages"]]


def text_message(phone: str, message_id: str, text: str) -> dict:
    payload = json.loads((SAMPLES / "messages-upsert-text.json").read_text())
    payload["data"]["key"].update(remoteJid=f"{phone}@s.whatsapp.net", id=message_id)
    payload["data"]["message"] = {"conversation": text}
    return payload


def test_a_webhook_reaches_the_processor_and_the_reply_reaches_the_simulator(local_stack):
    phone = "5511900000001"
    assert send(local_stack, text_message(phone, "E2E-1", "oi")).status_code == 200
    answers = eventually(lambda: replies(local_stack, phone))
    assert any("CNPJ" in text for text in answers)


def test_a_forged_webhook_is_refused_and_nothing_is_answered(local_stack):
    phone = "5511900000002"
    response = requests.post(
        f"{local_stack.url}/webhooks/evolution", json=text_message(phone, "E2E-2", "oi"),
        headers={"x-webhook-token": "forged"}, timeout=10,
    )
    assert response.status_code == 401
    assert replies(local_stack, phone) == []


def test_admin_routes_need_the_token(local_stack):
    assert requests.get(f"{local_stack.url}/admin/instances", timeout=10).status_code == 401
