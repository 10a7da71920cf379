"""Sentiment and theme figures for the results pages, from the running counts of sentiments
and codings (engage.learn.tally)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func

from engage.learn.charts import ChartData, Series
from engage.learn.models import CodingTally, Sentiment, SentimentLabel, SentimentTally, Theme
from engage.learn.scope import SENTIMENT_LABELS, Filters, Scope, tally_sums
from engage.learn.tally import NO_SENTIMENT
from engage.listen.models import GROUP_LABELS, RespondentGroup


def effective_sentiment():
    """What staff confirmed, else what the analyser said."""
    return func.coalesce(Sentiment.confirmed_label, Sentiment.label)


def overall_sentiment(scope: Scope, filters: Filters) -> dict[SentimentLabel, int]:
    rows = tally_sums(SentimentTally, scope, filters, ("label",))
    return {_sentiment(value): number for value, number in rows}


def _sentiment(value) -> SentimentLabel:
    return value if isinstance(value, SentimentLabel) else SentimentLabel(value)


def sentiment_by_theme(scope: Scope, filters: Filters) -> ChartData:
    return theme_charts(scope, filters)[0]


def themes_by_group(scope: Scope, filters: Filters) -> ChartData:
    return theme_charts(scope, filters)[1]


def theme_charts(scope: Scope, filters: Filters) -> tuple[ChartData, ChartData]:
    """(sentiment by theme, themes by group) from the running counts of codings.

    Themes by group counts every coding; sentiment by theme only those whose answer has a
    sentiment (an answer has at most one).
    """
    rows = tally_sums(
        CodingTally,
        scope,
        filters,
        ("theme_id", "respondent_group", "label"),
        named=("theme_id", Theme),
    )
    by_sentiment: dict[str, dict[SentimentLabel, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[str, dict[RespondentGroup, int]] = defaultdict(lambda: defaultdict(int))
    for theme, group, value, number in rows:
        by_group[theme][group] += number
        if value != NO_SENTIMENT:
            by_sentiment[theme][_sentiment(value)] += number
    return _sentiment_chart(by_sentiment), _group_chart(by_group)


def _by_size(table: dict[str, dict]) -> list[str]:
    """Themes with the most codings first, then by name."""
    return sorted(table, key=lambda name: (-sum(table[name].values()), name))


def _sentiment_chart(table: dict[str, dict[SentimentLabel, int]]) -> ChartData:
    themes = _by_size(table)
    return ChartData(
        title="Sentiment by theme",
        description=(
            "Free-text answers coded to each theme, by sentiment (confirmed by staff where "
            "they have reviewed it, otherwise as analysed)."
        ),
        categories=tuple(themes),
        series=tuple(
            Series(SENTIMENT_LABELS[s], tuple(table[t].get(s, 0) for t in themes))
            for s in SentimentLabel
        ),
        category_heading="Theme",
    )


def _group_chart(table: dict[str, dict[RespondentGroup, int]]) -> ChartData:
    themes = _by_size(table)
    groups = [g for g in RespondentGroup if any(table[t].get(g) for t in themes)]
    return ChartData(
        title="Themes by group",
        description="Free-text answers coded to each theme, by who answered.",
        categories=tuple(themes),
        series=tuple(
            Series(GROUP_LABELS[g], tuple(table[t].get(g, 0) for t in themes)) for g in groups
        ),
        category_heading="Theme",
    )


def top_themes(scope: Scope, filters: Filters, limit: int = 5) -> list[tuple[str, int]]:
    rows = tally_sums(CodingTally, scope, filters, ("theme_id",), named=("theme_id", Theme))
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:limit]
