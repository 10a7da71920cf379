"""Results aggregations: counts, per-question charts, themes, sentiment, trend and filters."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from engage.extensions import db
from engage.learn import results
from engage.learn.models import SentimentLabel
from engage.learn.quotes import find_quotes
from engage.learn.results import Filters, survey_scope
from engage.listen.models import AnsweredHow, Channel, RespondentGroup, Response
from tests.learn.results_factories import (
    WHEN,
    code,
    feel,
    flag,
    free_text_answer,
    make_response,
    make_service,
    make_survey,
    make_theme,
)


def _survey_with_mix():
    survey = make_survey()
    make_response(survey, feel="very_happy", helps=["pictures", "games"], better="More games")
    make_response(survey, feel="happy", helps=["pictures"], how=AnsweredHow.WITH_HELP)
    make_response(
        survey,
        feel="sad",
        group=RespondentGroup.PARENT_CARER,
        channel=Channel.PAPER,
        how=AnsweredHow.ON_BEHALF,
        when=WHEN + timedelta(days=10),
    )
    # A draft: it must never count anywhere.
    make_response(survey, feel="very_sad", helps=["games"], better="draft words", submitted=False)
    return survey


def _chart_counts(survey, key, filters=Filters()):
    result = next(r for r in results.question_results(survey, filters) if r.question.key == key)
    return dict(zip(result.chart.categories, result.chart.series[0].values, strict=True))


def test_counts_by_group_channel_and_how_exclude_drafts(app_context):
    survey = _survey_with_mix()
    counts = results.response_counts(survey_scope(survey), Filters())
    assert counts.total == 3
    assert counts.by_group == {RespondentGroup.YOUNG_PERSON: 2, RespondentGroup.PARENT_CARER: 1}
    assert counts.by_channel == {Channel.ONLINE: 2, Channel.PAPER: 1}
    assert counts.by_group_and_how[(RespondentGroup.YOUNG_PERSON, AnsweredHow.OWN)] == 1
    assert counts.by_group_and_how[(RespondentGroup.YOUNG_PERSON, AnsweredHow.WITH_HELP)] == 1
    assert counts.by_group_and_how[(RespondentGroup.PARENT_CARER, AnsweredHow.ON_BEHALF)] == 1
    assert counts.young_people_own_voice == 2


def test_single_and_multiple_choice_counts_exclude_drafts(app_context):
    survey = _survey_with_mix()
    assert _chart_counts(survey, "feel") == {
        "Very happy": 1,
        "Happy": 1,
        "Okay": 0,
        "Sad": 1,
        "Very sad": 0,
    }
    assert _chart_counts(survey, "helps") == {
        "Pictures and symbols": 2,
        "Games": 1,
        "Someone who listens": 0,
    }
    free_text = next(
        r for r in results.question_results(survey, Filters()) if r.question.key == "better"
    )
    assert free_text.chart is None and free_text.answered == 1


def test_filters_change_the_numbers(app_context):
    other_service = make_service("Short breaks")
    survey = _survey_with_mix()
    scope = survey_scope(survey)
    parents = Filters(group=RespondentGroup.PARENT_CARER)
    assert results.response_counts(scope, parents).total == 1
    assert _chart_counts(survey, "feel", parents)["Sad"] == 1
    assert _chart_counts(survey, "feel", parents)["Very happy"] == 0
    assert results.response_counts(scope, Filters(channel=Channel.PAPER)).total == 1
    later = Filters(date_from=(WHEN + timedelta(days=5)).date())
    assert results.response_counts(scope, later).total == 1
    earlier = Filters(date_to=WHEN.date())
    assert results.response_counts(scope, earlier).total == 2
    assert results.response_counts(scope, Filters(service_id=other_service.id)).total == 0


def test_service_filter_follows_the_engagement(app_context):
    service = make_service()
    survey = make_survey(services=[service])
    make_response(survey, feel="happy")
    assert results.response_counts(survey_scope(survey), Filters(service_id=service.id)).total == 1
    assert results.service_scope(service).survey_ids == (survey.id,)


def test_sentiment_by_theme_uses_staff_confirmation(app_context):
    survey = make_survey()
    waiting = make_theme("Waiting times")
    first = free_text_answer(make_response(survey, better="Waited too long"))
    second = free_text_answer(make_response(survey, better="Quick to see us"))
    draft = free_text_answer(make_response(survey, better="draft", submitted=False))
    for answer in (first, second, draft):
        code(answer, waiting)
    feel(first, SentimentLabel.NEGATIVE)
    feel(second, SentimentLabel.NEGATIVE, confirmed=SentimentLabel.POSITIVE)
    feel(draft, SentimentLabel.NEGATIVE)
    chart = results.sentiment_by_theme(survey_scope(survey), Filters())
    assert chart.categories == ("Waiting times",)
    by_series = {s.name: s.values for s in chart.series}
    assert by_series == {"Positive": (1,), "Neutral": (0,), "Negative": (1,)}
    overall = results.overall_sentiment(survey_scope(survey), Filters())
    assert overall == {SentimentLabel.POSITIVE: 1, SentimentLabel.NEGATIVE: 1}


def test_themes_by_group_and_top_themes(app_context):
    survey = make_survey()
    waiting, staff = make_theme("Waiting times"), make_theme("Staff attitude")
    young = free_text_answer(make_response(survey, better="long wait"))
    parent = free_text_answer(
        make_response(survey, better="long wait, rude", group=RespondentGroup.PARENT_CARER)
    )
    code(young, waiting)
    code(parent, waiting)
    code(parent, staff)
    chart = results.themes_by_group(survey_scope(survey), Filters())
    assert chart.categories == ("Waiting times", "Staff attitude")
    assert {s.name: s.values for s in chart.series} == {
        "Children and young people": (1, 0),
        "Parents and carers": (1, 1),
    }
    assert results.top_themes(survey_scope(survey), Filters()) == [
        ("Waiting times", 2),
        ("Staff attitude", 1),
    ]


def test_responses_per_week_fill_empty_weeks(app_context):
    survey = make_survey()
    make_response(survey, when=WHEN)
    make_response(survey, when=WHEN + timedelta(days=2))
    make_response(survey, when=WHEN + timedelta(days=15))
    make_response(survey, when=WHEN + timedelta(days=15), submitted=False)
    chart = results.responses_over_time(survey_scope(survey), Filters())
    assert chart.categories == ("w/c 02 Mar 2026", "w/c 09 Mar 2026", "w/c 16 Mar 2026")
    assert chart.series[0].values == (2, 0, 1)


def test_satisfaction_and_listened_to_per_month(app_context):
    survey = make_survey()
    make_response(survey, feel="happy", listened_to="agree")
    make_response(survey, feel="sad", listened_to="disagree")
    make_response(survey, feel="very_happy", listened_to="agree", when=WHEN + timedelta(days=31))
    scope = survey_scope(survey)
    satisfaction = results.positive_share_over_time(
        scope, Filters(), title="Satisfaction", description=""
    )
    assert satisfaction.chart.categories == ("Mar 2026", "Apr 2026")
    assert satisfaction.positives == (2, 2) and satisfaction.answers == (4, 2)
    assert satisfaction.chart.series[0].values == (50, 100)
    listened = results.positive_share_over_time(
        scope, Filters(), title="Listened", description="", key_contains="listened"
    )
    assert listened.answers == (2, 1) and listened.chart.series[0].values == (50, 100)


def test_quotes_search_filter_and_leave_out_flagged_and_drafts(app_context):
    survey = make_survey()
    waiting = make_theme("Waiting times")
    kept = make_response(survey, better="The wait was 100% too long")
    code(free_text_answer(kept), waiting)
    feel(free_text_answer(kept), SentimentLabel.NEGATIVE)
    make_response(survey, better="Lovely staff", group=RespondentGroup.PARENT_CARER)
    flagged = make_response(survey, better="Someone hurts me at home")
    flag(flagged, free_text_answer(flagged))
    make_response(survey, better="draft words", submitted=False)
    scope = survey_scope(survey)

    everything = find_quotes(scope, Filters())
    texts = {q.text for q in everything.quotes}
    assert texts == {"The wait was 100% too long", "Lovely staff"}
    assert find_quotes(scope, Filters(), search="100%").total == 1
    assert find_quotes(scope, Filters(), search="_").total == 0
    assert find_quotes(scope, Filters(), search="LOVELY").quotes[0].text == "Lovely staff"
    by_theme = find_quotes(scope, Filters(), theme_id=waiting.id)
    assert [q.themes for q in by_theme.quotes] == [["Waiting times"]]
    negative = find_quotes(scope, Filters(), sentiment=SentimentLabel.NEGATIVE)
    assert negative.total == 1
    parents = find_quotes(scope, Filters(group=RespondentGroup.PARENT_CARER))
    assert [q.text for q in parents.quotes] == ["Lovely staff"]


def test_filters_round_trip_as_arguments():
    filters = Filters(
        group=RespondentGroup.PARENT_CARER,
        service_id=3,
        date_from=date(2026, 1, 1),
        channel=Channel.PHONE,
    )
    assert filters.as_args() == {
        "group": "parent_carer",
        "service": "3",
        "date_from": "2026-01-01",
        "channel": "phone",
    }
    assert Filters().as_args() == {} and not Filters().active


def test_trend_switches_to_months_over_half_a_year(app_context):
    survey = make_survey()
    make_response(survey, when=WHEN)
    make_response(survey, when=WHEN + timedelta(days=200))
    chart = results.responses_over_time(survey_scope(survey), Filters(), by="auto")
    assert chart.title == "Responses per month"
    assert chart.categories[0] == "Mar 2026" and len(chart.categories) == 7
    assert sum(chart.series[0].values) == 2
    short = results.responses_over_time(
        survey_scope(survey), Filters(date_to=WHEN.date()), by="auto"
    )
    assert short.title == "Responses per week"


def _survey_in_two_languages(services=None):
    """Polish and English responses, with written answers coded and felt, over two months."""
    survey = make_survey(services=services)
    waits, games = make_theme("Waiting times"), make_theme("Games")
    rows = [
        ("pl", "very_happy", "agree", ["games"], waits, SentimentLabel.NEGATIVE, WHEN),
        ("pl", "sad", "disagree", ["pictures", "games"], waits, SentimentLabel.NEGATIVE, WHEN),
        ("en", "happy", "agree", ["pictures"], games, SentimentLabel.POSITIVE, WHEN),
        ("en", "very_sad", "strongly_agree", None, games, SentimentLabel.NEUTRAL, WHEN),
        ("en", "happy", None, ["games"], waits, SentimentLabel.POSITIVE, WHEN + timedelta(40)),
    ]
    for language, feeling, listened, helps, theme, label, when in rows:
        response = make_response(
            survey,
            feel=feeling,
            listened_to=listened,
            helps=helps,
            better="Words",
            group=RespondentGroup.PARENT_CARER if language == "pl" else RespondentGroup.OTHER,
            when=when,
        )
        response.language = language
        written = free_text_answer(response)
        code(written, theme)
        feel(written, label)
    return survey


def test_a_language_filter_applies_to_every_figure_of_the_page(app_context):
    service = make_service()
    survey = _survey_in_two_languages([service])
    polish = results.results_page([survey], Filters(language="pl"), use_cache=False)
    assert polish.counts.total == 2
    assert polish.counts.by_group == {RespondentGroup.PARENT_CARER: 2}
    assert _chart_counts(survey, "helps", Filters(language="pl")) == {
        "Pictures and symbols": 1,
        "Games": 2,
        "Someone who listens": 0,
    }
    assert polish.sentiment == {SentimentLabel.NEGATIVE: 2}
    assert polish.sentiment_by_theme.categories == ("Waiting times",)
    assert polish.themes_by_group.rows()[0][2] == 2
    assert (polish.satisfied, polish.listened) == ((2, 4), (1, 2))
    assert polish.trend.series[0].values == (2,)
    english = results.results_page([survey], Filters(language="en"), use_cache=False)
    assert english.counts.total == 3
    assert english.sentiment == {SentimentLabel.POSITIVE: 2, SentimentLabel.NEUTRAL: 1}
    assert [t.name for t in english.top_themes()] == ["Games", "Waiting times"]
    assert sum(english.trend.series[0].values) == 3
    contract = results.service_page(service, Filters(language="pl"), use_cache=False)
    assert contract.counts.total == 2 and contract.top_themes == [("Waiting times", 2)]
    assert (contract.satisfaction.positives, contract.satisfaction.answers) == ((2,), (4,))


def test_figures_counted_from_the_rows_match_the_running_counts(app_context):
    """Under a language filter figures are counted afresh from the rows: with every response
    in one language they must equal the page without it, whatever the other filters."""
    survey = _survey_in_two_languages()
    db.session.execute(update(Response).values(language="pl"))
    for other in (
        Filters(),
        Filters(group=RespondentGroup.OTHER),
        Filters(date_from=WHEN.date() + timedelta(days=1)),
        Filters(date_to=WHEN.date(), channel=Channel.ONLINE),
    ):
        stored = results.results_page([survey], other, use_cache=False)
        afresh = results.results_page(
            [survey], Filters(**{**other.__dict__, "language": "pl"}), use_cache=False
        )
        assert afresh == stored
        assert (
            results.results_page(
                [survey], Filters(**{**other.__dict__, "language": "en"}), use_cache=False
            ).counts.total
            == 0
        )
