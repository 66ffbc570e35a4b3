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


# No module past this in the deployed code and the local stack: a longer one is split along its seams.
MAX_LINES = 350
SIZE_LIMITED = ("layers/common", "functions", "local")


def oversized(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}: {lines} lines"
        for folder in SIZE_LIMITED
        for path in sorted((root / folder).rglob("*.py"))
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]


def test_no_module_over_the_size_limit():
    assert oversized(ROOT) == []


def test_the_size_scan_sees_a_long_module(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "local" / "short.py").write_text("x = 1\n" * MAX_LINES)
    assert oversized(tmp_path) == [f"local/long.py: {MAX_LINES + 1} lines"]


def test_formatted():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
