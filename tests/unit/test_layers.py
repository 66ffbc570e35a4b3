"""The domain stays pure: no AWS SDK, no storage, no gateway, no HTTP inside helpdesk.domain."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "layers" / "common" / "helpdesk" / "domain"
FORBIDDEN = (
    "boto3",
    "botocore",
    "pynamodb",
    "aws_lambda_powertools",
    "requests",
    "helpdesk.storage",
    "helpdesk.gateways",
    "helpdesk.logic",
    "helpdesk.media",
)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_no_io(path):
    leaks = {m for m in imported_modules(path) if m.startswith(FORBIDDEN)}
    assert not leaks, f"{path.name} imports {sorted(leaks)}"
