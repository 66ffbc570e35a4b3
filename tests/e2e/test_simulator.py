"""A person chats with the bot in the simulator page, in headless Chromium."""

import secrets

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.browser


def bot_messages(driver) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, "#chat .msg.in")]


def say(driver, text: str) -> None:
    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def test_typing_a_cnpj_in_the_simulator_gets_the_bots_answer(local_stack, browser):
    open_chat(browser, local_stack, "5511955550001")
    wait = WebDriverWait(browser, 20)

    say(browser, "Olá")
    wait.until(lambda d: any("CNPJ" in text for text in bot_messages(d)))
    say(browser, "11.222.333/0001-81")
    wait.until(lambda d: any("Empresa Demonstração" in text for text in bot_messages(d)))
    assert any("nome" in text for text in bot_messages(browser))
    wait.until(shown.visibility_of_element_located((By.ID, "chat")))


def test_clicking_a_notification_in_the_simulator_replies_to_it(local_stack, browser):
    number, notification = notification_in_simulator(
        local_stack, browser, "5511955550078", "Caio Reis", "Tente agora, por favor."
    )
    wait = WebDriverWait(browser, 20)
    notification.click()
    wait.until(shown.visibility_of_element_located((By.ID, "quote-chip")))
    say(browser, "Ainda recusa a senha")
    wait.until(lambda d: any(f"atendimento {number}" in text for text in bot_messages(d)))
    assert f"Atendimento {number}" in browser.find_element(By.CSS_SELECTOR, "#chat .msg.out .quote").text


def test_a_contact_with_a_username_and_no_phone_talks_to_the_bot(local_stack, browser):
    """ "@name" in the number field: the simulator writes as the Cloud API names such a user (a
    business-scoped user ID only, signed), and shows the bot's replies to that ID."""
    open_chat(browser, local_stack, "@carla.simulador")
    wait = WebDriverWait(browser, 20)

    say(browser, "Olá")
    wait.until(lambda d: any("CNPJ" in text for text in bot_messages(d)))
    say(browser, "11.222.333/0001-81")
    wait.until(lambda d: any("Empresa Demonstração" in text for text in bot_messages(d)))


def open_simulator(browser, stack) -> None:
    """The page, once it can be typed in (the number field is enabled when its settings arrived)."""
    browser.get(f"{stack.url}/simulator/")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "phone").is_enabled())


def open_chat(browser, stack, phone: str) -> None:
    open_simulator(browser, stack)
    box = browser.find_element(By.ID, "phone")
    box.clear()
    box.send_keys(phone + "\n")


def test_whatsapp_markup_is_shown_as_the_phone_shows_it(local_stack, browser):
    import requests

    from local.testing.whatsapp import register

    phone = "5511955551" + "".join(secrets.choice("0123456789") for _ in range(3))
    _, password = register(local_stack, phone, "Rosa Marques", f"rosa.{phone}@example.com")
    sample = "*negrito* _itálico_ ~riscado~ ```a_b*c``` <b>x</b> 2*3*4 snake_case_name"
    posted = requests.post(
        f"{local_stack.url}/simulator/api/outbox", json={"phone": phone, "text": sample}, timeout=10
    )
    assert posted.status_code == 201
    open_chat(browser, local_stack, phone)
    wait = WebDriverWait(browser, 20)
    credentials = wait.until(
        lambda d: next(
            (e for e in d.find_elements(By.CSS_SELECTOR, "#chat .msg.in") if "Senha:" in e.text), None
        )
    )
    # What a person selects and copies is the password itself, not "*password*".
    assert password in [strong.text for strong in credentials.find_elements(By.TAG_NAME, "strong")]
    assert f"*{password}*" not in credentials.text

    shown = wait.until(
        lambda d: next(
            (e for e in d.find_elements(By.CSS_SELECTOR, "#chat .msg.in") if "negrito" in e.text), None
        )
    )
    tags = {
        tag: [e.text for e in shown.find_elements(By.TAG_NAME, tag)] for tag in ("strong", "em", "s", "code")
    }
    assert tags == {"strong": ["negrito"], "em": ["itálico"], "s": ["riscado"], "code": ["a_b*c"]}
    assert shown.find_elements(By.TAG_NAME, "b") == []  # text from the bot is never HTML
    assert "<b>x</b> 2*3*4 snake_case_name" in shown.text


def test_a_file_keeps_the_name_it_was_sent_with(local_stack, browser, tmp_path):
    import base64

    import requests

    from local.testing.whatsapp import register, replies
    from local.testing.whatsapp import say as say_api
    from tests.e2e.console import admin_headers

    phone = "5511955552" + "".join(secrets.choice("0123456789") for _ in range(3))
    register(local_stack, phone, "Davi Lopes", f"davi.{phone}@example.com")
    for text in ("0", "Tela de erro", "2", "Aparece um erro ao salvar."):
        say_api(local_stack, phone, text)
    screenshot = tmp_path / "print_erro.png"
    screenshot.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII="
        )
    )
    open_chat(browser, local_stack, phone)
    before = len(replies(local_stack, phone))
    browser.find_element(By.ID, "file").send_keys(str(screenshot))
    browser.find_element(By.ID, "send").click()
    WebDriverWait(browser, 20).until(lambda _: len(replies(local_stack, phone)) > before)
    created = say_api(local_stack, phone, "Fim")
    number = int(next(r for r in created if "criado" in r).split("*")[1])
    ticket = requests.get(
        f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
    ).json()
    names = [a["filename"] for action in ticket["actions"] for a in action["attachments"]]
    assert names == ["print_erro.png"]


def test_any_number_can_be_linked_by_reading_its_qr(local_stack, browser):
    import requests

    from tests.e2e.console import admin_headers, eventually

    name = f"vendas-{secrets.token_hex(3)}"
    headers = admin_headers(local_stack)
    created = requests.post(
        f"{local_stack.url}/admin/instances", json={"name": name}, headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    connecting = requests.post(
        f"{local_stack.url}/admin/instances/{name}/connect", headers=headers, timeout=10
    )
    assert connecting.json()["state"] == "connecting"

    open_simulator(browser, local_stack)
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f'#instance-select option[value="{name}"]')
    )
    Select(browser.find_element(By.ID, "instance-select")).select_by_value(name)
    browser.find_element(By.ID, "scan").click()

    def state() -> str:
        return requests.get(f"{local_stack.url}/admin/instances/{name}", headers=headers, timeout=10).json()[
            "state"
        ]

    eventually(lambda: state() == "open", timeout=20)
    assert (
        requests.get(f"{local_stack.url}/admin/instances/suporte", headers=headers, timeout=10).json()[
            "state"
        ]
        == "open"
    )


def test_a_reaction_to_a_notification_in_the_simulator_reaches_the_console(local_stack, browser):
    import requests

    from local.testing.waiting import eventually
    from tests.e2e.console import admin_headers

    number, notification = notification_in_simulator(
        local_stack, browser, "5511955550091", "Lia Prado", "Trocamos a fonte."
    )
    wait = WebDriverWait(browser, 20)
    answered = len(bot_messages(browser))
    notification.find_element(By.CSS_SELECTOR, "button.act").click()
    wait.until(shown.alert_is_present()).accept()  # the suggested 👍

    def reaction():
        ticket = requests.get(
            f"{local_stack.url}/admin/tickets/{number}", headers=admin_headers(local_stack), timeout=10
        ).json()
        return next((a["reaction"] for a in ticket["actions"] if a.get("reaction")), None)

    assert eventually(reaction, timeout=20) == {"emoji": "👍", "at": reaction()["at"]}
    assert len(bot_messages(browser)) == answered  # a reaction is never answered


def notification_in_simulator(local_stack, browser, phone: str, name: str, agent_text: str):
    """A registered requester's ticket, an ERP agent action on it, and the simulator open on that
    phone until the notification shows: returns the ticket number and the notification's element."""
    from local.testing.whatsapp import open_ticket, register
    from tests.e2e.test_erp_loop import post_erp_event

    register(local_stack, phone, name, f"{name.split()[0].lower()}@example.com")
    number = open_ticket(local_stack, phone, "Impressora parada", "Não liga.")
    event = {
        "event_id": f"e2e-sim-{phone}-{number}",
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": agent_text,
    }
    assert post_erp_event(local_stack, event).status_code == 200
    open_chat(browser, local_stack, phone)
    notification = WebDriverWait(browser, 20).until(
        lambda d: next(
            (e for e in d.find_elements(By.CSS_SELECTOR, "#chat .msg.in") if agent_text in e.text), None
        )
    )
    return number, notification
