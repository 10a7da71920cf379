"""Sentiment and theme figures for the results pages (counted in SQL)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from engage.extensions import db
from engage.learn.charts import ChartData, Series
from engage.learn.models import Coding, Sentiment, SentimentLabel, Theme
from engage.learn.scope import GROUP_LABELS, SENTIMENT_LABELS, Filters, Scope, response_conditions
from engage.listen.models import Answer, RespondentGroup, Response


def effective_sentiment():
    """What staff confirmed, else what the analyser said."""
    return func.coalesce(Sentiment.confirmed_label, Sentiment.label)


def overall_sentiment(scope: Scope, filters: Filters) -> dict[SentimentLabel, int]:
    label = effective_sentiment()
    rows = db.session.execute(
        select(label, func.count())
        .select_from(Sentiment)
        .join(Answer, Answer.id == Sentiment.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(scope, filters))
        .group_by(label)
    ).all()
    return {_sentiment(value): number for value, number in rows}


def _sentiment(value) -> SentimentLabel:
    return value if isinstance(value, SentimentLabel) else SentimentLabel(value)


def sentiment_by_theme(scope: Scope, filters: Filters) -> ChartData:
    label = effective_sentiment()
    rows = db.session.execute(
        select(Theme.name, label, func.count())
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Sentiment, Sentiment.answer_id == Answer.id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name, label)
    ).all()
    table: dict[str, dict[SentimentLabel, int]] = defaultdict(dict)
    for theme, value, number in rows:
        table[theme][_sentiment(value)] = number
    return _sentiment_chart(table)


def themes_by_group(scope: Scope, filters: Filters) -> ChartData:
    rows = db.session.execute(
        select(Theme.name, Response.respondent_group, func.count())
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name, Response.respondent_group)
    ).all()
    table: dict[str, dict[RespondentGroup, int]] = defaultdict(dict)
    for theme, group, number in rows:
        table[theme][group] = number
    return _group_chart(table)


def theme_charts(scope: Scope, filters: Filters) -> tuple[ChartData, ChartData]:
    """(sentiment_by_theme, themes_by_group) from one pass over the codings instead of two.

    The join to Sentiment is an outer one: themes by group counts every coding, sentiment by
    theme only those whose answer has a sentiment (an answer has at most one).
    """
    label = effective_sentiment()
    rows = db.session.execute(
        select(Theme.name, Response.respondent_group, label, func.count())
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Sentiment, Sentiment.answer_id == Answer.id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name, Response.respondent_group, label)
    ).all()
    by_sentiment: dict[str, dict[SentimentLabel, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[str, dict[RespondentGroup, int]] = defaultdict(lambda: defaultdict(int))
    for theme, group, value, number in rows:
        by_group[theme][group] += number
        if value is not None:
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
    number = func.count(Coding.id)
    rows = db.session.execute(
        select(Theme.name, number)
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name)
        .order_by(number.desc(), Theme.name)
        .limit(limit)
    ).all()
    return [(name, count) for name, count in rows]
