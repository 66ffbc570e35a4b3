"""The dashboard's activity chart (issue 29): whole-number ticks for counts, and series told apart
by legend, colour and stroke, so "Conversas" never hides under "Chamados" on a day they are equal."""

from __future__ import annotations

import pytest

from local.testing.whatsapp import open_ticket, register
from tests.e2e.console import eventually, screenshot
from tests.e2e.test_admin_spa import log_in
from tests.e2e.test_console import random_phone

pytestmark = pytest.mark.browser

ACTIVITY = """
const chart = document.querySelector('#chart-activity svg');
if (!chart) return null;
const lines = [...chart.querySelectorAll('polyline.series')].map((line) => {
  const style = getComputedStyle(line);
  return [line.dataset.label, style.stroke, style.strokeWidth, style.strokeDasharray];
});
return {
  ticks: [...chart.querySelectorAll('text.axis')].filter((t) => Number(t.getAttribute('x')) < 40).map((t) => t.textContent),
  legend: [...chart.querySelectorAll('text.legend')].map((t) => t.textContent),
  lines,
};
"""


def test_the_activity_chart_has_whole_ticks_and_series_that_never_hide_each_other(
    local_stack, console_admin, browser
):
    phone = random_phone("5511978")
    register(local_stack, phone, "Gil Gráfico", "gil@cliente.com.br")
    open_ticket(local_stack, phone, "Gráfico confuso", "As linhas se escondem.")

    log_in(browser, local_stack, console_admin)
    chart = eventually(lambda: browser.execute_script(ACTIVITY), timeout=30)
    screenshot(browser, "dashboard-activity")
    assert all(tick.isdigit() for tick in chart["ticks"]), chart["ticks"]  # no 1.3 / 2.5 / 3.8
    assert [label.split(" (")[0] for label in chart["legend"]] == ["Conversas", "Chamados"]
    (_, colour_a, width_a, dash_a), (_, colour_b, width_b, dash_b) = chart["lines"]
    assert colour_a != colour_b
    # Equal counts draw the same path: the stroke still shows both (wide under, dashed over).
    assert width_a != width_b and dash_a != dash_b
