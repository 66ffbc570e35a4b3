"""Starting the stack for tests and benchmarks: the local stack (`python -m local`) in a subprocess
on a free port with fresh secrets (`start_stack`), or the template's resources in an in-process moto
account with the functions' environment over them (`moto_account`).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import requests

from local import cfn
from local.stack import LocalResources, create_resources, free_port, function_environment

ROOT = Path(__file__).resolve().parents[1]


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


@dataclass
class Aws:
    """The template's resources in a moto account."""

    session: boto3.session.Session
    resources: LocalResources

    @property
    def table_name(self) -> str:
        return self.resources.tables["Table"]

    @property
    def queue_url(self) -> str:
        return self.resources.queue_urls["InboundQueue"]

    @property
    def dead_letter_queue_url(self) -> str:
        return self.resources.queue_urls["InboundDeadLetterQueue"]

    @property
    def bucket(self) -> str:
        return self.resources.buckets["MediaBucket"]


def moto_account(session: boto3.session.Session) -> tuple[Aws, dict[str, str]]:
    """Creates the template's resources in the (moto) account `session` reaches; returns them and
    the functions' environment over them: as deployed, with the simulator as the gateway and no
    secrets to fetch (the caller sets its own stand-ins for them)."""
    template = cfn.load_template()
    made = Aws(session, create_resources(template, session))
    environment = function_environment(template, made.resources)
    environment.pop("SECRETS_NAMES", None)
    environment.update(
        TABLE_NAME=made.table_name,
        QUEUE_URL=made.queue_url,
        MEDIA_BUCKET=made.bucket,
        WHATSAPP_GATEWAY="simulator",
    )
    return made, environment
