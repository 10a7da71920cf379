"""The reports' charts: drawn as the results pages' are (two layouts whose text stays 12 px
or more, a description in words, escaped labels), without changing matplotlib's settings for
the rest of the process; the overdue part of the actions chart in red."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in a test

from engage.learn.charts import pyplot
from engage.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def _drawings(markup: str) -> list[ET.Element]:
    wrapper = ET.fromstring(markup)  # noqa: S314
    return [layout.find(f"{SVG}svg") for layout in wrapper]


def _readable(markup: str) -> None:
    """Shown from 280 px (phone) and 560 px (wide) across: font size x scale >= 12 px."""
    for root, narrowest in zip(_drawings(markup), (280, 560), strict=True):
        width = float(root.get("viewBox").split()[2])
        sizes = {float(t.get("font-size").rstrip("px")) for t in root.iter(f"{SVG}text")}
        assert sizes and min(sizes) * narrowest / width >= 12, (width, sizes)


def test_actions_chart_shows_overdue_in_red_and_says_so():
    data = charts.actions_by_status({"Planned": (3, 1), "In progress": (2, 2), "Done": (4, 0)})
    assert data.summary() == (
        "Planned: 3 (Not overdue 2, Overdue 1); In progress: 2 (Not overdue 0, Overdue 2); "
        "Done: 4 (Not overdue 4, Overdue 0)."
    )
    markup = charts.drawing(data)
    assert f'fill="{charts.OVERDUE}"' in markup and f'fill="{charts.ON_TIME}"' in markup
    _readable(markup)


def test_labels_are_escaped_and_long_names_keep_text_readable():
    rows = [
        {
            "engagement": "Short breaks <script>alert(1)</script> & a very long title indeed",
            "young_people": 3,
            "parents": 5,
            "others": 1,
        }
    ]
    markup = charts.drawing(charts.responses_by_group(rows))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    _readable(markup)
    service = "SEND Information, Advice and Support Service (SEND IASS)"
    quarters = charts.share_over_quarters(
        "Satisfaction by quarter",
        "Per cent positive.",
        ["Jan–Mar 2026", "Apr–Jun 2026", "Jul–Sep 2026"],
        [(service, [(3, 4), (0, 0), (1, 2)]), ("Short breaks", [(0, 0), (2, 2), (1, 4)])],
    )
    assert quarters.series[0].name == f"{service} (6 answers)"
    # A quarter without answers is "no answers", never 0%.
    assert quarters.summary().startswith(
        f"Jan–Mar 2026: {service} (6 answers) 75%, Short breaks (6 answers) no answers;"
    )
    _readable(charts.drawing(quarters))


def test_percent_bars_leave_out_what_has_no_figure():
    data = charts.loop_closure(["Council", "NHS", "Forum"], [4, 0, 3], [1, 0, 3])
    assert data.categories == ("Council", "Forum")
    assert data.summary() == "Council: 25%; Forum: 100%."
    markup = charts.drawing(data)
    assert ">25%<" in markup and ">100%<" in markup
    _readable(markup)


def test_drawing_leaves_process_settings_alone():
    plt = pyplot()
    before = plt.rcParams["svg.fonttype"], list(plt.rcParams["font.family"])
    drawn = charts.drawing(charts.themes_raised([{"theme": "Waiting", "count": 4}], 5))
    assert "<text" in drawn and ">Waiting<" in drawn  # text, not paths
    assert (plt.rcParams["svg.fonttype"], list(plt.rcParams["font.family"])) == before
