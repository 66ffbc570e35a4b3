"""The local stack as the tests' server: `python -m local` in a subprocess on a free port.

One stack per test session (and per xdist worker); tests isolate themselves by phone number,
company and instance names rather than by restarting it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from local.stack import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RunningStack:
    url: str
    admin_token: str
    webhook_token: str
    erp_secret: str
    log_path: Path
    admin_email: str = ""
    admin_temporary_password: str = ""  # the first admin's, until its first login

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_stack(tmp_path: Path, **extra_env: str):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "ADMIN_TOKEN": secrets.token_urlsafe(16),
        "WEBHOOK_TOKEN": secrets.token_urlsafe(16),
        "ERP_HMAC_SECRET": secrets.token_urlsafe(16),
        "PORTAL_SESSION_KEY": secrets.token_urlsafe(16),
        "ADMIN_EMAIL": f"admin-{secrets.token_hex(3)}@example.com",
        "ADMIN_TEMPORARY_PASSWORD": "Tmp" + secrets.token_hex(8),
        "LOCAL_VISIBILITY_TIMEOUT": "2",
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    for leaked in ("AWS_ENDPOINT_URL", "TABLE_NAME", "QUEUE_URL", "MEDIA_BUCKET"):
        env.pop(leaked, None)
    log_path = tmp_path / f"stack-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "local"],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    stack = RunningStack(
        f"http://127.0.0.1:{port}",
        env["ADMIN_TOKEN"],
        env["WEBHOOK_TOKEN"],
        env["ERP_HMAC_SECRET"],
        log_path,
        env["ADMIN_EMAIL"],
        env["ADMIN_TEMPORARY_PASSWORD"],
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited:\n{stack.log()}")
        try:
            if requests.get(f"{stack.url}/simulator/api/config", timeout=1).ok:
                return process, stack
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"local stack did not come up in 60 s:\n{stack.log()}")


def stop_stack(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


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
