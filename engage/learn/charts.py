"""Charts for the results pages: matplotlib (Agg) drawn server-side into inline, accessible SVG.

Every chart is built from a ChartData, and the page renders the same ChartData as a table, so
the picture and the table can never disagree. Labels are staff-authored (question options,
theme names, dates); respondent free text is never drawn.
"""

from __future__ import annotations

import io
import re
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


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class ChartData:
    """What a chart shows: one value per category for each series (several series stack)."""

    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_heading: str = "Answer"
    # "bar" draws horizontal bars (answers, themes); "column" draws vertical ones (time).
    shape: str = "bar"
    totals: bool = field(default=False)

    @property
    def empty(self) -> bool:
        return not self.categories or not any(any(s.values) for s in self.series)

    def rows(self) -> list[tuple[str, list[int], int]]:
        return [
            (category, [s.values[i] for s in self.series], sum(s.values[i] for s in self.series))
            for i, category in enumerate(self.categories)
        ]

    def summary(self) -> str:
        """The numbers in words, for the SVG's <desc>."""
        if self.empty:
            return "No responses."
        parts = []
        for category, values, total in self.rows():
            if len(self.series) == 1:
                parts.append(f"{category}: {values[0]}")
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
    """Inline SVG for the chart, drawn once per distinct data (the data is the cache key)."""
    with _lock:
        svg = _cache.get(data)
        if svg is not None:
            _cache.move_to_end(data)
    if svg is None:
        svg = _draw(data, f"chart{next(_ids)}")
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


def _draw(data: ChartData, prefix: str) -> str:
    plt = pyplot()
    categories = list(data.categories) or ["(none)"]
    height = max(2.2, 0.45 * len(categories) + 1.4) if data.shape == "bar" else 3.4
    with plt.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": prefix,
            # Bundled with matplotlib, so layout never depends on fonts installed here.
            "font.family": "DejaVu Sans",
            "font.size": 11,
            "text.color": TEXT_COLOUR,
            "axes.labelcolor": TEXT_COLOUR,
            "xtick.color": TEXT_COLOUR,
            "ytick.color": TEXT_COLOUR,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        figure, axes = plt.subplots(figsize=(7.5, height))
        try:
            positions = list(range(len(categories)))
            base = [0] * len(categories)
            for index, series in enumerate(data.series):
                values = list(series.values) or [0] * len(categories)
                colour = PALETTE[index % len(PALETTE)]
                if data.shape == "bar":
                    axes.barh(positions, values, left=base, color=colour, label=series.name)
                else:
                    axes.bar(positions, values, bottom=base, color=colour, label=series.name)
                base = [b + v for b, v in zip(base, values, strict=True)]
            if data.shape == "bar":
                axes.set_yticks(positions, labels=[_short(c) for c in categories])
                axes.invert_yaxis()
                axes.xaxis.get_major_locator().set_params(integer=True)
                for position, total in zip(positions, base, strict=True):
                    axes.annotate(
                        str(total),
                        (total, position),
                        xytext=(4, 0),
                        textcoords="offset points",
                        va="center",
                    )
            else:
                # About a dozen labels fit under the columns; the table beside has them all.
                step = max(1, -(-len(categories) // 12))
                labels = [_short(c, 16) if i % step == 0 else "" for i, c in enumerate(categories)]
                tilted = len(categories) > 6
                axes.set_xticks(
                    positions,
                    labels=labels,
                    rotation=45 if tilted else 0,
                    ha="right" if tilted else "center",
                )
                axes.yaxis.get_major_locator().set_params(integer=True)
            if len(data.series) > 1:
                axes.legend(
                    frameon=False,
                    loc="upper center",
                    bbox_to_anchor=(0.5, -0.12) if data.shape == "bar" else (0.5, -0.3),
                    ncol=len(data.series),
                )
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(figure)
    return _accessible_svg(buffer.getvalue(), data, prefix)


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
