"""The admin console as deployed, in Chromium against the local stack: served by the admin function,
Cognito sign-in (new-password challenge, wrong password, disabled user, silent refresh, logout that
revokes), the dashboard's charts after a WhatsApp conversation, an answer with a file that reaches
the requester, and a second admin invited from the console."""

from __future__ import annotations

import base64
import secrets

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from local.testing.whatsapp import open_ticket, register
from tests.e2e.console import (
    admin_headers,
    cognito,
    eventually,
    fill_login,
    invitation,
    new_password,
    open_ticket_row,
    sign_in,
)
from tests.e2e.test_admin_spa import log_in, open_view

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def random_phone(prefix: str) -> str:
    return prefix + "".join(secrets.choice("0123456789") for _ in range(13 - len(prefix)))


def displayed(browser, element_id: str) -> bool:
    return browser.find_element(By.ID, element_id).is_displayed()


def figure(browser, element_id: str) -> int:
    text = browser.find_element(By.ID, element_id).text
    return int(text) if text.isdigit() else 0  # "–" until the dashboard has loaded


def message(browser) -> str:
    return browser.find_element(By.ID, "message").text


def test_the_console_is_served_by_the_stack_with_a_strict_csp_and_public_sign_in_settings(local_stack):
    page = requests.get(f"{local_stack.url}/console", timeout=10)
    assert page.status_code == 200 and 'id="login-form"' in page.text
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    for asset in ("app.js", "session.js", "charts.js", "app.css"):
        assert requests.get(f"{local_stack.url}/console/assets/{asset}", timeout=10).status_code == 200
    config = requests.get(f"{local_stack.url}/console/config.json", timeout=10).json()
    assert set(config) == {"region", "user_pool_id", "client_id", "cognito_endpoint"}
    assert config["cognito_endpoint"] == f"{local_stack.url}/cognito/"
    # The API itself stays behind the authorizer.
    assert requests.get(f"{local_stack.url}/admin/dashboard", timeout=10).status_code == 401


def test_the_api_takes_the_id_token_and_refuses_access_and_tampered_tokens(local_stack, console_admin):
    tokens = sign_in(local_stack, console_admin.email, console_admin.password)

    def dashboard(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return requests.get(f"{local_stack.url}/admin/dashboard", headers=headers, timeout=10).status_code

    assert dashboard(tokens["IdToken"]) == 200
    assert dashboard(tokens["AccessToken"]) == 401
    header, payload, signature = tokens["IdToken"].split(".")
    assert dashboard(f"{header}.{payload}.{signature[:-4]}AAAA") == 401


def test_an_invited_admin_chooses_a_password_logs_in_and_can_be_disabled(local_stack, console_admin, browser):
    log_in(browser, local_stack, console_admin)
    assert browser.find_element(By.ID, "who").text == console_admin.email
    open_view(browser, "admins")
    email = f"bia-{secrets.token_hex(3)}@example.com"
    browser.find_element(By.ID, "admin-email").send_keys(email)
    browser.find_element(By.ID, "invite-admin").click()
    row = f'#admins-table tr[data-email="{email}"]'
    eventually(
        lambda: (
            "aguardando primeiro acesso"
            in "".join(r.text for r in browser.find_elements(By.CSS_SELECTOR, row))
        )
    )
    browser.find_element(By.ID, "logout").click()
    eventually(lambda: displayed(browser, "login"))

    # The invitation's temporary password, then the new-password challenge.
    fill_login(browser, local_stack, email, invitation(local_stack, email))
    eventually(lambda: displayed(browser, "new-password"))
    chosen = new_password()
    browser.find_element(By.ID, "new-password-value").send_keys(chosen)
    browser.find_element(By.ID, "new-password-confirm").send_keys("not" + chosen)
    browser.find_element(By.ID, "new-password-button").click()
    eventually(lambda: "não conferem" in message(browser))
    browser.find_element(By.ID, "new-password-confirm").clear()
    browser.find_element(By.ID, "new-password-confirm").send_keys(chosen)
    browser.find_element(By.ID, "new-password-button").click()
    eventually(lambda: displayed(browser, "app"))
    assert browser.find_element(By.ID, "who").text == email
    eventually(lambda: displayed(browser, "view-dashboard"))
    browser.find_element(By.ID, "logout").click()

    # Later logins go straight in; once disabled by the first admin, the login says so.
    fill_login(browser, local_stack, email, chosen)
    eventually(lambda: displayed(browser, "app"))
    browser.find_element(By.ID, "logout").click()
    log_in(browser, local_stack, console_admin)
    open_view(browser, "admins")
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, f"{row} button.toggle"))
    browser.find_element(By.CSS_SELECTOR, f"{row} button.toggle").click()
    eventually(lambda: browser.find_element(By.CSS_SELECTOR, f"{row} .enabled").text == "não")
    browser.find_element(By.ID, "logout").click()
    fill_login(browser, local_stack, email, chosen)
    eventually(lambda: "desativado" in message(browser))
    assert not displayed(browser, "app")


def test_the_session_refreshes_silently_and_logout_revokes_it(local_stack, console_admin, browser):
    log_in(browser, local_stack, console_admin)
    stored = browser.execute_script("return JSON.parse(sessionStorage.getItem('helpdesk-console-session'))")
    # An ID token the API refuses (as an expired one): the console refreshes it and goes on.
    browser.execute_script(
        "const s = JSON.parse(sessionStorage.getItem('helpdesk-console-session'));"
        "s.idToken = s.idToken.slice(0, -4) + 'AAAA';"
        "sessionStorage.setItem('helpdesk-console-session', JSON.stringify(s));"
    )
    open_view(browser, "companies")
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, "#companies-table tbody tr"))
    assert displayed(browser, "app")
    refreshed = browser.execute_script(
        "return JSON.parse(sessionStorage.getItem('helpdesk-console-session'))"
    )
    assert refreshed["idToken"] != stored["idToken"] and refreshed["refreshToken"] == stored["refreshToken"]

    # Five minutes before the ID token expires, the console refreshes it on its own.
    browser.execute_script(
        "const s = JSON.parse(sessionStorage.getItem('helpdesk-console-session'));"
        "s.expiresAt = Date.now() + 5 * 60 * 1000 + 1000;"
        "sessionStorage.setItem('helpdesk-console-session', JSON.stringify(s));"
    )
    browser.refresh()  # the console resumes the tab's session and schedules its refresh again

    def renewed():
        now = browser.execute_script("return JSON.parse(sessionStorage.getItem('helpdesk-console-session'))")
        return now if now["idToken"] != refreshed["idToken"] else None

    assert eventually(renewed, timeout=15)["expiresAt"] > refreshed["expiresAt"] - 60 * 1000

    browser.find_element(By.ID, "logout").click()
    eventually(lambda: displayed(browser, "login"))

    def refused() -> bool:
        answer = cognito(
            local_stack,
            "InitiateAuth",
            {"AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": stored["refreshToken"]}},
        )
        return answer.status_code == 400 and "revoked" in answer.text

    eventually(refused)
    assert browser.execute_script("return sessionStorage.getItem('helpdesk-console-session')") is None


def charts_drawn(browser) -> dict | None:
    """The dashboard's chart figures, read in one script once every chart is drawn (the cards can
    show their totals a moment before the charts, and a refresh redraws them)."""
    return browser.execute_script(
        """
        const one = (css) => document.querySelector(css);
        const messages = one('#chart-messages svg'), activity = one('#chart-activity svg');
        const open = one('#chart-status rect.bar[data-label="Aberto"]');
        const demo = one('#instance-charts figure[data-name="suporte"] svg');
        if (!messages || !activity || !open || !demo) return null;
        return {
          messages_max: Number(messages.getAttribute('data-max')),
          series: document.querySelectorAll('#chart-messages polyline.series').length,
          activity_total: Number(activity.getAttribute('data-total')),
          open_tickets: Number(open.getAttribute('data-value')),
          demo_max: Number(demo.getAttribute('data-max')),
        };
        """
    )


def test_the_dashboard_charts_a_whatsapp_conversation_and_flags_a_disconnected_number(
    local_stack, console_admin, browser
):
    phone = random_phone("5511977")
    register(local_stack, phone, "Dora Painel", "dora@cliente.com.br")
    open_ticket(local_stack, phone, "Painel sem dados", "Os números não aparecem.")
    offline = f"filial-{secrets.token_hex(3)}"
    created = requests.post(
        f"{local_stack.url}/admin/instances",
        json={"name": offline},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert created.status_code == 201, created.text

    log_in(browser, local_stack, console_admin)
    eventually(lambda: figure(browser, "total-received") >= 9)
    assert figure(browser, "total-sent") >= 9
    assert figure(browser, "total-conversations") >= 1
    assert figure(browser, "total-tickets") >= 1
    charts = eventually(lambda: charts_drawn(browser), timeout=30)
    assert charts["messages_max"] > 0 and charts["series"] == 2
    assert charts["activity_total"] >= 2
    assert charts["open_tickets"] >= 1
    assert charts["demo_max"] > 0
    alert = browser.find_element(By.ID, "disconnected-alert")
    assert alert.is_displayed() and offline in alert.text

    # 30 days: the same figures, over a longer axis.
    browser.find_element(By.CSS_SELECTOR, '#dashboard-days option[value="30"]').click()
    eventually(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#chart-messages circle.dot")) == 60)


def test_an_agent_finds_a_ticket_and_answers_with_a_large_file_that_reaches_the_requester(
    local_stack, console_admin, browser, tmp_path
):
    phone = random_phone("5511955")
    register(local_stack, phone, "Edu Anexo", "edu@cliente.com.br")
    title = f"Nota fiscal {secrets.token_hex(2)}"
    number = open_ticket(local_stack, phone, title, "Preciso da segunda via.")
    attachment = tmp_path / "segunda-via.pdf"
    # 7 MB: more than one request carries, so the console sends it in parts.
    document = PDF + b"%" + bytes(range(256)) * (7 * 4096)
    attachment.write_bytes(document)

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    browser.find_element(By.ID, "ticket-search").send_keys(title.lower().replace("nota", "NOTA"))
    browser.find_element(By.ID, "ticket-search-button").click()
    # Only that ticket is listed (the others opened by this session's tests do not match).
    eventually(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#tickets-table tbody tr")) == 1)
    open_ticket_row(browser, number)
    eventually(lambda: displayed(browser, "ticket-panel"))
    browser.find_element(By.ID, "action-text").send_keys("Segue a segunda via.")
    browser.find_element(By.ID, "action-files").send_keys(str(attachment))
    Select(browser.find_element(By.ID, "action-status")).select_by_visible_text("Aguardando cliente")
    browser.find_element(By.ID, "post-action").click()

    def delivered():
        messages = requests.get(
            f"{local_stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10
        ).json()["messages"]
        files = [m["media"] for m in messages if m.get("media")]
        texts = [m["text"] for m in messages if m.get("text") and "Segue a segunda via" in m["text"]]
        return (files, texts) if files and texts else None

    files, texts = eventually(delivered, timeout=20)
    assert files[0]["filename"] == "segunda-via.pdf" and files[0]["mimetype"] == "application/pdf"
    sent = files[0].get("base64") or requests.get(files[0]["url"], timeout=10).content
    assert (base64.b64decode(sent) if isinstance(sent, str) else sent) == document
    assert f"Atendimento {number}" in texts[0]
    eventually(lambda: browser.find_element(By.ID, "ticket-status").text == "Aguardando cliente")
    assert "segunda-via.pdf" in browser.find_element(By.ID, "ticket-actions").text
