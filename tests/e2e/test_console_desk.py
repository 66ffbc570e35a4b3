"""The console's ticket desk in Chromium: the ticket panel (request type, the description shown
once, one status field from the managed list, an unambiguous close), the managed statuses page,
the status filter ignoring case and accents, and a requester's WhatsApp reply moving a ticket that
waited for them back to the team, seen by the open panel without a reload or losing the draft."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from local.testing.whatsapp import open_ticket, register, say
from tests.e2e.console import admin_headers, eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import displayed, message, random_phone

pytestmark = pytest.mark.browser


def status_options(browser) -> list[str]:
    # textContent: the form may be hidden (another view), where Selenium's .text is empty.
    return [
        o.get_attribute("textContent") for o in Select(browser.find_element(By.ID, "action-status")).options
    ]


def test_the_ticket_panel_and_a_requesters_reply_moving_a_waiting_ticket(local_stack, console_admin, browser):
    phone = random_phone("5511933")
    register(local_stack, phone, "Caio Painel", "caio@cliente.com.br")
    number = open_ticket(local_stack, phone, "Relatório lento", "Demora 5 minutos para abrir.")
    detail = requests.get(
        f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
    ).json()
    assert detail["request_type"]

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.ID, "ticket-number").text == str(number))
    assert browser.find_element(By.ID, "ticket-type").text == detail["request_type"]
    assert browser.find_element(By.ID, "ticket-description").text == "Demora 5 minutos para abrir."
    # The description is not repeated as the first action; one status field, a select.
    assert "Demora 5 minutos" not in browser.find_element(By.ID, "ticket-actions").text
    assert displayed(browser, "ticket-no-actions")
    assert browser.find_elements(By.CSS_SELECTOR, "#ticket-panel input[list], #status-value") == []
    assert browser.find_element(By.ID, "close-ticket").text == "Fechar painel"
    eventually(lambda: "Aguardando cliente" in status_options(browser))
    assert status_options(browser)[0] == "— manter o status atual —"

    # The agent asks for something and waits for the customer.
    browser.find_element(By.ID, "action-text").send_keys("Qual navegador você usa?")
    Select(browser.find_element(By.ID, "action-status")).select_by_visible_text("Aguardando cliente")
    browser.find_element(By.ID, "post-action").click()
    eventually(lambda: browser.find_element(By.ID, "ticket-status").text == "Aguardando cliente")

    # A draft is being written when the requester answers on WhatsApp.
    browser.find_element(By.ID, "action-text").send_keys("Rascunho em andamento")
    say(local_stack, phone, str(number))
    say(local_stack, phone, "1")
    say(local_stack, phone, "Uso o Firefox.")
    assert any(f"atendimento *{number}*" in r for r in say(local_stack, phone, "Fim"))

    # The panel sees it by itself (coming back to the window refreshes it; it also polls).
    browser.execute_script("window.dispatchEvent(new Event('focus'))")
    eventually(lambda: browser.find_element(By.ID, "ticket-status").text == "Em atendimento", timeout=25)
    assert "Uso o Firefox." in browser.find_element(By.ID, "ticket-actions").text
    assert browser.find_element(By.ID, "action-text").get_attribute("value") == "Rascunho em andamento"
    row = f'#tickets-table tr[data-number="{number}"]'
    eventually(lambda: "Em atendimento" in browser.find_element(By.CSS_SELECTOR, row).text)

    # The status filter ignores case and accents.
    browser.find_element(By.ID, "filter-status").send_keys("EM ATENDIMENTÓ")
    browser.find_element(By.CSS_SELECTOR, "#ticket-filters button[type=submit]").click()
    eventually(
        lambda: (
            {
                r.find_elements(By.TAG_NAME, "td")[2].text
                for r in browser.find_elements(By.CSS_SELECTOR, "#tickets-table tbody tr")
            }
            == {"Em atendimento"}
        )
    )
    assert browser.find_elements(By.CSS_SELECTOR, row)


def test_statuses_are_managed_on_their_page_and_offered_by_the_answer_form(
    local_stack, console_admin, browser
):
    log_in(browser, local_stack, console_admin)
    open_view(browser, "statuses")
    eventually(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#statuses-table .status-name")) >= 6)
    names = [
        i.get_attribute("value")
        for i in browser.find_elements(By.CSS_SELECTOR, "#statuses-table .status-name")
    ]
    assert {"Aberto", "Em atendimento", "Aguardando cliente", "Encerrado", "Reaberto"} <= set(names)
    assert Select(browser.find_element(By.ID, "role-closed")).first_selected_option.text == "Encerrado"
    assert (
        Select(browser.find_element(By.ID, "role-waiting")).first_selected_option.text == "Aguardando cliente"
    )

    browser.find_element(By.ID, "new-status").send_keys("Em análise técnica")
    browser.find_element(By.ID, "add-status").click()
    browser.find_element(By.ID, "save-statuses").click()
    eventually(lambda: "Status salvos." in message(browser))
    eventually(lambda: "Em análise técnica" in status_options(browser))

    # A duplicate (case and accents ignored) is refused, in pt-BR, naming nothing technical.
    browser.find_element(By.ID, "new-status").send_keys("em ANALISE tecnica")
    browser.find_element(By.ID, "add-status").click()
    browser.find_element(By.ID, "save-statuses").click()
    eventually(lambda: "aparece duas vezes" in message(browser))
