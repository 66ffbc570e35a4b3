"""What an admin reads in the console, in a browser against the local stack: banners that belong to
their action, São Paulo times in any browser zone, and a layout that reads whole (chart labels,
hours inputs, the new-password page, plurals, an instance's state)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from local.testing.whatsapp import evolution_text, open_ticket, register, send
from tests.e2e.conftest import open_chromium
from tests.e2e.console import admin_headers, eventually, fill_login, invitation
from tests.e2e.test_admin_spa import log_in, open_view
from tests.support.portuguese import foreign_words

pytestmark = pytest.mark.browser

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def new_phone() -> str:
    return "55119" + "".join(secrets.choice("0123456789") for _ in range(8))


def new_instance(stack, prefix: str) -> str:
    name = f"{prefix}-{secrets.token_hex(3)}"
    created = requests.post(
        f"{stack.url}/admin/instances",
        json={"name": name, "agent_type": "BOT"},
        headers=admin_headers(stack),
        timeout=10,
    )
    assert created.status_code == 201, created.text
    return name


def banner(browser) -> str:
    box = browser.find_element(By.ID, "message")
    return box.text if box.is_displayed() else ""


@pytest.fixture
def browser_in_tokyo():
    driver = open_chromium(TZ="Asia/Tokyo")
    yield driver
    driver.quit()


def test_a_banner_belongs_to_its_action_and_goes_with_the_page(local_stack, console_admin, browser):
    phone = new_phone()
    register(local_stack, phone, "Caio Banner", f"caio.{phone}@example.com")
    open_ticket(local_stack, phone, "Nota fiscal travada", "Não emite a nota.")
    log_in(browser, local_stack, console_admin)
    open_view(browser, "tickets")

    # A search that finds nothing says so in the list, and a list shown afterwards is not contradicted.
    browser.find_element(By.ID, "ticket-search").send_keys(f"nada-{secrets.token_hex(4)}")
    browser.find_element(By.ID, "ticket-search-button").click()
    eventually(lambda: "Nenhum chamado encontrado." in browser.find_element(By.ID, "tickets-table").text)
    browser.find_element(By.ID, "ticket-search").clear()
    browser.find_element(By.ID, "filter-phone").send_keys(phone)
    browser.find_element(By.CSS_SELECTOR, "#ticket-filters button").click()
    eventually(lambda: "Nota fiscal travada" in browser.find_element(By.ID, "tickets-table").text)
    assert "Nenhum chamado encontrado" not in browser.find_element(By.TAG_NAME, "body").text

    # An error of one page is not shown over another page's success.
    browser.find_element(By.ID, "filter-company").send_keys("123")
    browser.find_element(By.CSS_SELECTOR, "#ticket-filters button").click()
    eventually(lambda: "CNPJ inválido" in banner(browser))
    open_view(browser, "privacy")
    assert banner(browser) == ""
    browser.find_element(By.ID, "privacy-phone").send_keys(phone)
    browser.find_element(By.ID, "privacy-erase").click()
    prompt = eventually(lambda: browser.switch_to.alert)
    prompt.send_keys(phone)
    prompt.accept()
    eventually(lambda: browser.find_element(By.ID, "privacy-summary").text.startswith("Dados excluídos"))
    assert "1 chamado anonimizado," in browser.find_element(By.ID, "privacy-summary").text
    assert banner(browser) == ""
    browser.save_screenshot("/work/team/shots/i21b-erase-no-stale-banner.png")

    # The next action clears the previous action's error too.
    open_view(browser, "tickets")
    browser.find_element(By.ID, "filter-company").send_keys("123")
    browser.find_element(By.CSS_SELECTOR, "#ticket-filters button").click()
    eventually(lambda: "CNPJ inválido" in banner(browser))
    browser.find_element(By.ID, "filter-company").clear()
    browser.find_element(By.CSS_SELECTOR, "#ticket-filters button").click()
    eventually(lambda: banner(browser) == "")


def test_times_are_sao_paulo_times_in_a_browser_of_another_zone(local_stack, console_admin, browser_in_tokyo):
    browser = browser_in_tokyo
    name = new_instance(local_stack, "fuso")
    # Open only on the day after tomorrow (São Paulo), 08:00-12:00: the next opening is then, at 08:00.
    day = datetime.now(SAO_PAULO).date() + timedelta(days=2)
    hours = {"weekly": {WEEKDAYS[day.weekday()]: [["08:00", "12:00"]]}, "holidays": []}
    url = f"{local_stack.url}/admin/instances/{name}/hours"
    saved = requests.put(url, json=hours, headers=admin_headers(local_stack), timeout=10)
    assert saved.ok, saved.text
    assert saved.json()["next_opening"].startswith(f"{day.isoformat()}T08:00")

    log_in(browser, local_stack, console_admin)
    assert browser.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Tokyo"
    open_view(browser, "quality")
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, f'#hours-instance option[value="{name}"]'))
    Select(browser.find_element(By.ID, "hours-instance")).select_by_value(name)
    status = eventually(
        lambda: (
            "Próxima abertura" in browser.find_element(By.ID, "hours-status").text
            and browser.find_element(By.ID, "hours-status").text
        )
    )
    assert f"{day:%d/%m/%Y}, 08:00" in status, status
    # The ratings' default period ends today in São Paulo, not in Tokyo.
    today = datetime.now(SAO_PAULO).date().isoformat()
    assert browser.find_element(By.ID, "quality-to").get_attribute("value") == today


DAY_LABELS_OVERLAP = """
const overlaps = [];
for (const chart of document.querySelectorAll("svg.line-chart")) {
  const texts = Array.from(chart.querySelectorAll("text.axis"));
  const bottom = Math.max(...texts.map((t) => Number(t.getAttribute("y"))));
  const boxes = texts.filter((t) => Number(t.getAttribute("y")) === bottom)
    .map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }))
    .sort((a, b) => a.box.left - b.box.left);
  for (let i = 1; i < boxes.length; i++) {
    if (boxes[i].box.left < boxes[i - 1].box.right) overlaps.push(`${boxes[i - 1].text} / ${boxes[i].text}`);
  }
}
return overlaps;
"""


def test_the_30_day_charts_day_labels_do_not_overlap(local_stack, console_admin, browser):
    log_in(browser, local_stack, console_admin)
    Select(browser.find_element(By.ID, "dashboard-days")).select_by_value("30")
    eventually(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#chart-messages svg circle")) == 2 * 30)
    assert browser.execute_script(DAY_LABELS_OVERLAP) == []
    browser.save_screenshot("/work/team/shots/i21b-dashboard-30-days.png")


# Whether a text input shows its whole value and placeholder: their width in the input's font
# against the room inside it.
TEXT_FITS = """
const input = arguments[0];
const style = getComputedStyle(input);
const context = document.createElement("canvas").getContext("2d");
context.font = `${style.fontSize} ${style.fontFamily}`;
const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
return [input.value, input.placeholder].every((text) => context.measureText(text).width <= room);
"""


def test_hours_inputs_show_a_whole_day(local_stack, console_admin, browser):
    name = new_instance(local_stack, "largura")
    log_in(browser, local_stack, console_admin)
    open_view(browser, "quality")
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, f'#hours-instance option[value="{name}"]'))
    Select(browser.find_element(By.ID, "hours-instance")).select_by_value(name)
    # The chosen number's rows (another number's, shown first, are replaced when they arrive).
    eventually(lambda: "sempre aberto" in browser.find_element(By.ID, "hours-status").text)
    monday = browser.find_element(By.ID, "hours-mon")
    monday.send_keys("08:00-12:00, 13:00-18:00")
    assert browser.execute_script(TEXT_FITS, monday)
    assert browser.execute_script(TEXT_FITS, browser.find_element(By.ID, "hours-tue"))


def test_the_new_password_page_is_centred(local_stack, console_admin, browser):
    email = f"centro-{secrets.token_hex(3)}@example.com"
    invited = requests.post(
        f"{local_stack.url}/admin/admins",
        json={"email": email},
        headers=admin_headers(local_stack),
        timeout=10,
    )
    assert invited.status_code == 201, invited.text
    fill_login(browser, local_stack, email, invitation(local_stack, email))
    page = eventually(
        lambda: (
            browser.find_element(By.ID, "new-password").is_displayed()
            and browser.find_element(By.ID, "new-password")
        )
    )
    left, right = browser.execute_script(
        "const box = arguments[0].getBoundingClientRect();"
        "return [box.left, document.documentElement.clientWidth - box.right];",
        page,
    )
    assert left > 100 and abs(left - right) <= 2, (left, right)
    browser.save_screenshot("/work/team/shots/i21b-new-password-centred.png")


def test_figures_of_one_are_singular(local_stack, console_admin, browser):
    name = new_instance(local_stack, "plural")
    payload = evolution_text(new_phone(), f"E2E-PLURAL-{secrets.token_hex(4)}", "oi")
    payload["instance"] = name
    assert send(local_stack, payload).status_code == 200

    def counted() -> dict | None:
        answer = requests.get(
            f"{local_stack.url}/admin/dashboard?days=7", headers=admin_headers(local_stack), timeout=10
        ).json()
        totals = next(i["totals"] for i in answer["instances"] if i["name"] == name)
        return totals if totals["received"] == 1 and totals["conversations"] == 1 else None

    eventually(counted, timeout=30)
    log_in(browser, local_stack, console_admin)
    card = f'.instance-card[data-name="{name}"] figcaption'
    text = eventually(lambda: browser.find_element(By.CSS_SELECTOR, card).text)
    assert "1 recebida, " in text and "1 conversa, 0 chamados" in text, text


def test_the_instance_list_says_what_the_connect_panel_says(local_stack, console_admin, browser):
    name = new_instance(local_stack, "estado")
    log_in(browser, local_stack, console_admin)
    open_view(browser, "instances")
    row = f'#instances-table tr[data-name="{name}"]'
    eventually(lambda: "desconectado" in browser.find_element(By.CSS_SELECTOR, f"{row} td.state").text)
    browser.find_element(By.CSS_SELECTOR, f"{row} button.connect").click()
    eventually(lambda: "aguardando leitura do QR" in browser.find_element(By.ID, "instance-state").text)
    assert browser.find_element(By.CSS_SELECTOR, f"{row} td.state").text == "aguardando leitura do QR"


def test_the_ratings_page_works_as_it_opens_and_errors_read_in_portuguese(
    local_stack, console_admin, browser
):
    name = new_instance(local_stack, "avaliacoes")
    log_in(browser, local_stack, console_admin)
    open_view(browser, "quality")
    # Every number's ratings, as the page opens ("Todas") and when asked again.
    eventually(lambda: browser.find_element(By.ID, "rating-results").is_displayed())
    assert banner(browser) == ""
    browser.find_element(By.ID, "quality-button").click()
    eventually(lambda: browser.find_element(By.ID, "rating-results").is_displayed())
    assert banner(browser) == ""

    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, f'#hours-instance option[value="{name}"]'))
    Select(browser.find_element(By.ID, "hours-instance")).select_by_value(name)
    eventually(lambda: "sempre aberto" in browser.find_element(By.ID, "hours-status").text)
    browser.find_element(By.ID, "hours-mon").send_keys("8:00-12:00")
    browser.find_element(By.ID, "hours-save").click()
    refusal = eventually(lambda: "Horário inválido" in banner(browser) and banner(browser))
    assert "Segunda" in refusal and foreign_words(refusal) == [], refusal

    open_view(browser, "privacy")
    browser.find_element(By.ID, "privacy-phone").send_keys(new_phone())
    browser.find_element(By.ID, "privacy-erase").click()
    prompt = eventually(lambda: browser.switch_to.alert)
    prompt.send_keys("5511000000000")
    prompt.accept()
    refusal = eventually(lambda: "Confirme" in banner(browser) and banner(browser))
    assert foreign_words(refusal) == [], refusal
