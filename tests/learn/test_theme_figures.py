"""Sentiment by theme and themes by group from one query: the same charts as counting each on
its own, with codings that have a sentiment and codings that have none, under any filter."""

from __future__ import annotations

from sqlalchemy import event

from engage.extensions import db
from engage.learn.models import SentimentLabel
from engage.learn.results import Filters, survey_scope
from engage.learn.theme_results import sentiment_by_theme, theme_charts, themes_by_group
from engage.listen.models import RespondentGroup
from tests.learn.results_factories import (
    code,
    feel,
    free_text_answer,
    make_response,
    make_survey,
    make_theme,
)

PARENT = RespondentGroup.PARENT_CARER
PROFESSIONAL = RespondentGroup.PROFESSIONAL


def _fixture():
    survey = make_survey()
    waiting, staff, buildings = (
        make_theme("Waiting times"),
        make_theme("Staff attitude"),
        make_theme("Buildings"),
    )

    def coded(themes, label=None, group=RespondentGroup.YOUNG_PERSON, submitted=True, to=survey):
        response = make_response(to, better="words", group=group, submitted=submitted)
        answer = free_text_answer(response)
        for theme in themes:
            code(answer, theme)
        if label is not None:
            feel(answer, label)
        return answer

    # Waiting times: most codings, but only one with a sentiment, so it comes first by group
    # and last by sentiment.
    coded([waiting])
    coded([waiting], group=PARENT)
    coded([waiting], group=PARENT)
    coded([waiting, staff], SentimentLabel.NEGATIVE, group=PARENT)
    coded([staff], SentimentLabel.POSITIVE)
    feel(coded([staff]), SentimentLabel.NEGATIVE, confirmed=SentimentLabel.NEUTRAL)
    # Buildings: no sentiment at all, so it is in themes by group only.
    coded([buildings], group=PROFESSIONAL)
    # Drafts and other surveys count nowhere.
    coded([waiting, staff, buildings], SentimentLabel.POSITIVE, submitted=False)
    coded([waiting, staff], SentimentLabel.POSITIVE, to=make_survey())
    db.session.flush()
    return survey


def _values(chart):
    return chart.categories, {series.name: series.values for series in chart.series}


def test_theme_charts_equal_the_two_charts_counted_apart(app_context):
    scope = survey_scope(_fixture())
    for filters in (Filters(), Filters(group=PARENT), Filters(group=PROFESSIONAL)):
        assert theme_charts(scope, filters) == (
            sentiment_by_theme(scope, filters),
            themes_by_group(scope, filters),
        )

    by_sentiment, by_group = theme_charts(scope, Filters())
    assert by_sentiment.title == "Sentiment by theme" and by_group.title == "Themes by group"
    assert _values(by_sentiment) == (
        ("Staff attitude", "Waiting times"),
        {"Positive": (1, 0), "Neutral": (1, 0), "Negative": (1, 1)},
    )
    assert _values(by_group) == (
        ("Waiting times", "Staff attitude", "Buildings"),
        {
            "Children and young people": (1, 2, 0),
            "Parents and carers": (3, 1, 0),
            "Professionals": (0, 0, 1),
        },
    )

    by_sentiment, by_group = theme_charts(scope, Filters(group=PARENT))
    assert _values(by_sentiment) == (
        ("Staff attitude", "Waiting times"),
        {"Positive": (0, 0), "Neutral": (0, 0), "Negative": (1, 1)},
    )
    assert _values(by_group) == (
        ("Waiting times", "Staff attitude"),
        {"Parents and carers": (3, 1)},
    )


def test_theme_charts_with_no_codings_are_empty(app_context):
    survey = make_survey()
    make_response(survey, better="Nothing coded yet")
    scope = survey_scope(survey)
    by_sentiment, by_group = theme_charts(scope, Filters())
    assert by_sentiment.categories == () and by_group.categories == () and by_group.series == ()
    assert (by_sentiment, by_group) == (
        sentiment_by_theme(scope, Filters()),
        themes_by_group(scope, Filters()),
    )


def test_theme_charts_ask_the_database_once(app_context):
    scope = survey_scope(_fixture())
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        theme_charts(scope, Filters())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
