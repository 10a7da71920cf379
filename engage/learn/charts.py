"""Charts for the results pages: matplotlib (Agg) drawn server-side into inline, accessible SVG.

Every chart is built from a ChartData, and the page renders the same ChartData as a table, so
the picture and the table can never disagree. Labels are staff-authored (question options,
theme names, services, dates); respondent free text is never drawn, and every label is text
that ElementTree escapes.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
import xml.etree.ElementTree as ET  # noqa: S405 - parses matplotlib's own output, not input
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import count

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# GOV.UK Frontend colours: blue, green, dark grey, red, purple, orange, turquoise, pink.
PALETTE = ("#1d70b8", "#00703c", "#505a5f", "#d4351c", "#4c2c92", "#f47738", "#28a197", "#d53880")
TEXT_COLOUR = "#0b0c0c"

# Properties that SVG also accepts as attributes: the page's CSP (style-src 'self') blocks
# inline style attributes and <style> elements, so matplotlib's styles are moved into these.
PRESENTATION = {
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-miterlimit",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "clip-path",
}
CACHE_SIZE = 256
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


@dataclass(frozen=True)
class Layout:
    """One drawing of a chart: its width in inches (72 SVG units each) and text size in points.

    The stylesheet shows "narrow" in a column under 560 px and caps it at 420 px, "wide" from
    560 px up to 760 px: at 12-13 pt in 288 or 540 units, text stays 12 px or more.
    """

    name: str
    width: float
    font: float
    label_chars: int
    time_labels: int
    value_ticks: int


LAYOUTS = (Layout("narrow", 4.0, 13, 16, 6, 4), Layout("wide", 7.5, 12, 30, 12, 8))


@dataclass(frozen=True)
class Series:
    name: str
    # None only in a line chart: no answers at that point, drawn as a gap, never as 0.
    values: tuple[int | None, ...]


@dataclass(frozen=True)
class ChartData:
    """What a chart shows: one value per category for each series (several series stack)."""

    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_heading: str = "Answer"
    # "bar" draws horizontal bars (answers, themes); "column" draws vertical ones (time);
    # "line" draws one line per series over time, of percentages (0 to 100).
    shape: str = "bar"
    totals: bool = field(default=False)
    value_label: str = ""
    # Values are per cent (0 to 100): bars end at 100 and are labelled "N%".
    percent: bool = False
    # A colour per series instead of the palette's, e.g. red for what is overdue.
    colours: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.categories or not any(any(s.values) for s in self.series)

    def colour(self, index: int) -> str:
        return self.colours[index] if index < len(self.colours) else PALETTE[index % len(PALETTE)]

    def rows(self) -> list[tuple[str, list[int], int]]:
        return [
            (
                category,
                [s.values[i] for s in self.series],
                sum(s.values[i] or 0 for s in self.series),
            )
            for i, category in enumerate(self.categories)
        ]

    def value_text(self, value: int | None) -> str:
        if value is None:
            return "no answers"
        return f"{value}%" if self.percent or self.shape == "line" else str(value)

    def summary(self) -> str:
        """The numbers in words, for the SVG's <desc>."""
        if self.empty:
            return "No responses."
        parts = []
        for category, values, total in self.rows():
            if self.shape == "line" or (self.percent and len(self.series) > 1):
                detail = ", ".join(
                    f"{s.name} {self.value_text(v)}"
                    for s, v in zip(self.series, values, strict=True)
                )
                parts.append(f"{category}: {detail}")
            elif len(self.series) == 1:
                parts.append(f"{category}: {self.value_text(values[0])}")
            else:
                detail = ", ".join(
                    f"{s.name} {v}" for s, v in zip(self.series, values, strict=True)
                )
                parts.append(f"{category}: {total} ({detail})")
        return "; ".join(parts) + "."


_cache: OrderedDict[ChartData, str] = OrderedDict()
_lock = threading.Lock()
# matplotlib's settings are the process's: one chart is drawn at a time, or a chart finishing
# in one thread would restore its settings over another's.
DRAWING = threading.Lock()
_ids = count(1)


def chart_svg(data: ChartData) -> Markup:
    """Inline SVG for the chart, drawn once per distinct data (the data is the cache key).

    Two drawings: one laid out for a phone and one for a wider column. The stylesheet shows the
    one that fits its container (a container query), so text stays at least 12 px across.
    """
    with _lock:
        svg = _cache.get(data)
        if svg is not None:
            _cache.move_to_end(data)
    if svg is None:
        number = next(_ids)
        with DRAWING:
            svg = "".join(
                f'<div class="engage-chart__{layout.name}">'
                f"{_draw(data, f'chart{number}{layout.name[0]}', layout)}</div>"
                for layout in LAYOUTS
            )
        svg = f'<div class="engage-chart">{svg}</div>'
        with _lock:
            _cache[data] = svg
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    # Safe: built by ElementTree (which escapes text) from numbers and staff-authored labels.
    return Markup(svg)  # noqa: S704  # nosec B704


def cache_info() -> int:
    return len(_cache)


def clear_cache() -> None:
    with _lock:
        _cache.clear()


@lru_cache(maxsize=1)
def pyplot():
    """matplotlib's pyplot on the Agg backend, imported at the first chart: a worker that
    never draws one (a respondent's or an export's) stays about 25 MB smaller."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _draw(data: ChartData, prefix: str, layout: Layout) -> str:
    plt = pyplot()
    categories = list(data.categories) or ["(none)"]
    labels = [_wrapped(c, layout) for c in categories] if data.shape == "bar" else categories
    lines = sum(label.count("\n") + 1 for label in labels)
    if data.shape == "bar":
        height = max(2.0, 0.3 * lines * layout.font / 11 + 0.25 * len(categories) + 0.8)
    else:
        height = 3.4 if layout.name == "wide" else 3.2
    if len(data.series) > 1:
        # Room for the legend below, row by row, so that it never squeezes the axes into it.
        keys = [_key(s, layout) for s in data.series]
        columns = _legend_columns(keys, layout)
        lines_per_row = [
            max(key.count("\n") + 1 for key in keys[i : i + columns])
            for i in range(0, len(keys), columns)
        ]
        height += sum(lines_per_row) * layout.font * 1.4 / 72
    with plt.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": prefix,
            # Bundled with matplotlib, so layout never depends on fonts installed here.
            "font.family": "DejaVu Sans",
            "font.size": layout.font,
            "text.color": TEXT_COLOUR,
            "axes.labelcolor": TEXT_COLOUR,
            "xtick.color": TEXT_COLOUR,
            "ytick.color": TEXT_COLOUR,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        # Constrained layout makes room for the legend below the axes, whatever its height.
        figure, axes = plt.subplots(figsize=(layout.width, height), layout="constrained")
        try:
            positions = list(range(len(categories)))
            if data.shape == "line":
                _lines(axes, data, positions, layout)
            else:
                _bars(axes, data, positions, labels, layout)
            if len(data.series) > 1:
                figure.legend(
                    frameon=False,
                    loc="outside lower center",
                    ncols=_legend_columns([_key(s, layout) for s in data.series], layout),
                )
            buffer = io.StringIO()
            # A tight box around everything drawn: no label or legend entry is ever cut off.
            figure.savefig(
                buffer,
                format="svg",
                bbox_inches="tight",
                pad_inches=0.04,
                metadata={"Date": None, "Creator": None},
            )
        finally:
            plt.close(figure)
    return _accessible_svg(buffer.getvalue(), data, prefix)


def _bars(axes, data: ChartData, positions: list[int], labels: list[str], layout) -> None:
    base = [0] * len(positions)
    for index, series in enumerate(data.series):
        values = [value or 0 for value in series.values] or [0] * len(positions)
        colour = data.colour(index)
        if data.shape == "bar":
            axes.barh(positions, values, left=base, color=colour, label=_key(series, layout))
        else:
            axes.bar(positions, values, bottom=base, color=colour, label=_key(series, layout))
        base = [b + v for b, v in zip(base, values, strict=True)]
    if data.shape == "bar":
        axes.set_yticks(positions, labels=labels)
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True, nbins=layout.value_ticks)
        # Room at the end of the longest bar for its total.
        axes.set_xlim(0, (100 if data.percent else max(max(base, default=0), 1)) * 1.18)
        if data.percent:
            ticks = [0, 50, 100] if layout.name == "narrow" else [0, 25, 50, 75, 100]
            axes.set_xticks(ticks, labels=[f"{tick}%" for tick in ticks])
        for position, total in zip(positions, base, strict=True):
            axes.annotate(
                data.value_text(total),
                (total, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
            )
    else:
        _time_ticks(axes, data, positions, layout)
        axes.yaxis.get_major_locator().set_params(integer=True)


def _lines(axes, data: ChartData, positions: list[int], layout) -> None:
    for index, series in enumerate(data.series):
        colour = data.colour(index)
        axes.plot(
            positions,
            [float("nan") if value is None else value for value in series.values],
            color=colour,
            marker=MARKERS[index % len(MARKERS)],
            linewidth=2,
            label=_key(series, layout),
        )
    axes.set_ylim(0, 100)
    axes.set_yticks([0, 25, 50, 75, 100], labels=[f"{tick}%" for tick in (0, 25, 50, 75, 100)])
    if data.value_label:
        axes.set_ylabel(data.value_label)
    _time_ticks(axes, data, positions, layout)


def _time_ticks(axes, data: ChartData, positions: list[int], layout) -> None:
    """Some labels under the columns or points; the table beside has them all."""
    step = max(1, -(-len(data.categories) // layout.time_labels))
    labels = [_short(c, 16) if i % step == 0 else "" for i, c in enumerate(data.categories)]
    tilted = len([label for label in labels if label]) > layout.time_labels // 2
    axes.set_xticks(
        positions, labels=labels, rotation=45 if tilted else 0, ha="right" if tilted else "center"
    )
    if data.shape == "line" and positions:
        axes.set_xlim(-0.4, len(positions) - 0.6)


def _wrapped(label: str, layout: Layout) -> str:
    """At most three lines; a label cut short ends in an ellipsis (the table has it whole)."""
    lines = textwrap.wrap(label, layout.label_chars)
    if len(lines) > 3:
        lines = [*lines[:2], _short(lines[2] + " " + lines[3], layout.label_chars)]
    return "\n".join(lines) or label


def _key(series: Series, layout: Layout) -> str:
    """A legend entry, wrapped to fit across the figure beside its colour key: a long name
    widening the drawing would shrink all of its text."""
    fits = int((layout.width * 72 * 0.95 - 3 * layout.font) // (0.6 * layout.font))
    return "\n".join(textwrap.wrap(series.name, fits)) or series.name


def _legend_columns(names: list[str], layout: Layout) -> int:
    """As many legend entries to a row as fit across the figure (at about 0.6 em a character,
    plus the colour key), so the legend wraps onto more rows rather than running off."""
    longest = max(len(line) for name in names for line in name.split("\n"))
    widest = longest * 0.6 * layout.font + 3 * layout.font
    return max(1, min(len(names), int(layout.width * 72 * 0.95 // widest)))


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _accessible_svg(raw: str, data: ChartData, prefix: str) -> str:
    root = ET.fromstring(raw)  # noqa: S314  # nosec B314 - matplotlib's own output
    _strip(root)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    referenced = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            referenced.update(re.findall(r"#([\w.-]+)", value) if name != "id" else ())
    renamed = {old: f"{prefix}-{n}" for n, old in enumerate(sorted(ids & referenced))}
    for element in root.iter():
        old = element.get("id")
        if old is not None:
            if old in renamed:
                element.set("id", renamed[old])
            else:
                del element.attrib["id"]
        for name, value in list(element.attrib.items()):
            if "#" in value and name != "id":
                element.set(
                    name,
                    re.sub(
                        r"#([\w.-]+)", lambda m: "#" + renamed.get(m.group(1), m.group(1)), value
                    ),
                )
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("focusable", "false")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    title = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{prefix}-title"})
    title.text = data.title
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{prefix}-desc"})
    desc.text = f"{data.description} {data.summary()}".strip()
    root.insert(0, desc)
    root.insert(0, title)
    return ET.tostring(root, encoding="unicode")


def _strip(root: ET.Element) -> None:
    """Drop metadata and <style>; turn style attributes into presentation attributes."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if not style:
            continue
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name in PRESENTATION and value:
                element.set(name, value)
    # matplotlib's global rule (*{stroke-linejoin: round}) becomes an attribute on the root.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
