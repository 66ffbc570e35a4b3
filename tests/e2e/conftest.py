"""The local stack as the tests' server: `python -m local` in a subprocess on a free port.

One stack per test session (and per xdist worker); tests isolate themselves by phone number,
company and instance names rather than by restarting it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest

from local.launch import start_stack, stop_stack


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    process, stack = start_stack(tmp_path_factory.mktemp("stack"))
    yield stack
    stop_stack(process)


def open_chromium(**extra_env: str):
    """Headless Debian Chromium through Selenium and Debian's chromedriver; `extra_env` reaches the
    browser's process (e.g. TZ, the time zone its pages see)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.fail("chromium and chromedriver are required: `make test` installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    service = Service(driver_path, env={**os.environ, **extra_env} if extra_env else None)
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(0)
    return driver


@pytest.fixture
def browser():
    driver = open_chromium()
    yield driver
    driver.quit()


@dataclass(frozen=True)
class ConsoleAdmin:
    email: str
    password: str


@pytest.fixture(scope="session")
def console_admin(local_stack) -> ConsoleAdmin:
    """The stack's first admin, its temporary password already replaced (the new-password
    challenge itself is tested in the browser with an invited admin)."""
    from tests.e2e.console import new_password, sign_in

    password = new_password()
    sign_in(local_stack, local_stack.admin_email, local_stack.admin_temporary_password, new=password)
    return ConsoleAdmin(local_stack.admin_email, password)
