"""Surveys open and close on their dates by themselves (checked on each request), a closed
survey's page says when it closed and where to read what was done, and drafts started before
the close can still be sent for the grace period staff set; after it, nothing typed is lost."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from engage.ask.models import Survey, SurveyStatus
from engage.extensions import db
from engage.inform.models import EngagementStatus
from engage.listen.models import Response, ResponseStatus
from tests.improve import factories

# Europe/London: British Summer Time from 28 March 2027, so the end of 31 March (local
# midnight) is 23:00 UTC.
CLOSE = datetime(2027, 3, 31, 23, 0, tzinfo=UTC)


@pytest.fixture
def survey(app):
    """A published survey of an open engagement that runs from 1 to 31 March 2027."""
    with app.app_context():
        engagement = factories.engagement(
            title="Short breaks review", closes_on=date(2027, 3, 31), status=EngagementStatus.OPEN
        )
        engagement.next_steps = "The short breaks team reads every answer in April."
        found = factories.survey(engagement, title="Short breaks survey")
        db.session.commit()
        return found.slug


def _set(app, slug: str, **values) -> None:
    with app.app_context():
        found = db.session.scalar(select(Survey).where(Survey.slug == slug))
        for name, value in values.items():
            setattr(found, name, value)
        db.session.commit()


def _responses(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response)))


def _start_and_answer(client, slug: str, words: str) -> str:
    assert client.post(f"/surveys/{slug}/start").status_code == 303
    saved = client.post(
        f"/surveys/{slug}/questions/comments",
        data={"action": "continue", "answer-comments": words},
    )
    assert saved.status_code == 303
    page = client.get(f"/surveys/{slug}/check").get_data(as_text=True)
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def test_a_survey_opens_on_its_engagements_opening_date(app, client, survey):
    with freeze_time("2027-02-28 23:59:00"):  # 23:59 in London (GMT)
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "This survey opens on 1 March 2027." in page
        assert "Start now" not in page
        refused = client.post(f"/surveys/{survey}/start")
        assert refused.status_code == 303 and refused.headers["Location"].endswith(survey)
        assert _responses(app) == []
    with freeze_time("2027-03-01 00:00:00"):
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "Start now" in page
        assert "You can answer until the end of 31 March 2027." in page
        assert client.post(f"/surveys/{survey}/start").status_code == 303
        assert len(_responses(app)) == 1


def test_a_survey_closes_at_midnight_after_its_closing_date(app, client, survey):
    with freeze_time("2027-03-31 22:59:59"):  # 23:59:59 British Summer Time
        assert "Start now" in client.get(f"/surveys/{survey}").get_data(as_text=True)
    with freeze_time(CLOSE):
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "This survey has closed" in page
        assert "It closed on 31 March 2027." in page
        assert "Start now" not in page
        assert client.post(f"/surveys/{survey}/start").status_code == 303
        assert _responses(app) == []
        # Question pages send a visitor without a draft to the page that says it closed.
        question = client.get(f"/surveys/{survey}/questions/comments")
        assert question.status_code in (302, 303)
        assert question.headers["Location"].endswith(survey)


def test_a_surveys_own_dates_win_over_its_engagements(app, client, survey):
    _set(app, survey, opens_on=date(2027, 3, 10), closes_on=date(2027, 3, 20))
    with freeze_time("2027-03-05 12:00:00"):
        assert "This survey opens on 10 March 2027." in client.get(f"/surveys/{survey}").text
    with freeze_time("2027-03-15 12:00:00"):
        assert "You can answer until the end of 20 March 2027." in client.get(
            f"/surveys/{survey}"
        ).get_data(as_text=True)
    with freeze_time("2027-03-21 12:00:00"):
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "It closed on 20 March 2027." in page


def test_the_closed_page_says_what_happens_next_and_links_to_you_said_we_did(app, client, survey):
    with freeze_time("2027-04-10 12:00:00"):
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "The short breaks team reads every answer in April." in page
        assert "We are reading what people said" in page
        assert "/you-said-we-did?engagement=short-breaks-review" in page
    with app.app_context():
        engagement = db.session.scalar(select(Survey).where(Survey.slug == survey)).engagement
        factories.update(
            engagement,
            title="More short breaks in the holidays",
            published_at=datetime(2027, 5, 1, tzinfo=UTC),
        )
        factories.update(engagement, title="A draft not yet published")
        db.session.commit()
    with freeze_time("2027-05-02 12:00:00"):
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert (
            '<a class="govuk-link" href="/you-said-we-did/more-short-breaks-in-the-holidays">'
            "More short breaks in the holidays</a>" in page
        )
        assert "A draft not yet published" not in page
        assert "We are reading what people said" not in page


def test_a_draft_started_before_the_close_can_be_sent_in_the_grace_period(app, client, survey):
    with freeze_time("2027-03-31 19:00:00"):
        token = _start_and_answer(client, survey, "We need breaks in the school holidays")
    # Six hours after the close (grace: 24 hours), within the visit's session.
    with freeze_time("2027-04-01 05:00:00"):
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "It closed on 31 March 2027." in page
        assert (
            "You started before it closed, so you can still send your answers until "
            "midnight at the end of 1 April 2027." in page
        )
        assert "Carry on" in page
        # A new visitor cannot start in the grace period.
        other = app.test_client()
        assert "Start now" not in other.get(f"/surveys/{survey}").get_data(as_text=True)
        other.post(f"/surveys/{survey}/start")
        assert len(_responses(app)) == 1
        sent = client.post(f"/surveys/{survey}/submit", data={"submission_token": token})
        assert sent.status_code == 303 and sent.headers["Location"].endswith("/confirmation")
    (response,) = _responses(app)
    assert response.status == ResponseStatus.SUBMITTED


def test_a_resume_code_works_all_through_the_grace_period(app, client, survey):
    """A draft saved four hours before the close can be sent near the end of the 24-hour
    grace period, 27 hours later, on another device with the code to carry on. The browser's
    own session does not last that long (shared school devices): the code is the way back."""
    with freeze_time("2027-03-31 19:00:00"):
        other = app.test_client()
        assert other.post(f"/surveys/{survey}/start").status_code == 303
        saved = other.post(
            f"/surveys/{survey}/questions/comments",
            data={"action": "save", "answer-comments": "Longer sessions"},
        )
        assert saved.headers["Location"].endswith("/saved")
        page = other.get(saved.headers["Location"]).get_data(as_text=True)
        code = re.search(r'id="resume-code">([0-9A-Z-]+)</strong>', page).group(1)
    with freeze_time("2027-04-01 22:00:00"):  # an hour before the grace period ends
        fresh = app.test_client()
        resumed = fresh.post("/resume", data={"code": code})
        assert resumed.status_code == 303
        check = fresh.get(f"/surveys/{survey}/check").get_data(as_text=True)
        assert "Longer sessions" in check
        token = re.search(r'name="submission_token" value="([^"]+)"', check).group(1)
        sent = fresh.post(f"/surveys/{survey}/submit", data={"submission_token": token})
        assert sent.headers["Location"].endswith("/confirmation")
    statuses = sorted(response.status.value for response in _responses(app))
    assert statuses == ["submitted"]
    assert app.permanent_session_lifetime <= timedelta(hours=12)


def test_after_the_grace_period_the_answers_are_shown_and_can_be_downloaded(app, client, survey):
    _set(app, survey, grace_hours=2)
    with freeze_time("2027-03-31 19:00:00"):
        token = _start_and_answer(client, survey, "Breaks <b>near home</b> & at weekends")
    with freeze_time("2027-04-01 01:00:01"):  # two hours and a second after the close
        refused = client.post(f"/surveys/{survey}/submit", data={"submission_token": token})
        assert refused.status_code == 303 and refused.headers["Location"].endswith(survey)
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "Your answers were not sent" in page
        assert "Breaks &lt;b&gt;near home&lt;/b&gt; &amp; at weekends" in page
        assert "Carry on" not in page
        download = client.get(f"/surveys/{survey}/my-answers.txt")
        assert download.status_code == 200
        assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert "attachment" in download.headers["Content-Disposition"]
        text = download.get_data(as_text=True)
        assert "Tell us more\nBreaks <b>near home</b> & at weekends" in text
    (response,) = _responses(app)
    assert response.status == ResponseStatus.DRAFT  # kept, not thrown away


def test_no_grace_period_when_staff_set_none(app, client, survey):
    _set(app, survey, grace_hours=0)
    with freeze_time("2027-03-31 19:00:00"):
        token = _start_and_answer(client, survey, "Longer sessions")
    with freeze_time("2027-03-31 23:00:00"):
        client.post(f"/surveys/{survey}/submit", data={"submission_token": token})
        assert "Your answers were not sent" in client.get(f"/surveys/{survey}").text
    assert _responses(app)[0].status == ResponseStatus.DRAFT


def test_a_staff_close_starts_the_grace_period_then(app, client, staff_client, survey):
    with freeze_time("2027-03-10 10:00:00"):
        token = _start_and_answer(client, survey, "More staff")
        staff = staff_client()
        assert staff.post(f"/staff/surveys/{survey}/close").status_code == 303
        page = client.get(f"/surveys/{survey}").get_data(as_text=True)
        assert "It closed on 10 March 2027." in page and "Carry on" in page
        staff_page = staff.get(f"/staff/surveys/{survey}").get_data(as_text=True)
        assert "Closed on 10 March 2027." in staff_page
        assert "can send their answers until 10am on 11 March 2027" in staff_page
    with freeze_time("2027-03-11 09:59:00"):
        sent = client.post(f"/surveys/{survey}/submit", data={"submission_token": token})
        assert sent.headers["Location"].endswith("/confirmation")


def test_staff_set_a_surveys_own_dates_and_grace_period(app, staff_client, survey):
    staff = staff_client()
    form = staff.get(f"/staff/surveys/{survey}/settings").get_data(as_text=True)
    assert 'name="grace_hours"' in form and 'value="24"' in form
    data = {
        "title": "Short breaks survey",
        "audience": "everyone",
        "mode": "standard",
        "minutes_to_complete": "5",
        "retention_days": "730",
        "grace_hours": "48",
        "opens_on": ["2", "3", "2027"],
        "closes_on": ["1", "3", "2027"],
    }
    refused = staff.post(f"/staff/surveys/{survey}/settings", data=data)
    assert refused.status_code == 400
    assert "The closing date must be on or after the opening date" in refused.text
    refused = staff.post(
        f"/staff/surveys/{survey}/settings", data=data | {"closes_on": ["31", "2", "2027"]}
    )
    assert "Closing date must be a real date" in refused.get_data(as_text=True)
    refused = staff.post(f"/staff/surveys/{survey}/settings", data=data | {"grace_hours": "200"})
    assert "Enter a whole number from 0 to 168" in refused.get_data(as_text=True)
    saved = staff.post(
        f"/staff/surveys/{survey}/settings", data=data | {"closes_on": ["20", "3", "2027"]}
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        found = db.session.scalar(select(Survey).where(Survey.slug == survey))
        assert (found.opens_on, found.closes_on, found.grace_hours) == (
            date(2027, 3, 2),
            date(2027, 3, 20),
            48,
        )


def test_the_engagement_pages_follow_the_dates(app, client, survey):
    with freeze_time("2027-03-15 12:00:00"):
        assert "Short breaks review" in client.get("/").get_data(as_text=True)
        assert "Closes on 31 March 2027" in client.get("/engagements/short-breaks-review").text
    with freeze_time("2027-04-01 12:00:00"):
        assert "Short breaks review" not in client.get("/").get_data(as_text=True)
        page = client.get("/engagements/short-breaks-review").get_data(as_text=True)
        assert "Closed on 31 March 2027" in page
        assert "Short breaks survey" in page


def test_close_due_marks_what_the_dates_closed(app, survey):
    runner = app.test_cli_runner()
    with freeze_time("2027-03-31 22:00:00"):
        assert "Closed 0 surveys and 0 engagements." in runner.invoke(args=["close-due"]).output
    with freeze_time("2027-04-01 08:00:00"):
        result = runner.invoke(args=["close-due"])
        assert "Closed 1 survey and 1 engagement." in result.output
    with app.app_context():
        found = db.session.scalar(select(Survey).where(Survey.slug == survey))
        assert found.status == SurveyStatus.CLOSED
        assert found.closed_at == CLOSE
        assert found.engagement.status == EngagementStatus.CLOSED
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
