"""Charts: accessible inline SVG that the page's CSP allows, escaped, cached by their data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in a test

from engage.learn import charts
from engage.learn.charts import ChartData, Series, chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**changes) -> ChartData:
    fields = {
        "title": "How do you feel?",
        "description": "Answers from young people.",
        "categories": ("Very happy", "Happy", "Sad"),
        "series": (Series("Responses", (3, 1, 0)),),
    }
    fields.update(changes)
    return ChartData(**fields)


def _drawings(markup) -> list[ET.Element]:
    """The chart's SVGs: one laid out for a phone, one for a wider column."""
    wrapper = ET.fromstring(str(markup))  # noqa: S314
    assert wrapper.get("class") == "engage-chart"
    return [layout.find(f"{SVG}svg") for layout in wrapper]


def test_svg_has_a_title_description_and_the_numbers():
    drawings = _drawings(chart_svg(_chart()))
    assert len(drawings) == 2
    for root in drawings:
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title.text == "How do you feel?"
        assert desc.text == "Answers from young people. Very happy: 3; Happy: 1; Sad: 0."
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_each_layout_keeps_text_readable_at_its_narrowest():
    # Shown from 280 px (phone) and 560 px (wide) across: font size x scale >= 12 px.
    narrow, wide = _drawings(chart_svg(_chart(title="Sizes")))
    for root, narrowest in ((narrow, 280), (wide, 560)):
        width = float(root.get("viewBox").split()[2])
        sizes = {float(t.get("font-size").rstrip("px")) for t in root.iter(f"{SVG}text")}
        assert sizes and min(sizes) * narrowest / width >= 12, (width, sizes)


def test_a_long_legend_wraps_inside_the_drawing():
    names = ("On their own", "With help", "Someone answered for them", "Not said")
    data = _chart(
        title="Legend",
        categories=("Children and young people", "Parents and carers"),
        series=tuple(Series(name, (1, 2)) for name in names),
    )
    for root, planned in zip(_drawings(chart_svg(data)), (288, 540), strict=True):
        width = float(root.get("viewBox").split()[2])
        assert width <= planned + 8, width  # the legend wrapped rather than widening it
        words = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
        assert all(name in words for name in names)


def test_stacked_chart_description_gives_each_series():
    data = _chart(
        categories=("Waiting times",),
        series=(Series("Positive", (1,)), Series("Negative", (2,))),
    )
    assert data.summary() == "Waiting times: 3 (Positive 1, Negative 2)."
    assert data.rows() == [("Waiting times", [1, 2], 3)]


def test_svg_obeys_a_strict_style_policy():
    # style-src 'self' blocks <style> and style="" in inline SVG: neither may appear.
    svg = str(chart_svg(_chart(shape="column")))
    assert "<style" not in svg and "style=" not in svg
    assert "<script" not in svg and "<metadata" not in svg
    assert 'fill="#1d70b8"' in svg  # the bars keep their colour as attributes


def test_labels_are_escaped():
    svg = str(
        chart_svg(_chart(title="<script>alert(1)</script>", categories=("A & <b>", "B", "C")))
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "A &amp; &lt;b&gt;" in svg
    _drawings(svg)  # still well-formed


def test_ids_are_unique_across_charts_on_one_page():
    first = str(chart_svg(_chart()))
    second = str(chart_svg(_chart(title="Another")))
    ids = re.findall(r' id="([^"]+)"', first) + re.findall(r' id="([^"]+)"', second)
    assert len(ids) == len(set(ids))
    # Every internal reference points at an id in the same chart.
    for svg in (first, second):
        own = set(re.findall(r' id="([^"]+)"', svg))
        references = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
        assert references and {a or b for a, b in references} <= own


def test_same_data_is_drawn_once():
    charts.clear_cache()
    data = _chart(title="Cached")
    first = chart_svg(data)
    assert charts.cache_info() == 1
    assert chart_svg(_chart(title="Cached")) is not None and charts.cache_info() == 1
    assert str(chart_svg(_chart(title="Cached"))) == str(first)
    chart_svg(_chart(title="Cached", series=(Series("Responses", (3, 2, 0)),)))
    assert charts.cache_info() == 2  # new numbers, a new drawing


def test_empty_chart_is_marked_empty():
    assert _chart(series=(Series("Responses", (0, 0, 0)),)).empty
    assert _chart(categories=(), series=(Series("Responses", ()),)).empty
    assert _chart(categories=(), series=(Series("Responses", ()),)).summary() == "No responses."
