"""Cached results figures are never stale: whatever changes the data shows on the next page
load, in this process or another one; filters still change the numbers; and cached figures
equal figures counted afresh."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from engage import figures
from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.inform.models import Engagement, Service
from engage.learn import results
from engage.learn.cache import current_token, figures_cache
from engage.learn.models import SentimentLabel
from engage.learn.results import Filters
from engage.listen.models import Channel, RespondentGroup
from engage.schema import utcnow
from tests.conftest import make_app, sign_in
from tests.helpers.pages import ClientRequest, Page
from tests.helpers.respondent import EASY, answer, begin, complete_easy_read, submit_with_contact
from tests.learn.results_factories import (
    code,
    feel,
    flag,
    free_text_answer,
    make_response,
    make_service,
    make_survey,
    make_theme,
)


def _submitted(page: Page) -> int:
    """The summary's count: "1 submitted response"."""
    return int(page.summary_list()["Responses"].split()[0])


def _easy_read_survey_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Survey.id).where(Survey.slug == EASY))


def _page(client, path: str) -> Page:
    return ClientRequest(client.application, client).get(path)


def test_a_submitted_response_shows_on_the_next_load(app, client, staff_client, demo):
    survey_id = _easy_read_survey_id(app)
    staff = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{survey_id}"
    before = _submitted(_page(staff, path))
    assert _submitted(_page(staff, path)) == before  # from the cache, same figures
    token = complete_easy_read(client)
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert done.status_code == 303
    assert _submitted(_page(staff, path)) == before + 1
    with app.app_context():
        engagement_id = db.session.get(Survey, survey_id).engagement_id
    assert "More time with my therapist" not in _page(staff, path).get_text()  # counts, not words
    assert _submitted(_page(staff, f"/staff/results/engagements/{engagement_id}")) >= before + 1


def test_saving_draft_answers_keeps_the_cache_and_submitting_clears_it(app, client, demo):
    with app.app_context():
        db.session.commit()  # the demo's own writes set a token
        first = current_token()
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    answer(client, EASY, "feel_about_help", {"feel_about_help": "happy"})
    with app.app_context():
        assert current_token() == first  # drafts count nowhere
    token = complete_easy_read(client)
    client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    with app.app_context():
        assert current_token() != first


def test_another_worker_sees_a_submit_made_through_this_one(app, database_uri, make_user, demo):
    """Two app objects on one database stand for two gunicorn workers, each with its cache."""
    other_worker = make_app(database_uri)
    survey_id = _easy_read_survey_id(app)
    path = f"/staff/results/surveys/{survey_id}"
    staff = other_worker.test_client()
    assert sign_in(staff, make_user(Role.VIEWER)).status_code == 303
    before = _submitted(_page(staff, path))
    _page(staff, path)  # now cached in the other worker
    respondent = app.test_client()
    token = complete_easy_read(respondent)
    respondent.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert _submitted(_page(staff, path)) == before + 1
    with other_worker.app_context():
        assert figures_cache().hits >= 1
        db.session.remove()
        db.engine.dispose()


def test_erasing_own_answers_shows_on_the_next_load(app, client, staff_client, demo):
    survey_id = _easy_read_survey_id(app)
    staff = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{survey_id}"
    receipt = submit_with_contact(app, client)
    with_it = _submitted(_page(staff, path))
    respondent = app.test_client()
    respondent.post("/my-answers", data={"code": receipt})
    deleted = respondent.post("/my-answers/delete", data={"confirm": "yes"})
    assert "Your answers have been deleted" in deleted.get_data(as_text=True)
    assert _submitted(_page(staff, path)) == with_it - 1


def _written_answers(page: Page) -> list[int]:
    """Each written question's count of answers, in page order."""
    return [int(n) for n in re.findall(r"(\d+) written answers?\.", page.words())]


def test_a_purge_shows_on_the_next_load(app, client, staff_client, demo):
    survey_id = _easy_read_survey_id(app)
    staff = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{survey_id}"
    submit_with_contact(app, client)
    before = _written_answers(_page(staff, path))
    assert sum(before) >= 1
    with freeze_time(utcnow() + timedelta(days=731)):
        purged = app.test_cli_runner().invoke(args=["purge"])
    assert "free-text answers cleared: 1" in purged.output
    after = _written_answers(_page(staff, path))
    assert sum(after) == sum(before) - 1


@pytest.fixture
def coded(app):
    with app.app_context():
        survey = make_survey(title="Help at school")
        waiting, staff = make_theme("Waiting times"), make_theme("Staff attitude")
        first = free_text_answer(make_response(survey, better="We waited a year"))
        code(first, waiting)
        feel(first, SentimentLabel.NEUTRAL)
        free_text_answer(
            make_response(survey, better="Nobody told us", group=RespondentGroup.PARENT_CARER)
        )
        db.session.commit()
        return {"survey": survey.id, "first": first.id, "staff": staff.id}


def test_recoding_in_the_review_screen_shows_on_the_next_load(app, staff_client, coded):
    client = staff_client(Role.COMMISSIONER)
    path = f"/staff/results/surveys/{coded['survey']}"
    page = _page(client, path)
    assert list(page.table_rows("Sentiment by theme: the numbers")) == ["Waiting times"]
    saved = client.post(
        f"/staff/review/{coded['first']}",
        data={"themes": [str(coded["staff"])], "sentiment": "negative"},
    )
    assert saved.status_code == 303
    page = _page(client, path)
    by_theme = page.table_rows("Sentiment by theme: the numbers")
    assert list(by_theme) == ["Staff attitude"]  # removed one code, added another
    # Positive, neutral, negative, total: staff's correction counts at once.
    assert by_theme["Staff attitude"][:3] == ["0", "0", "1"]


def test_a_sentiment_correction_alone_shows_on_the_next_load(app, staff_client, coded):
    client = staff_client(Role.COMMISSIONER)
    path = f"/staff/results/surveys/{coded['survey']}"
    before = _page(client, path).table_rows("Sentiment by theme: the numbers")
    assert before["Waiting times"][:3] == ["0", "1", "0"]
    client.post(
        f"/staff/review/{coded['first']}",
        data={"themes": [], "confirm": [], "sentiment": "positive"},
    )
    with app.app_context():
        survey = db.session.get(Survey, coded["survey"])
        sentiment = results.results_page([survey], Filters()).sentiment
    assert sentiment == {SentimentLabel.POSITIVE: 1}


def test_analysis_results_show_on_the_next_load(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, better="The staff were wonderful and kind, thank you")
        db.session.commit()
        survey_id = survey.id
    client = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{survey_id}"
    with app.app_context():
        assert results.results_page([db.session.get(Survey, survey_id)], Filters()).sentiment == {}
    _page(client, path)
    analysed = app.test_cli_runner().invoke(args=["analyse"])
    assert "Analysed 1 answer." in analysed.output
    with app.app_context():
        sentiment = results.results_page([db.session.get(Survey, survey_id)], Filters()).sentiment
    assert sum(sentiment.values()) == 1


def test_filters_change_the_numbers_with_the_cache_warm(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, feel="happy")
        make_response(survey, feel="sad", group=RespondentGroup.PARENT_CARER, channel=Channel.PHONE)
        make_response(survey, feel="sad", group=RespondentGroup.PARENT_CARER)
        db.session.commit()
        survey_id = survey.id
    client = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{survey_id}"
    for _ in range(2):  # the second round is served from the cache
        assert _submitted(_page(client, path)) == 3
        assert _submitted(_page(client, path + "?group=parent_carer")) == 2
        assert _submitted(_page(client, path + "?group=parent_carer&channel=phone")) == 1
        assert _submitted(_page(client, path + "?date_from=2030-01-01")) == 0


def _comparable(page: results.ResultsPage):
    return (
        page.counts,
        [
            (survey.id, [(r.question.id, r.answered, r.chart) for r in found])
            for survey, found in page.questions
        ],
        page.sentiment,
        page.sentiment_by_theme,
        page.themes_by_group,
        page.trend,
    )


def test_cached_figures_equal_figures_counted_afresh(app_context):
    service = make_service()
    survey = make_survey(services=[service])
    other = make_survey(services=[service])
    theme = make_theme("Waiting times")
    for number in range(6):
        response = make_response(
            survey,
            feel=("happy", "sad", "very_happy")[number % 3],
            listened_to=("agree", "disagree")[number % 2],
            helps=[["pictures"], ["games", "pictures"]][number % 2],
            better=f"Words {number}",
            group=(RespondentGroup.YOUNG_PERSON, RespondentGroup.PARENT_CARER)[number % 2],
        )
        code(free_text_answer(response), theme)
        feel(
            free_text_answer(response),
            (SentimentLabel.POSITIVE, SentimentLabel.NEGATIVE)[number % 2],
        )
    make_response(other, feel="okay")
    db.session.commit()
    engagement = db.session.get(Engagement, survey.engagement_id)
    for filters in (Filters(), Filters(group=RespondentGroup.PARENT_CARER)):
        for surveys in ([survey], list(engagement.surveys), [survey, other]):
            results.results_page(surveys, filters)  # fills the cache
            hits = figures_cache().hits
            cached = results.results_page(surveys, filters)
            assert figures_cache().hits == hits + 1
            assert _comparable(cached) == _comparable(
                results.results_page(surveys, filters, use_cache=False)
            )
        service_row = db.session.get(Service, service.id)
        results.service_page(service_row, filters)
        cached_service = results.service_page(service_row, filters)
        fresh_service = results.service_page(service_row, filters, use_cache=False)
        assert cached_service == fresh_service
        assert [s.id for s in cached_service.surveys] == [survey.id, other.id] or [
            s.id for s in cached_service.surveys
        ] == [other.id, survey.id]
    results.results_index()
    assert [(s.id, n) for s, n in results.results_index().surveys] == [
        (s.id, n) for s, n in results.results_index(use_cache=False).surveys
    ]


def test_uncommitted_changes_in_this_transaction_are_counted(app_context):
    survey = make_survey()
    make_response(survey, feel="happy")
    db.session.commit()
    assert results.results_page([survey], Filters()).counts.total == 1
    make_response(survey, feel="sad")  # flushed, not committed: the token has not moved
    assert results.results_page([survey], Filters()).counts.total == 2
    db.session.rollback()
    assert results.results_page([db.session.get(Survey, survey.id)], Filters()).counts.total == 1


def _quotes(page: Page) -> list[str]:
    return page.texts_of(".govuk-inset-text")


def test_quotes_show_a_new_answer_and_hide_a_newly_flagged_one_on_the_next_load(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, better="The bus to school is always late")
        db.session.commit()
        survey_id = survey.id
    client = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{survey_id}/quotes"
    assert _quotes(_page(client, path)) == ["The bus to school is always late"]
    with app.app_context():
        response = make_response(
            db.session.get(Survey, survey_id), better="Nobody answers the phone"
        )
        db.session.commit()
        response_id = response.id
    assert sorted(_quotes(_page(client, path))) == [
        "Nobody answers the phone",
        "The bus to school is always late",
    ]
    with app.app_context():
        from engage.listen.models import Response

        flag(db.session.get(Response, response_id))
        db.session.commit()
    assert _quotes(_page(client, path)) == ["The bus to school is always late"]


def test_renaming_a_question_or_a_theme_shows_on_the_next_load(app, staff_client, coded):
    client = staff_client(Role.VIEWER)
    path = f"/staff/results/surveys/{coded['survey']}"
    page = _page(client, path)
    assert "How do you feel about the help?" in page.texts_of("h3")
    assert "Waiting times" in page.table_rows("Sentiment by theme: the numbers")
    with app.app_context():
        from engage.ask.models import Question
        from engage.learn.models import Theme

        question = db.session.scalars(
            select(Question).where(Question.survey_id == coded["survey"], Question.key == "feel")
        ).one()
        question.text = "How do you feel about school help?"
        db.session.scalars(
            select(Theme).where(Theme.name == "Waiting times")
        ).one().name = "Waiting lists"
        figures.renew()  # as every write to what the figures read does
        db.session.commit()
    page = _page(client, path)
    assert "How do you feel about school help?" in page.texts_of("h3")
    assert "How do you feel about the help?" not in page.texts_of("h3")
    assert list(page.table_rows("Sentiment by theme: the numbers")) == ["Waiting lists"]
