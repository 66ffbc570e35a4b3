"""The admin console's sign-in, for tests: Cognito's API through the local stack's /cognito path
(what the console's session.js calls), and a browser login."""

from __future__ import annotations

import os
import secrets

import requests
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

from local.testing import waiting

TARGET = "AWSCognitoIdentityProviderService."


def eventually(check, timeout: float = 15.0):
    """`waiting.eventually` for checks that read the page. The console re-renders lists when an
    answer arrives, so an element found a moment ago may be gone: that is "not yet", not a failure."""
    return waiting.eventually(
        check, timeout=timeout, ignoring=(NoSuchElementException, StaleElementReferenceException)
    )


def screenshot(browser, name: str) -> None:
    """Keeps what the page looks like when E2E_SHOTS names a folder (for reviews); else nothing."""
    folder = os.environ.get("E2E_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        browser.save_screenshot(os.path.join(folder, f"{name}.png"))


def new_password() -> str:
    return "Nova" + secrets.token_hex(6) + "X9"


def admin_headers(stack) -> dict[str, str]:
    """The admin API's bearer token for scripts (the local stack's ADMIN_TOKEN)."""
    return {"Authorization": f"Bearer {stack.admin_token}"}


def cognito(stack, action: str, body: dict) -> requests.Response:
    config = requests.get(f"{stack.url}/console/config.json", timeout=10).json()
    return requests.post(
        config["cognito_endpoint"],
        json={"ClientId": config["client_id"], **body},
        headers={"X-Amz-Target": TARGET + action, "Content-Type": "application/x-amz-json-1.1"},
        timeout=10,
    )


def sign_in(stack, email: str, password: str, new: str | None = None) -> dict:
    """Cognito's tokens (AuthenticationResult); answers the new-password challenge with `new`."""
    answer = cognito(
        stack,
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": email, "PASSWORD": password}},
    )
    answer.raise_for_status()
    data = answer.json()
    if data.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
        assert new, "the user must choose a new password first"
        answer = cognito(
            stack,
            "RespondToAuthChallenge",
            {
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": data["Session"],
                "ChallengeResponses": {
                    "USERNAME": data["ChallengeParameters"]["USERNAME"],
                    "NEW_PASSWORD": new,
                },
            },
        )
        answer.raise_for_status()
        data = answer.json()
    return data["AuthenticationResult"]


def invitation(stack, email: str) -> str:
    """The temporary password Cognito would have e-mailed (the local stack's mailbox)."""
    mail = requests.get(f"{stack.url}/local/mail", params={"to": email}, timeout=10).json()["items"]
    assert mail, f"no invitation for {email}"
    return mail[-1]["temporary_password"]


def page_errors(browser) -> list[str]:
    """What the page wrote to the browser's console at the error level (a script that failed)."""
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def fill_login(browser, stack, email: str, password: str) -> None:
    browser.get(f"{stack.url}/console")
    try:  # shown once the console's script handles the form
        eventually(lambda: browser.find_element(By.ID, "email").is_displayed())
    except AssertionError:
        raise AssertionError(
            f"the sign-in form never showed; the browser logged {page_errors(browser)}"
        ) from None
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "login-button").click()


def open_ticket_row(browser, number: int) -> None:
    """Clicks the ticket's row in the tickets table. The console re-renders the table when a list
    or search answer arrives, so a row found a moment ago may be gone: find it again and retry."""

    def clicked() -> bool:
        browser.find_element(By.CSS_SELECTOR, f'#tickets-table tr[data-number="{number}"]').click()
        return True

    eventually(clicked)
