"""Issue #13 in the console, in Chromium against the local stack: an agent's answer shows how far
its WhatsApp notification got (Evolution receipts through the real /webhooks/evolution route), and
a number the gateway reports down is flagged on the dashboard with since when."""

from __future__ import annotations

import secrets

import pytest
import requests
from selenium.webdriver.common.by import By

from local.testing.whatsapp import evolution_connection, evolution_receipt, open_ticket, register, send
from tests.e2e.console import admin_headers, eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view

pytestmark = pytest.mark.browser

ANSWER = "Reiniciamos o servidor de impressão."


def random_phone(prefix: str) -> str:
    return prefix + "".join(secrets.choice("0123456789") for _ in range(13 - len(prefix)))


def notification_id(stack, phone: str, text: str = ANSWER) -> str:
    """The gateway id of the answer's notification: the simulator's outbox sequence, as its
    gateway returns it at send time and the sent-message log records it (`sim-<seq>`)."""

    def sent():
        messages = requests.get(
            f"{stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10
        ).json()["messages"]
        return next((m for m in messages if text in (m.get("text") or "")), None)

    return f"sim-{eventually(sent, timeout=20)['seq']}"


def delivery_shown(browser, number: int) -> str:
    """Reopens the ticket and returns its last agent answer's delivery label ("" until there is one)."""
    open_ticket_row(browser, number)
    # Read in one script: the panel re-renders when the ticket's answer arrives.
    return browser.execute_script(
        "const labels = document.querySelectorAll('#ticket-actions li .delivery');"
        "return labels.length ? labels[labels.length - 1].textContent : '';"
    )


def admin_get(stack, path: str) -> dict:
    """The admin API with the scripts' bearer token."""
    headers = admin_headers(stack)
    response = requests.get(f"{stack.url}{path}", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def answer(browser, text: str) -> None:
    browser.find_element(By.ID, "action-text").send_keys(text)
    browser.find_element(By.ID, "post-action").click()


def failed_deliveries(browser) -> int:
    browser.find_element(By.CSS_SELECTOR, 'nav button[data-view="dashboard"]').click()  # reloads it
    shown = browser.find_element(By.ID, "total-failed").text
    return int(shown) if shown.isdigit() else 0


def test_the_ticket_view_shows_answers_sent_delivered_read_and_failed(local_stack, console_admin, browser):
    phone = random_phone("5511944")
    register(local_stack, phone, "Rui Recibo", "rui@cliente.com.br")
    title = f"Impressora {secrets.token_hex(2)}"
    number = open_ticket(local_stack, phone, title, "Não imprime nada.")

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    browser.find_element(By.ID, "ticket-search").send_keys(title)
    browser.find_element(By.ID, "ticket-search-button").click()
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.ID, "ticket-panel").is_displayed())
    # The requester's own messages carry no delivery state.
    assert not browser.find_elements(By.CSS_SELECTOR, "#ticket-actions .delivery")
    answer(browser, ANSWER)

    message_id = notification_id(local_stack, phone)
    assert "WhatsApp: enviada em" in eventually(lambda: delivery_shown(browser, number))

    for status, label in (("DELIVERY_ACK", "entregue"), ("READ", "lida")):
        receipt = send(local_stack, evolution_receipt(phone, message_id, status))
        assert receipt.status_code == 200, receipt.text
        eventually(lambda label=label: f"WhatsApp: {label} em" in delivery_shown(browser, number))
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#ticket-actions li'), (li) => li.textContent);"
    )
    assert any("WhatsApp: lida" in text and ANSWER in text for text in shown)

    # A late or repeated receipt does not move it back (the webhook applies it before answering).
    assert send(local_stack, evolution_receipt(phone, message_id, "DELIVERY_ACK")).status_code == 200
    answers = [
        a for a in admin_get(local_stack, f"/admin/tickets/{number}")["actions"] if a["text"] == ANSWER
    ]
    assert [a["delivery"]["status"] for a in answers] == ["read"]

    # A second answer WhatsApp could not deliver: "falhou" on it, and counted on the dashboard.
    failed_before = admin_get(local_stack, "/admin/dashboard")["totals"]["failed"]
    answer(browser, "Conseguiu testar?")
    lost = notification_id(local_stack, phone, "Conseguiu testar?")
    assert send(local_stack, evolution_receipt(phone, lost, "ERROR")).status_code == 200
    eventually(lambda: "WhatsApp: falhou em" in delivery_shown(browser, number))
    # The stats consumer counts it from the table stream.
    eventually(lambda: failed_deliveries(browser) == failed_before + 1, timeout=20)


def test_the_dashboard_and_instances_say_since_when_a_number_is_down(local_stack, console_admin, browser):
    name = f"loja-{secrets.token_hex(3)}"
    created = requests.post(
        f"{local_stack.url}/admin/instances",
        json={"name": name},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    for state in ("open", "close"):  # the phone logged the number out
        answer = send(local_stack, evolution_connection(name, state, 200 if state == "open" else 401))
        assert answer.status_code == 200, answer.text

    log_in(browser, local_stack, console_admin)
    alert = browser.find_element(By.ID, "disconnected-alert")
    eventually(lambda: alert.is_displayed() and f"{name} (desde " in alert.text)
    badge = f'#instance-charts figure[data-name="{name}"] .badge'
    assert eventually(lambda: browser.find_element(By.CSS_SELECTOR, badge).text).startswith(
        "desconectado desde "
    )
    open_view(browser, "instances")
    state = f'#instances-table tr[data-name="{name}"] td.state'
    assert eventually(lambda: browser.find_element(By.CSS_SELECTOR, state).text).startswith(
        "desconectado desde "
    )
