"""Issue 22 on the local stack: a requester edits and deletes, over the Evolution webhook as a real
server posts them, a message already on a ticket; the console's ticket shows both, and the bot
answers neither."""

import json
from pathlib import Path

import requests

from local.testing.waiting import eventually
from local.testing.whatsapp import evolution_text, register, replies, say, send, ticket_number_in
from tests.e2e.console import admin_headers

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "evolution"


def sample(name: str, phone: str, target: str) -> dict:
    payload = json.loads((SAMPLES / f"{name}.json").read_text())
    key = payload["data"] if name == "messages-delete" else payload["data"]["key"]
    key.update(remoteJid=f"{phone}@s.whatsapp.net", id=target)
    return payload


def test_an_edit_and_a_delete_of_a_message_on_a_ticket_reach_the_console_unanswered(local_stack):
    phone = "5511900002201"
    register(local_stack, phone, "Rita Lima", "rita@cliente.com.br")
    for body in ("0", "Nota fiscal", "2"):
        say(local_stack, phone, body)
    assert (
        send(local_stack, evolution_text(phone, "E2E-I22-DESC", "O sistema nao emite nota")).status_code
        == 200
    )
    eventually(lambda: "Fim" in " ".join(replies(local_stack, phone)[-1:]))
    number = ticket_number_in(say(local_stack, phone, "Fim"))
    answered = len(replies(local_stack, phone))

    assert send(local_stack, sample("messages-edited", phone, "E2E-I22-DESC")).status_code == 200
    assert send(local_stack, sample("messages-delete", phone, "E2E-I22-DESC")).status_code == 200

    def ticket():
        response = requests.get(
            f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
        )
        actions = response.json()["actions"]
        done = len(actions) == 2 and actions[0]["deleted_by_requester_at"]
        return actions if done else None

    opening, edit = eventually(ticket, timeout=20)
    assert opening["text"] == "O sistema nao emite nota"  # the content stays for the team
    assert edit["text"] == "(editado) O sistema não emite a nota fiscal"
    assert len(replies(local_stack, phone)) == answered
