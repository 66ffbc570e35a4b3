"""The console's answer form in Chromium: a draft (text, files, "Nota interna") belongs to the
ticket it was written on, never shows on another ticket, and is gone after logout."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from local.testing.whatsapp import open_ticket, register
from tests.e2e.console import eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import displayed, random_phone

pytestmark = pytest.mark.browser


def form_state(browser) -> dict:
    return browser.execute_script(
        "return {text: document.getElementById('action-text').value,"
        " files: Array.from(document.getElementById('action-files').files).map((f) => f.name),"
        " internal: document.getElementById('action-internal').checked};"
    )


def open_panel(browser, number: int) -> None:
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.ID, "ticket-number").text == str(number))
    assert displayed(browser, "ticket-panel")


EMPTY = {"text": "", "files": [], "internal": False}


def test_a_draft_stays_with_its_ticket_and_logout_forgets_it(local_stack, console_admin, browser, tmp_path):
    first_phone, second_phone = random_phone("5511944"), random_phone("5511945")
    register(local_stack, first_phone, "Ana Primeira", "ana@cliente.com.br")
    register(local_stack, second_phone, "Beto Segundo", "beto@cliente.com.br")
    first = open_ticket(local_stack, first_phone, "Boleto da Ana", "Valor errado.")
    second = open_ticket(local_stack, second_phone, "Senha do Beto", "Não consigo entrar.")
    contract = tmp_path / "contrato-da-ana.txt"
    contract.write_text("dados da Ana")

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    open_panel(browser, first)
    browser.find_element(By.ID, "action-text").send_keys("Ana, segue o seu contrato.")
    browser.find_element(By.ID, "action-files").send_keys(str(contract))
    browser.find_element(By.ID, "action-internal").click()

    # Another customer's ticket: nothing of Ana's answer can be sent to Beto.
    open_panel(browser, second)
    assert form_state(browser) == EMPTY
    browser.find_element(By.ID, "action-text").send_keys("Beto, tente de novo.")

    # Back on Ana's ticket, her draft is there again (and Beto's is not).
    open_panel(browser, first)
    assert form_state(browser) == {
        "text": "Ana, segue o seu contrato.",
        "files": ["contrato-da-ana.txt"],
        "internal": True,
    }
    open_panel(browser, second)
    assert form_state(browser) == {**EMPTY, "text": "Beto, tente de novo."}

    # Closing the panel keeps the draft with its ticket; logout forgets every draft.
    browser.find_element(By.ID, "close-ticket").click()
    assert not displayed(browser, "ticket-panel")
    open_panel(browser, second)
    assert form_state(browser)["text"] == "Beto, tente de novo."
    browser.find_element(By.ID, "logout").click()
    eventually(lambda: displayed(browser, "login"))
    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    for number in (first, second):
        open_panel(browser, number)
        assert form_state(browser) == EMPTY
