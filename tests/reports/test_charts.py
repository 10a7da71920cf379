"""Governance report charts keep their text as text, without changing matplotlib's settings
for the rest of the process (other charts, other threads)."""

from __future__ import annotations

import re

from engage.learn.charts import ChartData, Series, chart_svg, pyplot
from engage.reports import charts


def test_report_chart_text_is_text_and_process_settings_are_untouched():
    plt = pyplot()
    before = plt.rcParams["svg.fonttype"], list(plt.rcParams["font.family"])
    svg = charts.horizontal_bars(
        "chart-test", "Responses by <group>", ["Young people", "Parents"], {"Responses": [3, 5]}
    )
    assert "<text" in svg and "Young people" in svg  # text, not paths
    assert "Responses by &lt;group&gt;" in svg
    assert (plt.rcParams["svg.fonttype"], list(plt.rcParams["font.family"])) == before


def _without_ids(svg: str) -> str:
    # matplotlib names clip paths and markers afresh for every figure.
    return re.sub(r"chart-same-[mp][0-9a-f]{10}", "ID", svg)


def test_report_chart_after_a_results_chart_is_drawn_the_same():
    args = ("chart-same", "Themes", ["Waiting"], {"Responses": [4]})
    first = _without_ids(charts.horizontal_bars(*args))
    answers = (Series("Answers", (2, 1)),)
    chart_svg(ChartData("Answers", "How people answered", ("Yes", "No"), answers))
    assert _without_ids(charts.horizontal_bars(*args)) == first
    assert "font-family: 'Arial', 'Helvetica', 'DejaVu Sans', sans-serif" in first
