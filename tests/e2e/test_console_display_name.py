"""Requesters never see an agent's e-mail: an answer from the console reaches WhatsApp signed with
the display name set in Administradores (or the team's name)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from local.testing.whatsapp import open_ticket, register, replies
from tests.e2e.console import eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import message, random_phone

pytestmark = pytest.mark.browser


def test_the_requester_sees_the_agents_display_name_never_the_email(local_stack, console_admin, browser):
    phone = random_phone("5511911")
    register(local_stack, phone, "Gil Nome", "gil@cliente.com.br")
    number = open_ticket(local_stack, phone, "Senha expirada", "Não entro no sistema.")

    log_in(browser, local_stack, console_admin)
    open_view(browser, "admins")
    row = f'#admins-table tr[data-email="{console_admin.email}"]'
    name = eventually(lambda: browser.find_element(By.CSS_SELECTOR, f"{row} .display-name"))
    name.clear()
    name.send_keys("Ana Atendente")
    browser.find_element(By.CSS_SELECTOR, f"{row} .save-name").click()
    eventually(lambda: "Nome exibido salvo." in message(browser))

    open_view(browser, "tickets")
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.ID, "ticket-number").text == str(number))
    browser.find_element(By.ID, "action-text").send_keys("Já liberamos seu acesso.")
    browser.find_element(By.ID, "post-action").click()

    heard = eventually(lambda: [r for r in replies(local_stack, phone) if "Já liberamos" in r], timeout=20)
    assert "Ana Atendente (equipe de suporte)" in heard[0]
    assert console_admin.email not in " ".join(replies(local_stack, phone))
