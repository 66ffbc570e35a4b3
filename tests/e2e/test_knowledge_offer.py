"""The knowledge base end to end on the local stack: an article published through the admin API is
offered on WhatsApp (the simulator's chat) before the ticket opens, and the agent sees in the
console's ticket panel what the requester was offered and read."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By

from local.testing.whatsapp import register, say, ticket_number_in
from tests.e2e.console import admin_headers, eventually, open_ticket_row
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import random_phone

pytestmark = pytest.mark.browser

ARTICLE = {
    "title": "Balança Toledo não comunica com o caixa",
    "body": "Confira o cabo serial da *balança* e a porta em _Configurações > Balança_.",
    "keywords": ["balança", "toledo", "pesagem"],
    "published": True,
}


@pytest.fixture
def article(local_stack):
    url, headers = f"{local_stack.url}/admin/articles", admin_headers(local_stack)
    created = requests.post(url, json=ARTICLE, headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    yield created.json()
    requests.delete(f"{url}/{created.json()['id']}", headers=headers, timeout=10)


def test_an_article_offered_on_whatsapp_and_seen_by_the_agent(local_stack, console_admin, browser, article):
    phone = random_phone("5511944")
    register(local_stack, phone, "Bia Balança", "bia@cliente.com.br")
    say(local_stack, phone, "0")
    say(local_stack, phone, "Balança parou")
    say(local_stack, phone, "2")
    offer = " ".join(say(local_stack, phone, "a balança toledo não comunica mais com o caixa"))
    assert "Antes de abrir, veja se isto resolve:" in offer and ARTICLE["title"] in offer
    shown = " ".join(say(local_stack, phone, "1"))
    assert "cabo serial" in shown and "Isso resolveu?" in shown
    assert "*Fim*" in " ".join(say(local_stack, phone, "não, quero abrir o atendimento"))
    number = ticket_number_in(say(local_stack, phone, "Fim"))

    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")
    open_ticket_row(browser, number)
    eventually(lambda: browser.find_element(By.ID, "ticket-number").text == str(number))
    offered = browser.find_element(By.ID, "ticket-offered").text
    assert offered == f"Artigos oferecidos antes de abrir: {ARTICLE['title']} (lido)"
