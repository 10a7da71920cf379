"""Running counts of sentiments and theme codings, as staff notice them on the results pages:
a confirmed sentiment moves an answer between labels, a removed code takes it off its theme,
and the figures agree with counting the rows afresh."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.learn import results
from engage.learn import tally as learn_tally
from engage.learn.models import Coding, Sentiment, SentimentLabel
from engage.learn.results import Filters, survey_scope
from engage.listen import retention, tally
from engage.listen.models import Answer, Channel, RespondentGroup, Response
from engage.listen.own_answers import erase
from engage.schema import utcnow
from tests.helpers.respondent import EASY, complete_easy_read
from tests.learn.results_factories import (
    code,
    feel,
    free_text_answer,
    make_response,
    make_survey,
    make_theme,
)

NEGATIVE, NEUTRAL, POSITIVE = (
    SentimentLabel.NEGATIVE,
    SentimentLabel.NEUTRAL,
    SentimentLabel.POSITIVE,
)
YOUNG, PARENT = "Children and young people", "Parents and carers"


def _table(chart) -> dict[str, dict[str, int]]:
    """theme -> series name -> number, leaving out zeros."""
    return {
        category: {s.name: s.values[i] for s in chart.series if s.values[i]}
        for i, category in enumerate(chart.categories)
    }


def _figures(survey_id: int, filters: Filters = Filters()):
    scope = results.Scope((survey_id,))
    by_theme, by_group = results.theme_charts(scope, filters)
    return results.overall_sentiment(scope, filters), _table(by_theme), _table(by_group)


def _make_coded(app):
    with app.app_context():
        survey = make_survey()
        waiting, staff = make_theme("Waiting times"), make_theme("Staff attitude")
        first = free_text_answer(make_response(survey, better="We waited a year"))
        second = free_text_answer(
            make_response(
                survey,
                better="Waited, but the staff were kind",
                group=RespondentGroup.PARENT_CARER,
                channel=Channel.PHONE,
                when=datetime(2026, 3, 3, 0, 0, tzinfo=UTC),
            )
        )
        third = free_text_answer(make_response(survey, better="Still waiting"))
        draft = free_text_answer(make_response(survey, better="draft words", submitted=False))
        code(first, waiting)
        feel(first, NEGATIVE)
        code(second, waiting)
        code(second, staff)
        feel(second, POSITIVE)
        code(third, waiting)  # not analysed yet: in themes by group, not by sentiment
        code(draft, waiting)
        feel(draft, NEGATIVE)
        db.session.commit()
        return {
            "survey": survey.id,
            "first": first.id,
            "second": second.id,
            "third": third.id,
            "waiting": waiting.id,
            "staff": staff.id,
        }


def test_sentiment_and_themes_count_submitted_answers_only(app):
    coded = _make_coded(app)
    with app.app_context():
        sentiment, by_theme, by_group = _figures(coded["survey"])
        assert sentiment == {NEGATIVE: 1, POSITIVE: 1}
        assert by_theme == {
            "Waiting times": {"Negative": 1, "Positive": 1},
            "Staff attitude": {"Positive": 1},
        }
        assert by_group == {
            "Waiting times": {YOUNG: 2, PARENT: 1},
            "Staff attitude": {PARENT: 1},
        }
        assert results.top_themes(results.Scope((coded["survey"],)), Filters()) == [
            ("Waiting times", 3),
            ("Staff attitude", 1),
        ]
        # Filters read the rows per day: 2 March (the factories' day) and 3 March apart.
        second_march = Filters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
        assert _figures(coded["survey"], second_march)[0] == {NEGATIVE: 1}
        assert _figures(coded["survey"], second_march)[2] == {"Waiting times": {YOUNG: 2}}
        phone = Filters(channel=Channel.PHONE)
        assert _figures(coded["survey"], phone)[0] == {POSITIVE: 1}
        everything = Filters(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
        assert _figures(coded["survey"], everything) == _figures(coded["survey"])


def test_staff_correcting_a_sentiment_moves_it_between_labels(app, staff_client):
    coded = _make_coded(app)
    client = staff_client(Role.COMMISSIONER)
    saved = client.post(
        f"/staff/review/{coded['first']}",
        data={"themes": [str(coded["waiting"])], "sentiment": "positive"},
    )
    assert saved.status_code == 303
    with app.app_context():
        sentiment, by_theme, by_group = _figures(coded["survey"])
        assert sentiment == {POSITIVE: 2}
        assert by_theme["Waiting times"] == {"Positive": 2}
        assert by_group["Waiting times"] == {YOUNG: 2, PARENT: 1}  # the code was kept

    # Confirming a sentiment on an answer not analysed yet adds it to the labels.
    client.post(
        f"/staff/review/{coded['third']}",
        data={"themes": [str(coded["waiting"])], "sentiment": "neutral"},
    )
    with app.app_context():
        sentiment, by_theme, _ = _figures(coded["survey"])
        assert sentiment == {POSITIVE: 2, NEUTRAL: 1}
        assert by_theme["Waiting times"] == {"Positive": 2, "Neutral": 1}
    html = client.get(f"/staff/results/surveys/{coded['survey']}").get_data(as_text=True)
    assert "Sentiment of all written answers" in html


def test_rejecting_or_removing_a_code_takes_it_off_themes_by_group(app, staff_client):
    coded = _make_coded(app)
    client = staff_client(Role.ADMIN)
    # Staff keep Staff attitude on the parent's answer and reject Waiting times.
    client.post(
        f"/staff/review/{coded['second']}",
        data={"themes": [str(coded["staff"])], "sentiment": "positive"},
    )
    with app.app_context():
        sentiment, by_theme, by_group = _figures(coded["survey"])
        assert by_group == {
            "Waiting times": {YOUNG: 2},
            "Staff attitude": {PARENT: 1},
        }
        assert by_theme["Waiting times"] == {"Negative": 1}
        assert sentiment == {NEGATIVE: 1, POSITIVE: 1}  # the answer keeps its sentiment
        # A code removed some other way (the analyser dropping it) goes the same way.
        coding = db.session.scalar(
            select(Coding).where(
                Coding.answer_id == coded["third"], Coding.theme_id == coded["waiting"]
            )
        )
        with learn_tally.recount([coded["third"]]):
            db.session.delete(coding)
        db.session.commit()
        assert _figures(coded["survey"])[2]["Waiting times"] == {YOUNG: 1}
    # Adding a theme by hand puts it back.
    client.post(
        f"/staff/review/{coded['second']}",
        data={"themes": [str(coded["staff"]), str(coded["waiting"])], "sentiment": "negative"},
    )
    with app.app_context():
        sentiment, by_theme, by_group = _figures(coded["survey"])
        assert by_group["Waiting times"] == {YOUNG: 1, PARENT: 1}
        assert by_theme["Staff attitude"] == {"Negative": 1}
        assert sentiment == {NEGATIVE: 2}


def test_moving_a_response_to_another_group_moves_its_codes(app):
    coded = _make_coded(app)
    with app.app_context():
        answer = db.session.get(Answer, coded["first"])
        with tally.recount([answer.response_id]):
            answer.response.respondent_group = RespondentGroup.PROFESSIONAL
        db.session.commit()
        assert _figures(coded["survey"])[2]["Waiting times"] == {
            YOUNG: 1,
            PARENT: 1,
            "Professionals": 1,
        }
        # Erasing the parent's response takes its codes and sentiment with it.
        erase(db.session.get(Answer, coded["second"]).response)
        db.session.commit()
        sentiment, _by_theme, by_group = _figures(coded["survey"])
        assert sentiment == {NEGATIVE: 1}
        assert by_group == {"Waiting times": {YOUNG: 1, "Professionals": 1}}


def _rows_sentiment(survey_id: int) -> Counter:
    rows = db.session.execute(
        select(results.effective_sentiment())
        .select_from(Sentiment)
        .join(Answer, Answer.id == Sentiment.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*results.response_conditions(results.Scope((survey_id,)), Filters()))
    ).scalars()
    return Counter(rows)


def test_a_web_submit_is_analysed_into_the_counts(app, client, demo, analyse_waiting):
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == EASY))
        assert _figures(survey_id)[0] == {}
    token = complete_easy_read(client)
    client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert analyse_waiting() == 1
    with app.app_context():
        sentiment = _figures(survey_id)[0]
        assert sum(sentiment.values()) == 1
        assert Counter(sentiment) == _rows_sentiment(survey_id)
        codings = db.session.scalar(select(func.count()).select_from(Coding))
        assert sum(
            n for _name, n in results.top_themes(results.Scope((survey_id,)), Filters())
        ) == (codings)
        assert learn_tally.differences() == []


def test_tally_check_covers_sentiments_and_codings(app):
    coded = _make_coded(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tally", "check"]).exit_code == 0
    with app.app_context():
        db.session.execute(
            text("UPDATE coding_tally SET codings = codings + 2 WHERE theme_id = :theme"),
            {"theme": coded["staff"]},
        )
        db.session.execute(
            text("DELETE FROM sentiment_tally WHERE day = :day"), {"day": tally.ALL_TIME}
        )
        db.session.commit()
        assert _figures(coded["survey"])[0] == {}  # what a page would now show
    broken = runner.invoke(args=["tally", "check"])
    assert broken.exit_code == 1
    assert "codings (" in broken.output and "stored +2 against the rows" in broken.output
    assert "sentiments (" in broken.output and "stored -1 against the rows" in broken.output
    assert runner.invoke(args=["tally", "rebuild"]).exit_code == 0
    fine = runner.invoke(args=["tally", "check"])
    assert fine.exit_code == 0 and "The counts agree with the rows." in fine.output
    with app.app_context():
        assert _figures(coded["survey"])[0] == {NEGATIVE: 1, POSITIVE: 1}


def test_purged_free_text_keeps_its_sentiment_and_codes_counted(app):
    """Clearing the words at retention leaves the analysis: figures stay as they were."""
    with app.app_context():
        survey = make_survey()
        theme = make_theme("Waiting times")
        old = free_text_answer(
            make_response(survey, better="Waited", when=utcnow() - timedelta(days=800))
        )
        code(old, theme)
        feel(old, NEGATIVE)
        db.session.commit()
        before = _figures(survey.id)
        assert retention.purge().texts == 1
        db.session.commit()
        assert _figures(survey.id) == before
        assert learn_tally.differences() == [] and tally.differences() == []
        assert results.response_counts(survey_scope(survey), Filters()).total == 1
