"""The portal in a browser: a requester opens a ticket as the bot's flow asks (subject, type from
what the bot offers or "Outro", description, a screenshot), sees the picture as a thumbnail, and
the open page follows a status change made by the team."""

from __future__ import annotations

import base64
import secrets

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from helpdesk.domain.cnpj import format_cnpj
from local.testing.whatsapp import credentials_in, register, say
from tests.e2e.console import admin_headers, eventually
from tests.e2e.test_admin_spa import unique_cnpj
from tests.e2e.test_portal import portal_login

pytestmark = pytest.mark.browser

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII="
)


def request_type(stack, name: str, kind: str) -> dict:
    created = requests.post(
        f"{stack.url}/admin/request-types",
        json={"name": name, "kind": kind, "whatsapp": True},
        headers=admin_headers(stack),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    return created.json()


def test_a_requester_opens_a_ticket_on_the_portal_and_follows_it(local_stack, browser, tmp_path):
    phone = "5511977771" + "".join(secrets.choice("0123456789") for _ in range(3))
    user, password = register(local_stack, phone, "Nina Portal", f"nina.{phone}@example.com")
    offered = request_type(local_stack, f"Instalação {secrets.token_hex(2)}", "synthetic")
    internal = request_type(local_stack, f"Auditoria {secrets.token_hex(2)}", "analytic")

    portal_login(browser, local_stack, user, password)
    eventually(lambda: browser.find_element(By.ID, "new-ticket-link").is_displayed(), timeout=30)
    browser.find_element(By.ID, "new-ticket-link").click()
    eventually(lambda: browser.find_element(By.ID, "new-ticket-view").is_displayed(), timeout=30)
    types = eventually(lambda: [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#new-type option")])
    assert offered["name"] in types and internal["name"] not in types and types[-1] == "Outro"

    screenshot = tmp_path / "print_erro.png"
    screenshot.write_bytes(PNG)
    browser.find_element(By.ID, "new-title").send_keys("Nota fiscal não é emitida")
    Select(browser.find_element(By.ID, "new-type")).select_by_visible_text(offered["name"])
    browser.find_element(By.ID, "new-description").send_keys("Erro 500 ao emitir a nota.")
    browser.find_element(By.ID, "new-files").send_keys(str(screenshot))
    browser.find_element(By.ID, "new-ticket-submit").click()

    eventually(
        lambda: browser.find_element(By.ID, "ticket-title").text == "Nota fiscal não é emitida", timeout=30
    )
    number = int(browser.find_element(By.ID, "ticket-number").text.lstrip("#"))
    assert browser.find_element(By.ID, "ticket-type").text == offered["name"]
    thumb = eventually(lambda: browser.find_element(By.CSS_SELECTOR, "#actions img.thumb"))
    # Shown, not only linked: the CSP lets the presigned link in and the picture loads.
    eventually(
        lambda: browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", thumb)
    )
    assert browser.find_element(By.LINK_TEXT, "print_erro.png")
    browser.save_screenshot("/work/team/shots/i21b-portal-new-ticket-thumbnail.png")

    stored = requests.get(
        f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
    )
    assert stored.json()["requester_phone"] == phone and stored.json()["title"] == "Nota fiscal não é emitida"

    # The team changes the status: the open page sees it, and a message being written stays.
    browser.find_element(By.ID, "action-text").send_keys("Rascunho da resposta")
    changed = requests.post(
        f"{local_stack.url}/admin/tickets/{number}/status",
        json={"status": "Em atendimento"},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert changed.ok, changed.text
    eventually(lambda: browser.find_element(By.ID, "ticket-status").text == "Em atendimento", timeout=40)
    assert browser.find_element(By.ID, "action-text").get_attribute("value") == "Rascunho da resposta"


def test_a_deactivated_company_stops_a_conversation_under_way_and_the_portals_new_ticket_form(
    local_stack, browser
):
    cnpj = unique_cnpj()
    created = requests.post(
        f"{local_stack.url}/admin/companies",
        json={"cnpj": cnpj, "name": "Oficina Encerrada Ltda"},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    phone = "5511977772" + "".join(secrets.choice("0123456789") for _ in range(3))
    for text in ("oi", format_cnpj(cnpj), "Caio Oficina"):
        say(local_stack, phone, text)
    user, password = credentials_in(say(local_stack, phone, f"caio.{phone}@example.com"))
    for text in ("0", "Torno parado"):  # a ticket being written
        say(local_stack, phone, text)

    deactivated = requests.patch(
        f"{local_stack.url}/admin/companies/{cnpj}",
        json={"active": False},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert deactivated.status_code == 200, deactivated.text
    answer = " ".join(say(local_stack, phone, "2"))
    assert "A empresa *Oficina Encerrada Ltda* não é mais atendida por este canal." in answer
    for text in ("O torno não liga.", "Fim"):
        assert "criado" not in " ".join(say(local_stack, phone, text))

    portal_login(browser, local_stack, user, password)
    eventually(lambda: browser.find_element(By.ID, "not-served").is_displayed(), timeout=30)
    assert "Oficina Encerrada Ltda não é mais atendida" in browser.find_element(By.ID, "not-served").text
    assert not browser.find_element(By.ID, "new-ticket-link").is_displayed()
    browser.get(f"{local_stack.url}/portal#/novo")
    eventually(lambda: browser.find_element(By.ID, "new-ticket-closed").is_displayed(), timeout=30)
    assert "não é possível abrir novos atendimentos" in browser.find_element(By.ID, "new-ticket-closed").text
    assert not browser.find_element(By.ID, "new-ticket-form").is_displayed()
