"""Charts as inline SVG (matplotlib, Agg): no files, no fonts fetched, no external URLs.
Each chart sits beside a table holding the same figures."""

from __future__ import annotations

import io
import re

from engage.learn.charts import DRAWING, pyplot

COLOURS = ["#1d70b8", "#f47738", "#505a5f", "#00703c", "#d4351c"]
STYLE = {
    # Text stays text in the SVG: readable, searchable and small.
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "DejaVu Sans"],
}


def _inline(svg: str, prefix: str, title: str) -> str:
    svg = svg[svg.index("<svg") :]
    # Inline SVG in HTML needs no namespace declarations; ids must be unique on the page.
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace("<svg", f'<svg role="img" aria-labelledby="{prefix}-title"', 1).replace(
        ">", f'><title id="{prefix}-title">{escaped}</title>', 1
    )


def _save(plt, figure, prefix: str, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    plt.close(figure)
    return _inline(buffer.getvalue(), prefix, title)


def horizontal_bars(
    prefix: str, title: str, labels: list[str], series: dict[str, list[int]]
) -> str:
    """Stacked horizontal bars: one bar per label, one colour per series."""
    plt = pyplot()
    with DRAWING, plt.rc_context(STYLE):
        height = max(1.6, 0.45 * len(labels) + 1.0)
        figure, axes = plt.subplots(figsize=(7.5, height))
        left = [0] * len(labels)
        for index, (name, values) in enumerate(series.items()):
            axes.barh(labels, values, left=left, label=name, color=COLOURS[index % len(COLOURS)])
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.invert_yaxis()
        axes.set_title(title, loc="left", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False, fontsize=9, loc="lower right")
        axes.xaxis.get_major_locator().set_params(integer=True)
        return _save(plt, figure, prefix, title)
