"""The console's "Base de conhecimento" in Chromium against the local stack: an article is written
with a live WhatsApp preview (bold, italic, strike, a link; its text never taken as HTML), saved
as a draft, found by a question as the bot would, published, refused with a pt-BR message when
empty, deleted after a confirmation; the synonyms list is saved."""

from __future__ import annotations

import secrets

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.console import eventually, screenshot
from tests.e2e.test_admin_spa import log_in, open_view, unique_cnpj
from tests.e2e.test_console import message

pytestmark = pytest.mark.browser

BODY = (
    "Acesse *Financeiro > Boletos* e clique em _Segunda via_. ~Não use o menu antigo.~\n"
    "Passo a passo: https://ajuda.example.com/boleto <img src=x onerror=alert(1)>"
)


def row(browser, title: str):
    rows = browser.find_elements(By.CSS_SELECTOR, "#kb-table tbody tr")
    return next(
        (
            r
            for r in rows
            if r.find_elements(By.CSS_SELECTOR, ".kb-title")
            and r.find_element(By.CSS_SELECTOR, ".kb-title").text == title
        ),
        None,
    )


def click(browser, title: str, css: str) -> None:
    """Clicks a button of the article's row (the list may be re-rendered meanwhile: tried again)."""
    eventually(lambda: row(browser, title).find_element(By.CSS_SELECTOR, css).click() or True)


def test_an_article_is_previewed_saved_found_published_and_deleted(local_stack, console_admin, browser):
    title = f"Segunda via do boleto {secrets.token_hex(2)}"
    log_in(browser, local_stack, console_admin)
    open_view(browser, "knowledge")
    browser.find_element(By.ID, "kb-new").click()

    # An empty article is refused in pt-BR.
    browser.find_element(By.ID, "kb-save").click()
    eventually(lambda: "Preencha o campo Título" in message(browser))

    browser.find_element(By.ID, "kb-title").send_keys(title)
    browser.find_element(By.ID, "kb-body").send_keys(BODY)
    browser.find_element(By.ID, "kb-keywords").send_keys("boleto, segunda via, fatura")
    preview = browser.find_element(By.ID, "kb-preview")
    assert preview.find_element(By.CSS_SELECTOR, "strong").text == title  # the bot's "📄 *title*"
    bold = [b.text for b in preview.find_elements(By.CSS_SELECTOR, "strong")]
    assert "Financeiro > Boletos" in bold
    assert preview.find_element(By.CSS_SELECTOR, "em").text == "Segunda via"
    assert preview.find_element(By.CSS_SELECTOR, "s").text == "Não use o menu antigo."
    link = preview.find_element(By.CSS_SELECTOR, "a")
    assert link.get_attribute("href") == "https://ajuda.example.com/boleto"
    assert not preview.find_elements(By.CSS_SELECTOR, "img")  # text, never HTML
    assert "<img src=x" in preview.text
    screenshot(browser, "knowledge-editor")

    browser.find_element(By.ID, "kb-save").click()
    eventually(lambda: "Artigo salvo como rascunho." in message(browser))
    assert not browser.find_element(By.ID, "kb-editor").is_displayed()
    eventually(lambda: row(browser, title).find_element(By.CSS_SELECTOR, ".kb-state").text == "Rascunho")

    # Searched as a requester would ask (drafts too, ranked by the bot's search).
    browser.find_element(By.ID, "kb-search").send_keys("como tiro a 2a via do boleto?")
    browser.find_element(By.ID, "kb-search-button").click()
    eventually(lambda: row(browser, title) is not None)

    click(browser, title, ".kb-toggle")
    eventually(lambda: "Artigo publicado." in message(browser))
    eventually(lambda: row(browser, title).find_element(By.CSS_SELECTOR, ".kb-state").text == "Publicado")
    Select(browser.find_element(By.ID, "kb-status-filter")).select_by_value("draft")
    eventually(lambda: row(browser, title) is None)
    Select(browser.find_element(By.ID, "kb-status-filter")).select_by_value("published")
    eventually(lambda: row(browser, title) is not None)
    screenshot(browser, "knowledge-list")

    # Edited: the form comes back filled.
    click(browser, title, "button.kb-edit")
    assert browser.find_element(By.ID, "kb-keywords").get_attribute("value") == "boleto, segunda via, fatura"
    assert browser.find_element(By.ID, "kb-published").is_selected()
    assert browser.find_element(By.ID, "kb-cnpjs-names").text == "Vale para todas as empresas."
    stranger = unique_cnpj()
    browser.find_element(By.ID, "kb-cnpjs").send_keys(stranger)
    assert browser.find_element(By.ID, "kb-cnpjs-names").text == f"Empresa não cadastrada: {stranger}."
    browser.find_element(By.ID, "kb-cnpjs").send_keys("\n11.222.333/0001-81")  # the stack's demo company
    names = browser.find_element(By.ID, "kb-cnpjs-names").text
    assert names == f"Vale para: Empresa Demonstração Ltda. Empresa não cadastrada: {stranger}."
    browser.find_element(By.ID, "kb-cnpjs").clear()
    browser.find_element(By.ID, "kb-cnpjs").send_keys("11.111.111/1111-11")
    browser.find_element(By.ID, "kb-save").click()
    eventually(lambda: "Empresas: CNPJ inválido: 11.111.111/1111-11." in message(browser))
    browser.find_element(By.ID, "kb-cancel").click()

    # Synonyms saved as typed (one group a line).
    synonyms = browser.find_element(By.ID, "kb-synonyms")
    eventually(lambda: synonyms.get_attribute("value"))
    synonyms.send_keys("\nnota fiscal, nfe, danfe")
    browser.find_element(By.ID, "kb-synonyms-save").click()
    eventually(lambda: "Sinônimos salvos." in message(browser))
    assert "nota fiscal, nfe, danfe" in synonyms.get_attribute("value")

    # Deleted only once confirmed.
    click(browser, title, "button.danger")
    alert = WebDriverWait(browser, 15).until(EC.alert_is_present())
    assert title in alert.text
    alert.dismiss()
    assert row(browser, title) is not None
    click(browser, title, "button.danger")
    WebDriverWait(browser, 15).until(EC.alert_is_present()).accept()
    eventually(lambda: "Artigo excluído." in message(browser))
    eventually(lambda: row(browser, title) is None)
