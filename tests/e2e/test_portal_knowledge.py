"""Knowledge-base suggestions in the portal's new-ticket form, in Chromium against the local stack:
typing suggests the article (the bot's search), it is read as WhatsApp shows it; "Sim, resolveu"
opens no ticket; the next time "Não" and the ticket opens recording what was read; the console's
dashboard counts both (avoided, rate, per article offered/opened/resolved)."""

from __future__ import annotations

import secrets

import pytest
import requests
from selenium.webdriver.common.by import By

from local.testing.whatsapp import register
from tests.e2e.console import admin_headers, eventually, screenshot
from tests.e2e.test_admin_spa import log_in
from tests.e2e.test_portal import portal_login

pytestmark = pytest.mark.browser


def published_article(stack, word: str) -> dict:
    article = {
        "title": f"Certificado digital vencido ({word})",
        "body": f"Renove em *Configurações > Certificado* e envie o arquivo _.pfx_ novo ({word}).\n"
        "Guia: https://ajuda.example.com/certificado",
        "keywords": ["certificado", "certificado vencido", word],
        "published": True,
    }
    created = requests.post(
        f"{stack.url}/admin/articles", json=article, headers=admin_headers(stack), timeout=10
    )
    assert created.status_code == 201, created.text
    return created.json()


def open_form_and_type(browser, word: str) -> None:
    browser.find_element(By.ID, "new-ticket-link").click()
    eventually(lambda: browser.find_element(By.ID, "new-ticket-view").is_displayed(), timeout=30)
    browser.find_element(By.ID, "new-title").send_keys("Certificado venceu")
    browser.find_element(By.ID, "new-description").send_keys(
        f"O sistema diz que o certificado digital venceu, {word}"
    )


def suggestion(browser, article_id: str):
    return eventually(
        lambda: browser.find_element(By.CSS_SELECTOR, f'#suggestion-list button[data-id="{article_id}"]'),
        timeout=20,
    )


def figures_of(stack, article_id: str) -> dict:
    answer = requests.get(f"{stack.url}/admin/knowledge/figures", headers=admin_headers(stack), timeout=10)
    return next((a for a in answer.json()["articles"] if a["id"] == article_id), {})


def test_a_suggestion_read_in_the_portal_avoids_a_ticket_or_is_recorded_on_it(
    local_stack, console_admin, browser
):
    word = f"zx{secrets.token_hex(3)}"
    article = published_article(local_stack, word)
    phone = "5511977772" + "".join(secrets.choice("0123456789") for _ in range(3))
    user, password = register(local_stack, phone, "Otávio Portal", f"otavio.{phone}@example.com")
    portal_login(browser, local_stack, user, password)
    eventually(lambda: browser.find_element(By.ID, "new-ticket-link").is_displayed(), timeout=30)

    # Suggested as it is typed; read in place, WhatsApp's markup shown, never taken as HTML.
    open_form_and_type(browser, word)
    suggestion(browser, article["id"]).click()
    body = browser.find_element(By.ID, "article-body")
    eventually(lambda: body.is_displayed())
    assert [b.text for b in body.find_elements(By.TAG_NAME, "strong")] == ["Configurações > Certificado"]
    assert (
        body.find_element(By.TAG_NAME, "a").get_attribute("href") == "https://ajuda.example.com/certificado"
    )
    assert "Isso resolveu?" in browser.find_element(By.ID, "article-view").text
    screenshot(browser, "portal-suggestion")

    browser.find_element(By.ID, "article-solved").click()
    eventually(lambda: "Que bom que resolveu" in browser.find_element(By.ID, "notice").text)
    eventually(lambda: browser.find_element(By.ID, "tickets-view").is_displayed())
    tickets = requests.get(
        f"{local_stack.url}/admin/tickets",
        params={"phone": phone},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert tickets.json()["items"] == []  # no ticket opened
    assert figures_of(local_stack, article["id"]) == {
        "id": article["id"],
        "title": article["title"],
        "offered": 1,
        "opened": 1,
        "resolved": 1,
    }

    # Next time it does not solve it: the ticket opens and records what was read.
    open_form_and_type(browser, word)
    eventually(
        lambda: browser.find_element(By.ID, "new-title").get_attribute("value") == "Certificado venceu"
    )
    suggestion(browser, article["id"]).click()
    browser.find_element(By.ID, "article-not-solved").click()
    assert not browser.find_element(By.ID, "article-view").is_displayed()
    browser.find_element(By.ID, "new-ticket-submit").click()
    eventually(lambda: browser.find_element(By.ID, "ticket-title").text == "Certificado venceu", timeout=30)
    number = int(browser.find_element(By.ID, "ticket-number").text.lstrip("#"))
    stored = requests.get(
        f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
    )
    recorded = stored.json()["offered_articles"]  # read first, then the others on screen (a seeded one)
    assert recorded[0] == {"id": article["id"], "title": article["title"], "opened": True}
    assert not any(a["opened"] for a in recorded[1:])
    assert figures_of(local_stack, article["id"])["offered"] == 2

    # The console's dashboard counts both.
    log_in(browser, local_stack, console_admin)
    row = f'#kb-articles-table tr[data-id="{article["id"]}"]'
    cells = eventually(lambda: [c.text for c in browser.find_elements(By.CSS_SELECTOR, f"{row} td")])
    assert cells == [article["title"], "2", "2", "1"]
    assert int(browser.find_element(By.ID, "kb-avoided").text) >= 1
    assert browser.find_element(By.ID, "kb-rate").text.endswith("%")
    svg = browser.find_element(By.CSS_SELECTOR, "#chart-avoided svg")
    assert int(svg.get_attribute("data-total")) >= 1
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "kb-dashboard"))
    screenshot(browser, "dashboard-knowledge")
