"""Closing the loop in the admin console, in a browser against the local stack: the ERP closes a
WhatsApp ticket, the requester confirms and rates it, the console shows the rating figures (and on
the ticket); then the requester's data is erased after a typed confirmation."""

from __future__ import annotations

import secrets

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from local.testing.whatsapp import open_ticket, register, replies, say
from tests.e2e.console import admin_headers, eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_erp_loop import post_erp_event

pytestmark = pytest.mark.browser


def new_phone() -> str:
    return "55119" + "".join(secrets.choice("0123456789") for _ in range(8))


def rated_ticket(stack, phone: str, rating: str) -> dict:
    """A WhatsApp ticket, closed by the ERP, confirmed and rated by the requester; the ticket's JSON."""
    register(stack, phone, "Bruna Teixeira", f"bruna.{phone}@example.com")
    number = open_ticket(stack, phone, "Sistema lento", "Demora para abrir as notas.", "1")
    closing = {"event_id": f"e2e-close-{number}", "type": "ticket.closed", "ticket_number": number}
    assert post_erp_event(stack, closing).status_code == 200
    eventually(lambda: any("O problema foi resolvido?" in r for r in replies(stack, phone)), timeout=20)
    say(stack, phone, "1")
    say(stack, phone, rating)
    assert any("Obrigado pela avaliação" in r for r in say(stack, phone, "Ficou ótimo"))
    url = f"{stack.url}/admin/tickets/{number}"
    return eventually(lambda: requests.get(url, headers=admin_headers(stack), timeout=10).json())


def test_the_console_shows_rating_figures_and_the_rating_on_the_ticket(local_stack, console_admin, browser):
    ticket = rated_ticket(local_stack, new_phone(), "4")
    assert ticket["rating"] == 4
    log_in(browser, local_stack, console_admin)
    open_view(browser, "quality")
    eventually(
        lambda: browser.find_elements(
            By.CSS_SELECTOR, f'#quality-instance option[value="{ticket["instance"]}"]'
        )
    )
    Select(browser.find_element(By.ID, "quality-instance")).select_by_value(ticket["instance"])
    browser.find_element(By.ID, "quality-button").click()
    eventually(lambda: browser.find_element(By.ID, "rating-results").is_displayed())
    count, four, average = eventually(
        lambda: (
            browser.find_element(By.ID, "rating-count").text,
            browser.find_element(By.CSS_SELECTOR, '#rating-distribution li[data-value="4"] .count').text,
            browser.find_element(By.ID, "rating-average").text,
        )
    )
    assert int(count) >= 1  # the stack is shared: other tests may have rated too
    assert int(four) >= 1
    assert average != "–"

    open_view(browser, "tickets")
    browser.find_element(By.ID, "filter-phone").send_keys(ticket["requester_phone"])
    browser.find_element(By.CSS_SELECTOR, "#ticket-filters button").click()

    def ticket_row():
        rows = browser.find_elements(By.CSS_SELECTOR, "#tickets-table tbody tr")
        # The filtered list, not the unfiltered one the view showed first.
        if not rows or not all(ticket["requester_phone"] in row.text for row in rows):
            return None
        return next((row for row in rows if row.text.split()[0] == str(ticket["number"])), None)

    eventually(ticket_row)
    open_ticket_row(browser, ticket["number"])
    quality = eventually(lambda: browser.find_element(By.ID, "ticket-quality").text)
    assert "(4/5)" in quality and "Ficou ótimo" in quality


def test_the_console_erases_a_requester_after_a_typed_confirmation(local_stack, console_admin, browser):
    phone = new_phone()
    ticket = rated_ticket(local_stack, phone, "5")
    log_in(browser, local_stack, console_admin)
    open_view(browser, "privacy")
    browser.find_element(By.ID, "privacy-phone").send_keys(phone)
    browser.find_element(By.ID, "privacy-export").click()
    summary = eventually(lambda: browser.find_element(By.ID, "privacy-summary").text)
    assert "Bruna Teixeira" in summary and "1 chamado" in summary
    assert browser.find_element(By.ID, "privacy-download").is_displayed()

    # A wrong confirmation erases nothing.
    browser.find_element(By.ID, "privacy-erase").click()
    prompt = eventually(lambda: browser.switch_to.alert)
    prompt.send_keys("5511000000000")
    prompt.accept()
    eventually(lambda: "Confirme" in browser.find_element(By.ID, "message").text)
    headers = admin_headers(local_stack)
    assert requests.get(f"{local_stack.url}/admin/requesters/{phone}/export", headers=headers, timeout=10).ok

    browser.find_element(By.ID, "privacy-erase").click()
    prompt = eventually(lambda: browser.switch_to.alert)
    prompt.send_keys(phone)
    prompt.accept()
    done = eventually(
        lambda: browser.find_element(By.ID, "privacy-summary").text.startswith("Dados excluídos")
    )
    assert done
    assert "1 chamado anonimizado," in browser.find_element(By.ID, "privacy-summary").text

    def audit_log() -> str:
        return browser.find_element(By.CSS_SELECTOR, "#erasures-table tbody").text

    log = eventually(lambda: console_admin.email in audit_log() and audit_log())
    assert phone not in log
    gone = requests.get(f"{local_stack.url}/admin/requesters/{phone}/export", headers=headers, timeout=10)
    assert gone.status_code == 404
    kept = requests.get(
        f"{local_stack.url}/admin/tickets/{ticket['number']}", headers=headers, timeout=10
    ).json()
    assert kept["requester_name"] == "Titular anonimizado (LGPD)" and kept["rating"] == 5


def test_the_console_sets_a_numbers_business_hours(local_stack, console_admin, browser):
    name = f"horario-{secrets.token_hex(3)}"
    created = requests.post(
        f"{local_stack.url}/admin/instances",
        json={"name": name, "agent_type": "BOT"},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    log_in(browser, local_stack, console_admin)
    open_view(browser, "quality")
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, f'#hours-instance option[value="{name}"]'))
    Select(browser.find_element(By.ID, "hours-instance")).select_by_value(name)
    # The chosen number's rows (another number's, shown first, are cleared when the choice changes).
    monday = eventually(lambda: browser.find_elements(By.ID, "hours-mon"))[0]
    eventually(lambda: "sempre aberto" in browser.find_element(By.ID, "hours-status").text)

    monday.send_keys("8:00-12:00")  # not HH:MM: refused, naming the day
    browser.find_element(By.ID, "hours-save").click()
    eventually(lambda: "Horário inválido" in browser.find_element(By.ID, "message").text)

    monday.clear()
    monday.send_keys("08:00-12:00, 13:00-18:00")
    browser.find_element(By.ID, "hours-holidays").send_keys("2026-12-25")
    browser.find_element(By.ID, "hours-save").click()
    eventually(lambda: "Horário salvo" in browser.find_element(By.ID, "message").text)
    stored = requests.get(
        f"{local_stack.url}/admin/instances/{name}/hours", headers=admin_headers(local_stack), timeout=10
    ).json()
    assert stored["hours"]["weekly"]["mon"] == [["08:00", "12:00"], ["13:00", "18:00"]]
    assert stored["hours"]["holidays"] == ["2026-12-25"]
    status = browser.find_element(By.ID, "hours-status").text
    assert status.startswith(("Aberto agora", "Fora do horário")), status  # no longer "sempre aberto"
