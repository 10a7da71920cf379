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
    themes = sorted(table, key=lambda name: (-sum(table[name].values()), name))
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
    themes = sorted(table, key=lambda name: (-sum(table[name].values()), name))
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
