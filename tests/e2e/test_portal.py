"""The requester portal end to end: a WhatsApp conversation on the local stack opens a ticket and
gives the credentials; headless Chromium logs in on /portal with them, sees the ticket and answers it."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from local.testing.whatsapp import credentials_in, open_ticket, register, say

pytestmark = pytest.mark.browser

PHONE = "5511977770801"


def open_ticket_on_whatsapp(stack, phone: str) -> tuple[str, str, int]:
    user, password = register(stack, phone, "Paula Portal", "paula@cliente.com.br")
    number = open_ticket(stack, phone, "Erro ao gerar boleto", "O boleto sai com valor zerado.")
    return user, password, number


def test_the_requester_logs_in_with_the_bots_credentials_and_sees_and_answers_the_ticket(
    local_stack, browser, tmp_path
):
    user, password, number = open_ticket_on_whatsapp(local_stack, PHONE)
    wait = WebDriverWait(browser, 15)

    browser.get(f"{local_stack.url}/portal")
    wait.until(EC.visibility_of_element_located((By.ID, "login-user")))
    browser.find_element(By.ID, "login-password").send_keys("senha-errada")
    browser.find_element(By.ID, "login-user").send_keys(user)
    browser.find_element(By.ID, "login-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "notice"), "ou senha inválidos"))

    browser.find_element(By.ID, "login-password").clear()
    browser.find_element(By.ID, "login-password").send_keys(password)
    browser.find_element(By.ID, "login-submit").click()
    link = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"a[data-ticket='{number}']")))
    assert "Erro ao gerar boleto" in link.text and "Aberto" in link.text
    assert "Empresa Demonstração Ltda" in browser.find_element(By.ID, "companies").text
    assert browser.find_element(By.ID, "who-name").text == "Paula Portal"
    cookie = browser.get_cookie("portal_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/portal"

    link.click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "ticket-title"), "Erro ao gerar boleto"))
    assert "O boleto sai com valor zerado." in browser.find_element(By.ID, "actions").text

    attachment = tmp_path / "comprovante.txt"
    attachment.write_text("valor esperado: R$ 10,00")
    browser.find_element(By.ID, "action-text").send_keys("<b>Segue</b> o comprovante.")
    browser.find_element(By.ID, "action-files").send_keys(str(attachment))
    browser.find_element(By.ID, "action-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "actions"), "<b>Segue</b> o comprovante."))
    assert browser.find_elements(By.CSS_SELECTOR, "#actions b") == []  # shown as text, never as HTML
    download = wait.until(EC.presence_of_element_located((By.LINK_TEXT, "comprovante.txt")))
    assert requests.get(download.get_attribute("href"), timeout=10).text == "valor esperado: R$ 10,00"

    browser.find_element(By.ID, "logout").click()
    wait.until(EC.visibility_of_element_located((By.ID, "login-user")))
    assert browser.get_cookie("portal_session") is None


def test_the_page_is_served_and_the_api_needs_a_session(local_stack):
    session = requests.Session()
    assert session.get(f"{local_stack.url}/portal/api/tickets", timeout=10).status_code == 401
    page = session.get(f"{local_stack.url}/portal", timeout=10)
    assert page.status_code == 200 and "Portal de atendimentos" in page.text


def portal_login(browser, stack, user: str, password: str) -> None:
    browser.get(f"{stack.url}/portal")
    WebDriverWait(browser, 15).until(EC.visibility_of_element_located((By.ID, "login-user")))
    browser.find_element(By.ID, "login-user").clear()
    browser.find_element(By.ID, "login-user").send_keys(user)
    browser.find_element(By.ID, "login-password").clear()
    browser.find_element(By.ID, "login-password").send_keys(password)
    browser.find_element(By.ID, "login-submit").click()


def test_a_locked_portal_says_until_when_and_the_bots_new_password_lifts_the_lock(local_stack, browser):
    phone = "5511977770" + "".join(secrets.choice("0123456789") for _ in range(3))
    user, password = register(local_stack, phone, "Lia Bloqueio", "lia@cliente.com.br")
    wait = WebDriverWait(browser, 15)
    for _ in range(3):
        portal_login(browser, local_stack, user, "senha-errada")
        wait.until(EC.text_to_be_present_in_element((By.ID, "notice"), "ou senha inválidos"))
        assert "última tentativa" not in browser.find_element(By.ID, "notice").text
    # The try before the lock says it is the last one; the one that locks says so at once.
    portal_login(browser, local_stack, user, "senha-errada")
    wait.until(EC.text_to_be_present_in_element((By.ID, "notice"), "última tentativa"))
    portal_login(browser, local_stack, user, "senha-errada")
    wait.until(EC.text_to_be_present_in_element((By.ID, "notice"), "Muitas tentativas"))

    # Even the right password is refused, and the page says until when (São Paulo time).
    portal_login(browser, local_stack, user, password)
    wait.until(EC.text_to_be_present_in_element((By.ID, "notice"), "Muitas tentativas"))
    notice = browser.find_element(By.ID, "notice").text
    match = re.search(r"a partir das (\d\d:\d\d) de (\d\d/\d\d/\d{4}) \(horário de Brasília\)", notice)
    assert match, notice
    until = datetime.strptime(" ".join(match.groups()), "%H:%M %d/%m/%Y")
    now_sao_paulo = datetime.now(ZoneInfo("America/Sao_Paulo")).replace(tzinfo=None)
    assert timedelta(minutes=13) < until - now_sao_paulo <= timedelta(minutes=15)
    assert "Recuperar acesso ao portal" in notice

    # The bot's "Recuperar acesso ao portal" gives a new password, which gets in at once.
    say(local_stack, phone, "sair")
    assert "Recuperar acesso ao portal" in " ".join(say(local_stack, phone, "bom dia"))
    new_user, new_password = credentials_in(say(local_stack, phone, "1"))
    assert new_password != password
    portal_login(browser, local_stack, new_user, new_password)
    wait.until(EC.visibility_of_element_located((By.ID, "tickets-view")))
    assert browser.find_element(By.ID, "who-name").text == "Lia Bloqueio"
