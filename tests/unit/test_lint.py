"""Module size, a gate ruff has no rule for. ruff (lint and format) and mypy run from `make lint`,
which `make check` and `make test` start with, not from inside pytest."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# No module past this in the deployed code and the local stack, Python or the pages' JavaScript: a
# longer one is split along its seams.
MAX_LINES = 350
SIZE_LIMITED = ("layers/common", "functions", "local")
SOURCES = ("*.py", "*.js")


def oversized(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}: {lines} lines"
        for folder in SIZE_LIMITED
        for pattern in SOURCES
        for path in sorted((root / folder).rglob(pattern))
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]


def test_no_module_over_the_size_limit():
    assert oversized(ROOT) == []


def test_the_size_scan_sees_a_long_module(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "local" / "short.py").write_text("x = 1\n" * MAX_LINES)
    assert oversized(tmp_path) == [f"local/long.py: {MAX_LINES + 1} lines"]


def test_the_size_scan_sees_a_long_script(tmp_path):
    assets = tmp_path / "functions" / "admin" / "static" / "assets"
    assets.mkdir(parents=True)
    (assets / "long.js").write_text("let x = 1;\n" * (MAX_LINES + 1))
    (assets / "short.js").write_text("let x = 1;\n" * MAX_LINES)
    assert oversized(tmp_path) == [f"functions/admin/static/assets/long.js: {MAX_LINES + 1} lines"]
