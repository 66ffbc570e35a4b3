"""The admin console in a browser against the local stack: log in (Cognito), link a number by QR,
manage companies and request types; data from the API is shown as text, never as HTML."""

from __future__ import annotations

import secrets

import pytest
import requests
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from helpdesk.domain.cnpj import check_digits, format_cnpj
from local.testing.whatsapp import open_ticket, register, replies
from tests.e2e.console import admin_headers, eventually, fill_login, open_ticket_row, page_errors

pytestmark = pytest.mark.browser

XSS_NAME = "<img src=x onerror=alert(1)>"


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3)}"


def unique_cnpj() -> str:
    """A valid CNPJ no other test uses (the tests share one stack)."""
    base = "".join(secrets.choice("0123456789") for _ in range(8)) + "0001"
    return base + check_digits(base)


def text_of(browser, css: str) -> str:
    elements = browser.find_elements(By.CSS_SELECTOR, css)
    return elements[0].text if elements else ""


def log_in(browser, stack, admin) -> None:
    fill_login(browser, stack, admin.email, admin.password)
    try:
        eventually(lambda: browser.find_element(By.ID, "app").is_displayed(), timeout=30)
    except AssertionError:
        raise AssertionError(
            f"not signed in; the page says {text_of(browser, '#message')!r}; the browser logged {page_errors(browser)}"
        ) from None


def open_view(browser, name: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f'nav button[data-view="{name}"]').click()
    eventually(lambda: browser.find_element(By.ID, f"view-{name}").is_displayed())


def test_a_wrong_password_is_refused(local_stack, console_admin, browser):
    fill_login(browser, local_stack, console_admin.email, console_admin.password + "x")
    eventually(lambda: "E-mail ou senha incorretos" in browser.find_element(By.ID, "message").text)
    assert not browser.find_element(By.ID, "app").is_displayed()


@pytest.mark.parametrize("page", ["/console", "/portal"])
def test_the_pages_load_every_resource_they_ask_for(local_stack, browser, page):
    browser.get_log("browser")  # what earlier tests left
    browser.get(f"{local_stack.url}{page}")
    eventually(lambda: browser.execute_script("return document.readyState") == "complete")
    # A resource the page names and the stack does not serve (the favicon.ico a browser asks for
    # when the page names no icon was one); the portal's 401 before signing in is expected.
    assert [error for error in page_errors(browser) if "status of 404" in error] == []


def test_create_an_instance_connect_it_by_qr_and_see_it_open(local_stack, console_admin, browser):
    log_in(browser, local_stack, console_admin)
    open_view(browser, "instances")
    assert "histórico de conversas manuais" in browser.find_element(By.ID, "bot-warning").text
    name = unique("loja")
    browser.find_element(By.ID, "instance-name").send_keys(name)
    browser.find_element(By.ID, "create-instance").click()
    row = f'#instances-table tr[data-name="{name}"]'
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, row))
    assert "histórico de conversas manuais" in browser.find_element(By.ID, "message").text

    browser.find_element(By.CSS_SELECTOR, f"{row} button.connect").click()
    qr = eventually(
        lambda: [
            img
            for img in browser.find_elements(By.ID, "qr-image")
            if img.is_displayed() and (img.get_attribute("src") or "").startswith("data:image/png;base64,")
        ]
    )[0]
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr)
    assert "aguardando" in browser.find_element(By.ID, "instance-state").text

    # The phone reads the QR: the simulator posts connection.update (open) to the webhook.
    scanned = requests.post(f"{local_stack.url}/simulator/api/instances/{name}/scan", timeout=10)
    assert scanned.ok
    eventually(lambda: browser.find_element(By.ID, "instance-state").text == "conectado", timeout=20)
    assert not browser.find_element(By.ID, "qr-image").is_displayed()

    browser.find_element(By.CSS_SELECTOR, f"{row} button.stats").click()
    eventually(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#stats-table tbody tr")) == 7)
    assert "Total" in text_of(browser, "#stats-table tfoot")


def test_add_a_company_and_a_request_type_and_see_them_listed(local_stack, console_admin, browser):
    log_in(browser, local_stack, console_admin)
    open_view(browser, "companies")
    company, cnpj = unique("Empresa Teste"), unique_cnpj()
    browser.find_element(By.ID, "company-cnpj").send_keys(format_cnpj(cnpj))
    browser.find_element(By.ID, "company-name").send_keys(company)
    browser.find_element(By.ID, "create-company").click()
    eventually(lambda: company in browser.find_element(By.ID, "companies-table").text)
    assert format_cnpj(cnpj) in text_of(browser, f'#companies-table tr[data-cnpj="{cnpj}"]')

    open_view(browser, "request-types")
    request_type = unique("Instalação")
    browser.find_element(By.ID, "rtype-name").send_keys(request_type)
    Select(browser.find_element(By.ID, "rtype-kind")).select_by_value("synthetic")
    browser.find_element(By.ID, "create-rtype").click()
    eventually(lambda: request_type in browser.find_element(By.ID, "rtypes-table").text)
    row = eventually(
        lambda: next(
            (
                r.text
                for r in browser.find_elements(By.CSS_SELECTOR, "#rtypes-table tbody tr")
                if request_type in r.text
            ),
            None,
        )
    )
    assert "sim" in row  # synthetic + WhatsApp + active: offered by the bot


def test_a_company_named_like_html_is_shown_as_text(local_stack, console_admin, browser):
    cnpj = unique_cnpj()
    headers = admin_headers(local_stack)
    response = requests.post(
        f"{local_stack.url}/admin/companies",
        json={"cnpj": cnpj, "name": XSS_NAME},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    log_in(browser, local_stack, console_admin)
    open_view(browser, "companies")
    cell = f'#companies-table tr[data-cnpj="{cnpj}"] .company-name'
    eventually(lambda: text_of(browser, cell) == XSS_NAME)
    assert browser.find_elements(By.CSS_SELECTOR, "#companies-table img") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check


def test_an_agent_answers_a_whatsapp_ticket_from_the_console_and_the_requester_hears_it(
    local_stack, console_admin, browser
):
    phone = "5511966660" + "".join(secrets.choice("0123456789") for _ in range(3))
    register(local_stack, phone, "Rita Console", "rita@cliente.com.br")
    number = open_ticket(local_stack, phone, "Relatório não abre", "O relatório de vendas fica em branco.")

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.ID, "ticket-panel").is_displayed())
    assert browser.find_element(By.ID, "ticket-title").text == "Relatório não abre"
    assert "O relatório de vendas fica em branco." in browser.find_element(By.ID, "ticket-description").text
    browser.find_element(By.ID, "action-text").send_keys("Limpe o cache do navegador e tente de novo.")
    browser.find_element(By.ID, "post-action").click()

    heard = eventually(lambda: [r for r in replies(local_stack, phone) if "Limpe o cache" in r], timeout=20)
    assert len(heard) == 1 and f"Atendimento {number}" in heard[0]
    eventually(lambda: "Limpe o cache" in browser.find_element(By.ID, "ticket-actions").text)
