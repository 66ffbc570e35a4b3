"""`make smoke` against the local stack: every check passes with a real admin; a wrong password
fails the login check alone and the exit status says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def smoke(stack, email: str, password: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "API_URL": stack.url,
        "ADMIN_EMAIL": email,
        "ADMIN_PASSWORD": password,
        "ERP_HMAC_SECRET": stack.erp_secret,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "smoke.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_smoke_test_passes_on_a_healthy_stack(local_stack, console_admin):
    result = smoke(local_stack, console_admin.email, console_admin.password)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "ok   forged webhook is refused (401)",
        "ok   unsigned ERP event is refused (401)",
        "ok   signed ERP event for a missing ticket (404)",
        "ok   portal page (200)",
        "ok   console page (200)",
        "ok   admin login (Cognito) -> dashboard data (200)",
    ]
    assert lines[-1] == "6/6 checks passed"


def test_a_failed_check_is_reported_on_its_line_and_in_the_exit_status(local_stack, console_admin):
    result = smoke(local_stack, console_admin.email, console_admin.password + "-wrong")
    assert result.returncode == 1
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 1 and "admin login" in failed[0] and "NotAuthorizedException" in failed[0]
    assert result.stdout.splitlines()[-1] == "5/6 checks passed"
