"""A requester on the local stack: real Evolution webhooks in, the simulator's outbox read back."""

from __future__ import annotations

import itertools
import json
import re
import time
from pathlib import Path

import requests

from tests.e2e.conftest import eventually

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "evolution"
DEMO_CNPJ = "11.222.333/0001-81"
_ids = itertools.count(1)


def text_message(phone: str, message_id: str, text: str) -> dict:
    payload = json.loads((SAMPLES / "messages-upsert-text.json").read_text())
    payload["data"]["key"].update(remoteJid=f"{phone}@s.whatsapp.net", id=message_id)
    payload["data"]["message"] = {"conversation": text}
    return payload


def send(stack, payload: dict) -> requests.Response:
    return requests.post(
        f"{stack.url}/webhooks/evolution",
        json=payload,
        headers={"x-webhook-token": stack.webhook_token},
        timeout=10,
    )


def replies(stack, phone: str) -> list[str]:
    response = requests.get(f"{stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10)
    return [m["text"] for m in response.json()["messages"]]


def say(stack, phone: str, text: str) -> list[str]:
    """Sends one message and returns the replies of its turn, once no more arrive for a moment."""
    before = len(replies(stack, phone))
    assert send(stack, text_message(phone, f"E2E-{phone}-{next(_ids)}", text)).status_code == 200
    answers = eventually(lambda: replies(stack, phone)[before:], timeout=20)
    while True:
        time.sleep(0.3)
        latest = replies(stack, phone)[before:]
        if len(latest) == len(answers):
            return answers
        answers = latest


def register(stack, phone: str, name: str, email: str) -> tuple[str, str]:
    """A first contact with the demo company; returns the portal user and password sent."""
    say(stack, phone, "oi")
    say(stack, phone, DEMO_CNPJ)
    say(stack, phone, name)
    say(stack, phone, email)
    credentials = eventually(lambda: next((r for r in replies(stack, phone) if "Senha:" in r), None))
    return (
        re.search(r"Usuário: \*(\S+)\*", credentials).group(1),
        re.search(r"Senha: \*(\S+)\*", credentials).group(1),
    )


def open_ticket(stack, phone: str, subject: str, description: str, type_option: str = "2") -> int:
    """From the tickets menu: a new ticket with no files; returns its number."""
    say(stack, phone, "0")
    say(stack, phone, subject)
    say(stack, phone, type_option)
    say(stack, phone, description)
    created = next(r for r in say(stack, phone, "Fim") if "criado" in r)
    return int(re.search(r"Atendimento \*(\d+)\*", created).group(1))
