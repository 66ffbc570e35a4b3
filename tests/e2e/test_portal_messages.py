"""The portal shows a ticket's messages as WhatsApp showed them to the requester: a voice note is
played in place with its length, under its transcript, and a message they deleted for everyone
reads "Você apagou esta mensagem" (the team still sees its content in the console)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By

from local.testing.whatsapp import (
    evolution_text,
    register,
    replies,
    say,
    say_by_voice,
    send,
    ticket_number_in,
)
from tests.e2e.console import admin_headers, eventually, screenshot
from tests.e2e.test_portal import portal_login

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "evolution"


def deletion(phone: str, target: str) -> dict:
    payload = json.loads((SAMPLES / "messages-delete.json").read_text())
    payload["data"].update(remoteJid=f"{phone}@s.whatsapp.net", id=target)
    return payload


def actions_of(stack, number: int) -> list[dict]:
    response = requests.get(f"{stack.url}/admin/tickets/{number}", headers=admin_headers(stack), timeout=10)
    return response.json()["actions"]


def open_in_portal(browser, stack, number: int) -> None:
    browser.get(f"{stack.url}/portal#/tickets/{number}")
    eventually(lambda: browser.find_element(By.ID, "ticket-number").text == f"#{number}", timeout=30)


def test_a_voice_note_plays_under_its_transcript_and_a_deleted_message_reads_as_deleted(local_stack, browser):
    phone = "5511977773" + "".join(secrets.choice("0123456789") for _ in range(3))
    user, password = register(local_stack, phone, "Vivi Voz", f"vivi.{phone}@example.com")

    # A ticket described by a voice note of 7 seconds.
    for body in ("0", "Impressora do financeiro", "2"):
        say(local_stack, phone, body)
    said = "A impressora do financeiro parou"
    assert any("Recebi seu áudio (0:07) ✅" in reply for reply in say_by_voice(local_stack, phone, said, 7))
    voice = ticket_number_in(say(local_stack, phone, "Fim"))
    eventually(lambda: actions_of(local_stack, voice)[0]["attachments"][0]["transcript"], timeout=30)

    # A ticket whose description the requester then deletes for everyone.
    for body in ("0", "Nota fiscal", "2"):
        say(local_stack, phone, body)
    message_id = f"E2E-DEL-{phone}"
    assert send(local_stack, evolution_text(phone, message_id, "Senha 1234 por engano")).status_code == 200
    eventually(lambda: "Fim" in " ".join(replies(local_stack, phone)[-1:]))
    gone = ticket_number_in(say(local_stack, phone, "Fim"))
    assert send(local_stack, deletion(phone, message_id)).status_code == 200
    eventually(lambda: actions_of(local_stack, gone)[0]["deleted_by_requester_at"], timeout=20)

    portal_login(browser, local_stack, user, password)
    eventually(lambda: browser.find_element(By.ID, "tickets-view").is_displayed(), timeout=30)
    open_in_portal(browser, local_stack, voice)
    eventually(lambda: browser.find_element(By.CSS_SELECTOR, "#actions .transcript"), timeout=30)
    screenshot(browser, "portal-voice-note")
    player = eventually(lambda: browser.find_element(By.CSS_SELECTOR, "#actions .voice-note audio"))
    assert browser.find_element(By.CSS_SELECTOR, "#actions .voice-note .duration").text == "0:07"
    # Under the transcript, and it loads (the page's CSP lets the bucket's audio in).
    below = browser.execute_script(
        "const t = document.querySelector('#actions .transcript');"
        "return !!(t.compareDocumentPosition(arguments[0]) & Node.DOCUMENT_POSITION_FOLLOWING);",
        player,
    )
    assert below
    eventually(lambda: browser.execute_script("return arguments[0].readyState >= 1", player), timeout=15)
    assert not browser.find_elements(By.PARTIAL_LINK_TEXT, ".oga")  # never by its file name

    open_in_portal(browser, local_stack, gone)
    eventually(lambda: browser.find_element(By.CSS_SELECTOR, "#actions li.requester"), timeout=30)
    screenshot(browser, "portal-deleted-message")
    opening = browser.find_element(By.CSS_SELECTOR, "#actions li.requester").text
    assert "Você apagou esta mensagem" in opening and "Senha 1234" not in opening
    assert actions_of(local_stack, gone)[0]["text"] == "Senha 1234 por engano"  # kept for the team
