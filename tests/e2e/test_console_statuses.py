"""The console's "Status dos chamados" (issue 29): renaming a status keeps every role where it was,
an addition is marked unsaved until "Salvar status", and leaving the page with unsaved changes
asks first."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.console import admin_headers, eventually, screenshot
from tests.e2e.test_admin_spa import log_in, open_view
from tests.e2e.test_console import message

pytestmark = pytest.mark.browser


def chosen(browser, role: str) -> str:
    return Select(browser.find_element(By.ID, f"role-{role}")).first_selected_option.text


def name_input(browser, name: str):
    return next(
        i
        for i in browser.find_elements(By.CSS_SELECTOR, "#statuses-table .status-name")
        if i.get_attribute("value") == name
    )


def test_renaming_a_status_keeps_the_roles_and_an_addition_is_marked_unsaved(
    local_stack, console_admin, browser
):
    saved = requests.get(
        f"{local_stack.url}/admin/statuses", headers=admin_headers(local_stack), timeout=10
    ).json()
    try:
        log_in(browser, local_stack, console_admin)
        open_view(browser, "statuses")
        eventually(lambda: chosen(browser, "closed") == saved["roles"]["closed"])
        roles = {role: chosen(browser, role) for role in ("closed", "reopened", "waiting", "acting")}

        closed = name_input(browser, roles["closed"])
        closed.send_keys(Keys.END, " definitivo", Keys.TAB)
        screenshot(browser, "statuses-after-rename")
        assert chosen(browser, "closed") == roles["closed"] + " definitivo"
        for role in ("reopened", "waiting", "acting"):
            assert chosen(browser, role) == roles[role]

        browser.find_element(By.ID, "new-status").send_keys("Em homologação")
        browser.find_element(By.ID, "add-status").click()
        row = eventually(
            lambda: name_input(browser, "Em homologação").find_element(By.XPATH, "./ancestor::tr")
        )
        assert "não salvo" in row.text
        assert browser.find_element(By.ID, "statuses-unsaved").is_displayed()
        screenshot(browser, "statuses-unsaved-addition")

        # Leaving asks first; staying keeps the edits.
        browser.find_element(By.CSS_SELECTOR, 'nav button[data-view="tickets"]').click()
        alert = WebDriverWait(browser, 10).until(EC.alert_is_present())
        assert "não foram salvas" in alert.text
        alert.dismiss()
        assert browser.find_element(By.ID, "view-statuses").is_displayed()

        browser.find_element(By.ID, "save-statuses").click()
        eventually(lambda: "Status salvos." in message(browser))
        stored = requests.get(
            f"{local_stack.url}/admin/statuses", headers=admin_headers(local_stack), timeout=10
        )
        assert stored.json()["roles"] == {**roles, "closed": roles["closed"] + " definitivo"}
        assert "Em homologação" in stored.json()["names"]
        eventually(lambda: not browser.find_element(By.ID, "statuses-unsaved").is_displayed())
        open_view(browser, "tickets")  # saved: no question
    finally:
        restored = requests.put(
            f"{local_stack.url}/admin/statuses", json=saved, headers=admin_headers(local_stack), timeout=10
        )
        assert restored.status_code == 200, restored.text
