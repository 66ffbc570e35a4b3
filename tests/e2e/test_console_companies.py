"""Deleting a company in Chromium: the console says what it affects, offers to deactivate one with
open tickets (kept, marked, its requester told on WhatsApp it is no longer served) and deletes one
without only after its CNPJ is typed again."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from helpdesk.domain.cnpj import format_cnpj
from local.testing.whatsapp import credentials_in, new_ticket, say
from tests.e2e.console import admin_headers, eventually
from tests.e2e.test_admin_spa import log_in, open_view, unique_cnpj
from tests.e2e.test_console import message, random_phone

pytestmark = pytest.mark.browser


def create_company(stack, name: str) -> str:
    cnpj = unique_cnpj()
    answer = requests.post(
        f"{stack.url}/admin/companies",
        json={"cnpj": cnpj, "name": name},
        headers=admin_headers(stack),
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return cnpj


def click_delete(browser, cnpj: str):
    browser.find_element(By.CSS_SELECTOR, f'#companies-table tr[data-cnpj="{cnpj}"] button.danger').click()
    return WebDriverWait(browser, 15).until(EC.alert_is_present())


def test_a_company_with_an_open_ticket_is_deactivated_and_one_without_is_deleted_after_its_cnpj(
    local_stack, console_admin, browser
):
    served = create_company(local_stack, "Padaria Antiga Ltda")
    phone = random_phone("5511922")
    for text in ("oi", format_cnpj(served), "Rui Padeiro", "rui@padaria.com.br"):
        replies = say(local_stack, phone, text)
    credentials_in(replies)
    for text in new_ticket("Forno não liga", "2", "O sistema do forno travou."):
        say(local_stack, phone, text)
    empty = create_company(local_stack, "Empresa Sem Chamados")

    log_in(browser, local_stack, console_admin)
    open_view(browser, "companies")
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, f'#companies-table tr[data-cnpj="{served}"]'))
    alert = click_delete(browser, served)
    assert "1 solicitante e 1 chamado, 1 em aberto" in alert.text
    assert "não pode ser excluída" in alert.text and "Desativar" in alert.text
    alert.accept()
    row = f'#companies-table tr[data-cnpj="{served}"]'
    eventually(lambda: "desativada" in browser.find_element(By.CSS_SELECTOR, row).text)
    assert "inactive" in browser.find_element(By.CSS_SELECTOR, row).get_attribute("class")

    # Its requester is told, and gets no menu of it.
    say(local_stack, phone, "sair")
    answer = " ".join(say(local_stack, phone, "bom dia"))
    assert "Padaria Antiga Ltda* não é mais atendida" in answer and "Recuperar acesso" not in answer

    # No open ticket: deleted, but only once its CNPJ is typed again.
    alert = click_delete(browser, empty)
    assert "0 solicitantes e 0 chamados" in alert.text and "digite o CNPJ" in alert.text
    alert.send_keys("00.000.000/0000-00")
    alert.accept()
    eventually(lambda: "Digite o CNPJ da empresa para confirmar" in message(browser))
    assert browser.find_elements(By.CSS_SELECTOR, f'#companies-table tr[data-cnpj="{empty}"]')
    alert = click_delete(browser, empty)
    alert.send_keys(format_cnpj(empty))
    alert.accept()
    eventually(
        lambda: not browser.find_elements(By.CSS_SELECTOR, f'#companies-table tr[data-cnpj="{empty}"]')
    )
    assert "Empresa excluída." in message(browser)
