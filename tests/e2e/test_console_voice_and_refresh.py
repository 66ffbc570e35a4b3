"""The console's ticket desk (issue 29): a voice note is played under its transcript with its
length (never named by its stored file), and the open ticket and the list refresh together, also
while a search is shown."""

from __future__ import annotations

import secrets

import pytest
import requests
from selenium.webdriver.common.by import By

from local.testing.whatsapp import open_ticket, register, say, say_by_voice, ticket_number_in
from tests.e2e.console import admin_headers, eventually, open_ticket_row, screenshot
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import random_phone

pytestmark = pytest.mark.browser


def search(browser, words: str) -> None:
    box = browser.find_element(By.ID, "ticket-search")
    box.clear()
    box.send_keys(words)
    browser.find_element(By.ID, "ticket-search-button").click()


def test_a_voice_note_plays_under_its_transcript_with_its_length(local_stack, console_admin, browser):
    phone = random_phone("5511969")
    register(local_stack, phone, "Rui Áudio", "rui.audio@cliente.com.br")
    for body in ("0", "Impressora do estoque", "2"):
        say(local_stack, phone, body)
    word = f"etiqueta{secrets.token_hex(3)}"
    say_by_voice(local_stack, phone, f"A {word} saiu torta", 7)
    number = ticket_number_in(say(local_stack, phone, "Fim"))

    def transcribed() -> bool:
        ticket = requests.get(
            f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
        ).json()
        return bool(ticket["actions"][0]["attachments"][0]["transcript"])

    eventually(transcribed, timeout=30)
    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    search(browser, word)
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.CSS_SELECTOR, "#ticket-panel .transcript"), timeout=20)
    screenshot(browser, "console-voice-note")
    player = browser.find_element(By.CSS_SELECTOR, "#ticket-panel .voice-note audio")
    assert browser.find_element(By.CSS_SELECTOR, "#ticket-panel .voice-note .duration").text == "0:07"
    below = browser.execute_script(
        "const t = document.querySelector('#ticket-panel .transcript');"
        "return !!(t.compareDocumentPosition(arguments[0]) & Node.DOCUMENT_POSITION_FOLLOWING);",
        player,
    )
    assert below
    eventually(lambda: browser.execute_script("return arguments[0].readyState >= 1", player), timeout=15)
    assert ".oga" not in browser.find_element(By.ID, "ticket-panel").text


def test_the_open_ticket_and_the_list_refresh_together_during_a_search(local_stack, console_admin, browser):
    phone = random_phone("5511934")
    register(local_stack, phone, "Ana Lista", "ana.lista@cliente.com.br")
    title = f"Lista atrasada {secrets.token_hex(2)}"
    number = open_ticket(local_stack, phone, title, "A lista não acompanha o painel.")
    waiting = requests.post(
        f"{local_stack.url}/admin/tickets/{number}/actions",
        json={"text": "Pode mandar um print?", "status": "Aguardando cliente"},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert waiting.status_code == 201, waiting.text

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    search(browser, title)
    open_ticket_row(browser, number)
    row = f'#tickets-table tr[data-number="{number}"]'
    eventually(lambda: "Aguardando cliente" in browser.find_element(By.CSS_SELECTOR, row).text)

    for body in (str(number), "1", "Segue o print.", "Fim"):  # the requester answers on WhatsApp
        say(local_stack, phone, body)
    browser.execute_script("window.dispatchEvent(new Event('focus'))")
    eventually(lambda: browser.find_element(By.ID, "ticket-status").text == "Em atendimento", timeout=25)
    eventually(lambda: "Em atendimento" in browser.find_element(By.CSS_SELECTOR, row).text, timeout=5)
