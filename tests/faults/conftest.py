"""The fault and load suite: moto in-process with the template's resources (the integration `aws`
fixture), the real webhook and processor handlers, faults injected at the seams. Each test records
the figures it checked; `make test-faults` prints them at the end."""

from __future__ import annotations

import pytest

from local import moto_fixes
from tests.integration.conftest import aws  # noqa: F401  (the fixture)

moto_fixes.install()


@pytest.fixture
def figures(request):
    """figures("duplicates", "...") records a line for the end-of-run summary."""

    def record(name: str, text: str) -> None:
        request.node.user_properties.append(("figures", f"{name}: {text}"))

    return record


def pytest_terminal_summary(terminalreporter):
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for key, value in getattr(report, "user_properties", ())
        if key == "figures" and getattr(report, "when", "call") == "call"
    ]
    if lines:
        terminalreporter.section("fault suite figures")
        for line in sorted(lines):
            terminalreporter.write_line(line)
