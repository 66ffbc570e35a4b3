"""Voice notes on the local stack: a voice note sent through the Evolution webhook becomes a
ticket's description once the local Amazon Transcribe stand-in has "heard" it; the console finds
the ticket by its words and shows the transcript under the audio."""

from __future__ import annotations

import secrets

import pytest
import requests
from selenium.webdriver.common.by import By

from local.testing.whatsapp import register, say, say_by_voice, ticket_number_in
from tests.e2e.console import admin_headers, eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import displayed, random_phone


def voice_ticket(stack, phone: str, said: str, seconds: int | None = None) -> int:
    say(stack, phone, "0")
    say(stack, phone, "Impressora do financeiro")
    say(stack, phone, "2")
    assert any("Recebi" in reply for reply in say_by_voice(stack, phone, said, seconds))
    return ticket_number_in(say(stack, phone, "Fim"))


def ticket(stack, number: int) -> dict:
    return requests.get(
        f"{stack.url}/admin/tickets/{number}", headers=admin_headers(stack), timeout=10
    ).json()


def audio_of(found: dict) -> dict:
    return found["actions"][0]["attachments"][0]


def test_a_voice_note_becomes_the_tickets_description_and_is_found_by_its_words(local_stack):
    phone = random_phone("5511966")
    register(local_stack, phone, "Vera Voz", "vera@cliente.com.br")
    word = f"boleto{secrets.token_hex(3)}"
    said = f"A impressora parou de imprimir o {word} desde ontem"
    number = voice_ticket(local_stack, phone, said)

    # The ticket and its actions are two reads: the transcript may be read before the description
    # it replaced in the same transaction.
    found = eventually(
        lambda: (
            (t := ticket(local_stack, number))
            and audio_of(t)["transcript"]
            and t["description"] == said
            and t
        ),
        timeout=30,
    )
    assert audio_of(found)["transcript_status"] == "done"
    assert audio_of(found)["mimetype"] == "audio/ogg"  # the audio stays attached
    search = requests.get(
        f"{local_stack.url}/admin/ticket-search",
        params={"q": word},
        headers=admin_headers(local_stack),
        timeout=10,
    ).json()
    assert [t["number"] for t in search["items"]] == [number]


def test_a_voice_note_over_the_limit_is_marked_unavailable(local_stack):
    phone = random_phone("5511967")
    register(local_stack, phone, "Lia Longa", "lia@cliente.com.br")
    number = voice_ticket(local_stack, phone, "um áudio comprido demais", seconds=600)
    found = eventually(lambda: audio_of(ticket(local_stack, number))["transcript_status"] == "unavailable")
    assert found
    assert ticket(local_stack, number)["description"] == "(mensagem de voz)"


@pytest.mark.browser
def test_the_console_shows_the_transcript_under_the_audio(local_stack, console_admin, browser):
    phone = random_phone("5511968")
    register(local_stack, phone, "Rui Recado", "rui@cliente.com.br")
    word = f"fatura{secrets.token_hex(3)}"
    number = voice_ticket(local_stack, phone, f"Bom dia, a {word} de novembro veio em dobro")
    eventually(lambda: audio_of(ticket(local_stack, number))["transcript"], timeout=30)

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    browser.find_element(By.ID, "ticket-search").send_keys(word)
    browser.find_element(By.ID, "ticket-search-button").click()
    eventually(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#tickets-table tbody tr")) == 1)
    open_ticket_row(browser, number)
    eventually(lambda: displayed(browser, "ticket-panel"))
    quote = eventually(lambda: browser.find_element(By.CSS_SELECTOR, "#ticket-actions .transcript"))
    assert "transcrição automática" in quote.text.lower()
    assert word in quote.text
    assert word in browser.find_element(By.ID, "ticket-description").text
