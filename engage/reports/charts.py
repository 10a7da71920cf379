"""The reports' charts (dashboard and governance report), as plain ChartData: drawn the same
way as the results pages' (engage.learn.charts: two layouts, text at least 12 px, escaped
labels, a title and a description in words), each shown beside a table of its numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from markupsafe import Markup

from engage.learn.charts import ChartData, Series, chart_svg

# GOV.UK Frontend blue for what is on time, red for what is overdue.
ON_TIME, OVERDUE = "#1d70b8", "#d4351c"
_STYLE = Path(__file__).resolve().parents[1] / "static" / "charts.css"


def style() -> Markup:
    """The charts' stylesheet, for a self-contained file that links to nothing."""
    # Safe: our own static file, not input.
    return Markup(_STYLE.read_text(encoding="utf-8"))  # noqa: S704  # nosec B704


def drawing(data: ChartData) -> str:
    return str(chart_svg(data))


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def actions_by_status(counts: Mapping[str, tuple[int, int]]) -> ChartData:
    """Actions in each status, {label: (all, overdue)}; the overdue part of a bar in red."""
    labels = tuple(counts)
    return ChartData(
        title="Actions by status",
        description=(
            "Number of actions in each status. Overdue actions (past their due date and "
            "not done) are shown in red."
        ),
        categories=labels,
        series=(
            Series("Not overdue", tuple(counts[label][0] - counts[label][1] for label in labels)),
            Series("Overdue", tuple(counts[label][1] for label in labels)),
        ),
        category_heading="Status",
        colours=(ON_TIME, OVERDUE),
    )


def responses_by_group(rows: Sequence[Mapping]) -> ChartData:
    """Responses per engagement from young people in their own voice, parents and others."""
    return ChartData(
        title="Responses by group",
        description="Submitted responses to each engagement, by who answered.",
        categories=tuple(row["engagement"] for row in rows),
        series=(
            Series("Young people (own voice)", tuple(row["young_people"] for row in rows)),
            Series("Parents and carers", tuple(row["parents"] for row in rows)),
            Series("Other", tuple(row["others"] for row in rows)),
        ),
        category_heading="Engagement",
    )


def themes_raised(rows: Sequence[Mapping], smallest: int) -> ChartData:
    return ChartData(
        title=f"Themes raised by {smallest} or more responses",
        description="Number of responses whose written answers were coded to each theme.",
        categories=tuple(row["theme"] for row in rows),
        series=(Series("Responses", tuple(row["count"] for row in rows)),),
        category_heading="Theme",
    )


def loop_closure(names: Sequence[str], raised: Sequence[int], closed: Sequence[int]) -> ChartData:
    """Per cent of the themes raised that have a published update, per commissioner (only
    those with any theme raised: a share of nothing is not 0%)."""
    shown = [i for i, number in enumerate(raised) if number]
    return ChartData(
        title="Loop closure per commissioner",
        description=(
            "Per cent of the themes people raised that have a published 'You said, we did' "
            "update. Commissioners with no themes raised are left out."
        ),
        categories=tuple(names[i] for i in shown),
        series=(Series("Loop closure", tuple(share(closed[i], raised[i]) for i in shown)),),
        category_heading="Commissioner",
        percent=True,
    )


def own_voice_share(names: Sequence[str], young: Sequence[int], all_: Sequence[int]) -> ChartData:
    shown = [i for i, number in enumerate(all_) if number]
    return ChartData(
        title="Young people's own voice, per service",
        description=(
            "Per cent of each service's responses that came from children and young people "
            "in their own words (on their own or with help). Services with no responses are "
            "left out."
        ),
        categories=tuple(names[i] for i in shown),
        series=(Series("Own voice", tuple(share(young[i], all_[i]) for i in shown)),),
        category_heading="Service",
        percent=True,
    )


def share_over_quarters(
    title: str,
    description: str,
    quarters: Sequence[str],
    by_service: Sequence[tuple[str, Sequence[tuple[int, int]]]],
) -> ChartData:
    """One line per service of the per cent positive each quarter, from (positive, answers)
    pairs; the legend gives each service's number of answers, the table each quarter's."""
    return ChartData(
        title=title,
        description=description,
        categories=tuple(quarters),
        series=tuple(
            Series(
                f"{name} ({sum(n for _p, n in pairs)} answers)",
                tuple(share(p, n) for p, n in pairs),
            )
            for name, pairs in by_service
        ),
        category_heading="Quarter",
        shape="line",
        value_label="Per cent positive",
    )
