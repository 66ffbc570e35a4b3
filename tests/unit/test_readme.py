"""README's "Where does a change go" stays true: it names every module of the layer's `domain/`,
`logic/` and `storage/` packages in the row of its package, and its table of the dialog's flows
names every step of the conversation."""

from __future__ import annotations

import re
from pathlib import Path

from helpdesk.domain.conversation import Step

ROOT = Path(__file__).resolve().parents[2]
HELPDESK = ROOT / "layers" / "common" / "helpdesk"
LISTED = ("domain", "logic", "storage")


def where_a_change_goes(readme: str) -> str:
    """The section, up to the next heading."""
    start = readme.index("### Where does a change go")
    end = re.search(r"^#{2,3} ", readme[start + 4 :], flags=re.M)
    return readme[start : start + 4 + end.start()] if end else readme[start:]


def package_rows(section: str) -> dict[str, str]:
    """`| `helpdesk/<package>/` | ... |` rows, by package ("domain/dialog")."""
    return {
        match.group(1): match.group(0)
        for match in re.finditer(r"^\| `helpdesk/([\w/]+)/` \|.*$", section, flags=re.M)
    }


def modules_by_package(helpdesk: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for top in LISTED:
        for path in sorted((helpdesk / top).rglob("*.py")):
            if path.name != "__init__.py" and "__pycache__" not in path.parts:
                package = str(path.parent.relative_to(helpdesk))
                found.setdefault(package, []).append(path.stem)
    return found


def unnamed_modules(readme: str, helpdesk: Path) -> list[str]:
    rows = package_rows(where_a_change_goes(readme))
    return [
        f"{package}/{module}.py"
        for package, modules in modules_by_package(helpdesk).items()
        for module in modules
        if not re.search(rf"`{module}(\.py)?`", rows.get(package, ""))
    ]


def test_where_a_change_goes_names_every_module_of_domain_logic_and_storage():
    missing = unnamed_modules((ROOT / "README.md").read_text(), HELPDESK)
    assert missing == [], f"README's 'Where does a change go' does not name {missing} in its package's row"


def test_the_scan_sees_a_module_the_readme_does_not_name(tmp_path):
    for name in ("domain/cnpj.py", "domain/menus.py", "domain/dialog/tickets.py", "storage/saved.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    readme = (
        "### Where does a change go\n\n| package | modules |\n|---|---|\n"
        "| `helpdesk/domain/` | `cnpj` (the number) |\n| `helpdesk/domain/dialog/` | `tickets` |\n"
        "\n### Next\n\n| `helpdesk/storage/` | `saved` |\n"
    )
    # menus is named nowhere; saved only outside the section
    assert unnamed_modules(readme, tmp_path) == ["domain/menus.py", "storage/saved.py"]


def test_the_flows_table_names_every_step_of_the_conversation():
    section = where_a_change_goes((ROOT / "README.md").read_text())
    table = section[section.index("| flow |") :]
    missing = [step.value for step in Step if f"`{step.value}`" not in table]
    assert missing == [], f"README's flows table does not name the steps {missing}"
