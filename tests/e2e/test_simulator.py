"""A person chats with the bot in the simulator page, in headless Chromium."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


def bot_messages(driver) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#chat .msg.in")]


def say(driver, text: str) -> None:
    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def test_typing_a_cnpj_in_the_simulator_gets_the_bots_answer(local_stack, browser):
    browser.get(f"{local_stack.url}/simulator/")
    phone = browser.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("5511955550001")
    wait = WebDriverWait(browser, 20)

    say(browser, "Olá")
    wait.until(lambda d: any("CNPJ" in text for text in bot_messages(d)))
    say(browser, "11.222.333/0001-81")
    wait.until(lambda d: any("Empresa Demonstração" in text for text in bot_messages(d)))
    assert any("nome" in text for text in bot_messages(browser))
    wait.until(shown.visibility_of_element_located((By.ID, "chat")))


def test_clicking_a_notification_in_the_simulator_replies_to_it(local_stack, browser):
    from tests.e2e.test_erp_loop import post_erp_event
    from tests.support.whatsapp import open_ticket, register

    phone = "5511955550078"
    register(local_stack, phone, "Caio Reis", "caio@example.com")
    number = open_ticket(local_stack, phone, "Sem acesso ao e-mail", "Senha recusada.")
    event = {
        "event_id": f"e2e-sim-{number}",
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": "Tente agora, por favor.",
    }
    assert post_erp_event(local_stack, event).status_code == 200

    browser.get(f"{local_stack.url}/simulator/")
    box = browser.find_element(By.ID, "phone")
    box.clear()
    box.send_keys(phone + "\n")
    wait = WebDriverWait(browser, 20)
    notification = wait.until(
        lambda d: next(
            (e for e in d.find_elements(By.CSS_SELECTOR, "#chat .msg.in") if "Tente agora" in e.text), None
        )
    )
    notification.click()
    wait.until(shown.visibility_of_element_located((By.ID, "quote-chip")))
    say(browser, "Ainda recusa a senha")
    wait.until(lambda d: any(f"atendimento *{number}*" in text for text in bot_messages(d)))
    assert f"Atendimento {number}" in browser.find_element(By.CSS_SELECTOR, "#chat .msg.out .quote").text


def test_a_contact_with_a_username_and_no_phone_talks_to_the_bot(local_stack, browser):
    """ "@name" in the number field: the simulator writes as the Cloud API names such a user (a
    business-scoped user ID only, signed), and shows the bot's replies to that ID."""
    browser.get(f"{local_stack.url}/simulator/")
    phone = browser.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("@carla.simulador")
    wait = WebDriverWait(browser, 20)

    say(browser, "Olá")
    wait.until(lambda d: any("CNPJ" in text for text in bot_messages(d)))
    say(browser, "11.222.333/0001-81")
    wait.until(lambda d: any("Empresa Demonstração" in text for text in bot_messages(d)))
