"""Conversations as people write them, on the local stack through real Evolution `messages.upsert`
webhooks (issue 12): a description in several messages, a captioned screenshot and a voice note where
the description is asked, and a reply quoting the notification of an agent's answer (`contextInfo`)."""

from __future__ import annotations

import base64
import json
import re

import requests

from local.testing.waiting import eventually
from local.testing.whatsapp import EVOLUTION_SAMPLES as SAMPLES
from local.testing.whatsapp import register, replies, say, send
from tests.e2e.test_erp_loop import post_erp_event

PHONE = "5511955550077"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII="
)
OGG = b"OggS" + b"\x00" * 60


def sample(name: str, message_id: str) -> dict:
    payload = json.loads((SAMPLES / name).read_text())
    payload["data"]["key"].update(remoteJid=f"{PHONE}@s.whatsapp.net", id=message_id)
    return payload


def captioned_screenshot(message_id: str, caption: str) -> dict:
    payload = sample("messages-upsert-image-base64.json", message_id)
    payload["data"]["message"]["imageMessage"]["caption"] = caption
    return payload


def voice_note(message_id: str) -> dict:
    payload = sample("messages-upsert-audio-ptt.json", message_id)
    payload["data"]["message"]["audioMessage"]["fileLength"] = str(len(OGG))
    payload["data"]["message"]["base64"] = base64.b64encode(OGG).decode()
    return payload


def quoted_reply(message_id: str, text: str, quoted_id: str) -> dict:
    payload = sample("messages-upsert-extended-text.json", message_id)
    context = payload["data"]["message"]["extendedTextMessage"]["contextInfo"]
    payload["data"]["message"]["extendedTextMessage"]["text"] = text
    context.update(stanzaId=quoted_id, quotedMessage={"conversation": "🔔 Atendimento"})
    return payload


def deliver(stack, payload: dict, expect: str) -> str:
    """Sends one webhook and waits for the reply containing `expect`."""
    before = len(replies(stack, PHONE))
    assert send(stack, payload).status_code == 200
    return eventually(
        lambda: next((r for r in replies(stack, PHONE)[before:] if expect in r), None), timeout=20
    )


def messages(stack) -> list[dict]:
    response = requests.get(f"{stack.url}/simulator/api/messages", params={"phone": PHONE}, timeout=10)
    return response.json()["messages"]


def test_split_text_files_where_text_is_asked_and_a_quoted_reply(local_stack):
    register(local_stack, PHONE, "Bia Lima", "bia@example.com")
    say(local_stack, PHONE, "0")
    say(local_stack, PHONE, "Nota fiscal não sai")
    say(local_stack, PHONE, "1")

    # 2: a captioned screenshot answers the description, a voice note follows it
    received = deliver(local_stack, captioned_screenshot("E2E-CONV-IMG", "Erro 500 ao emitir"), "Recebi")
    assert "*Fim*" in received
    # 1: more text is added, not thrown away
    assert any("Anotado" in r for r in say(local_stack, PHONE, "desde as 9h"))
    deliver(local_stack, voice_note("E2E-CONV-PTT"), "2 arquivos")
    created = next(r for r in say(local_stack, PHONE, "Fim") if "criado" in r)
    number = int(re.search(r"Atendimento \*(\d+)\*", created).group(1))
    detail = " ".join(say(local_stack, PHONE, str(number)))
    assert "_Erro 500 ao emitir\ndesde as 9h_" in detail and "📎 2 anexos" in detail
    say(local_stack, PHONE, "sair")

    # 5: the agent answers; the requester replies to that notification the WhatsApp way
    event = {
        "event_id": f"e2e-conv-{number}",
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": "Pode tentar de novo agora?",
    }
    assert post_erp_event(local_stack, event).status_code == 200
    notification = eventually(
        lambda: next((m for m in messages(local_stack) if "Pode tentar de novo" in (m["text"] or "")), None),
        timeout=20,
    )
    answer = deliver(
        local_stack,
        quoted_reply("E2E-CONV-QUOTE", "Ainda dá erro 500", f"sim-{notification['seq']}"),
        f"atendimento *{number}*",
    )
    assert "Sua resposta vai para" in answer
    assert any(f"registrada no atendimento *{number}*" in r for r in say(local_stack, PHONE, "Fim"))
    say(local_stack, PHONE, "2")
    assert "_Ainda dá erro 500_" in " ".join(say(local_stack, PHONE, str(number)))
