"""The code stays as ruff (pinned in requirements-dev.txt, settings in pyproject.toml) wants it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).with_name("ruff")


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_no_lint_findings():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_formatted():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
