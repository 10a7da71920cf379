"""`engage demo` loads a year of history (responses, analysis, reviews, actions, published
updates) so every staff and public page shows real content; `--empty` keeps the bare demo."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.ask.models import Survey, SurveyStatus
from engage.extensions import db
from engage.improve.actions import is_overdue
from engage.improve.models import Action, ActionStatus
from engage.inform.models import Engagement, EngagementStatus
from engage.learn.models import Coding, QuoteApproval, Sentiment
from engage.listen.models import Answer, Response, ResponseStatus
from engage.respond.models import Update, UpdateStatus
from engage.schema import utcnow


def _month(moment) -> date:
    return date(moment.year, moment.month, 1)


def test_history_has_responses_over_months_and_groups(app, living_demo):
    with app.app_context():
        for survey in db.session.scalars(select(Survey)):
            responses = list(
                db.session.scalars(
                    select(Response).where(
                        Response.survey_id == survey.id,
                        Response.status == ResponseStatus.SUBMITTED,
                    )
                )
            )
            assert len(responses) >= 200, survey.slug
            assert len({_month(r.submitted_at) for r in responses}) >= 6, survey.slug
            engagement = survey.engagement
            days = {r.submitted_at.date() for r in responses}
            assert engagement.opens_on <= min(days) and max(days) <= engagement.closes_on
            if survey.slug == "local-offer-and-sen-support":
                groups = Counter(r.respondent_group for r in responses)
                assert len(groups) >= 3 and min(groups.values()) >= 10, groups


def test_free_text_is_varied_and_analysed(app, living_demo):
    with app.app_context():
        texts = list(
            db.session.scalars(
                select(Answer.text)
                .join(Response, Response.id == Answer.response_id)
                .where(Answer.text.is_not(None), Response.status == ResponseStatus.SUBMITTED)
            )
        )
        assert len(texts) >= 800
        family = [text for text in texts if len(text) > 60]
        # Not a few sentences repeated: nearly every longer answer is worded its own way.
        assert len(set(family)) >= 0.9 * len(family), len(set(family)) / len(family)
        assert any("EHC plan" in text for text in texts)
        assert any("short break" in text.lower() for text in texts)
        analysed = db.session.scalar(select(func.count()).select_from(Sentiment))
        assert analysed == len(texts)
        assert db.session.scalar(select(func.count()).select_from(Coding)) >= len(texts) // 2
        confirmed = db.session.scalar(select(func.count()).where(Coding.confirmed))
        assert 5 <= confirmed < 30
        assert db.session.scalar(select(func.count()).select_from(QuoteApproval)) == 2


def test_actions_updates_and_engagement_dates(app, living_demo):
    today = utcnow().date()
    with app.app_context():
        actions = list(db.session.scalars(select(Action)))
        assert {a.status for a in actions} == set(ActionStatus)
        assert sum(is_overdue(a, today) for a in actions) >= 2
        not_possible = [a for a in actions if a.status == ActionStatus.NOT_POSSIBLE]
        assert all(a.not_possible_reason for a in not_possible)
        published = list(
            db.session.scalars(select(Update).where(Update.status == UpdateStatus.PUBLISHED))
        )
        assert len(published) == 2
        engagements = {e.slug: e for e in db.session.scalars(select(Engagement))}
        closed = engagements["short-breaks-review"]
        assert closed.closes_on < today and closed.status == EngagementStatus.RESPONDED
        assert all(s.status == SurveyStatus.CLOSED for s in closed.surveys)
        assert {s.mode.value for s in closed.surveys} == {"standard", "easy_read"}
        for update in published:
            assert update.engagement_id == closed.id
            assert closed.closes_on < update.published_at.date() < today
            assert update.easy_read_you_said and update.actions
        open_ones = [e for e in engagements.values() if e.status == EngagementStatus.OPEN]
        assert open_ones and all(e.opens_on < today < e.closes_on for e in open_ones)
        for engagement in open_ones:
            assert all(s.status == SurveyStatus.PUBLISHED for s in engagement.surveys)


def test_running_again_changes_nothing(app, living_demo):
    def counts():
        with app.app_context():
            return [
                db.session.scalar(select(func.count()).select_from(model))
                for model in (Response, Answer, Coding, Action, Update, Engagement)
            ]

    before = counts()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "already loaded" in result.output
    assert counts() == before


def test_empty_keeps_the_bare_demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "--empty"])
    assert result.exit_code == 0, result.output
    assert "history" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        assert db.session.scalar(select(func.count()).select_from(Action)) == 0
        assert not db.session.scalar(
            select(Engagement.id).where(Engagement.slug == "short-breaks-review")
        )


def test_pages_show_the_history(app, living_demo, staff_client):
    client = staff_client(Role.ADMIN)
    dashboard = client.get("/staff/dashboard").get_data(as_text=True)
    assert "Short breaks for disabled children and their families" in dashboard
    with app.app_context():
        engagement_id = db.session.scalar(
            select(Engagement.id).where(Engagement.slug == "local-offer-and-sen-support")
        )
    results = client.get(f"/staff/results/engagements/{engagement_id}").get_data(as_text=True)
    assert "340 submitted responses" in results
    public = app.test_client().get("/you-said-we-did").get_data(as_text=True)
    assert "Short breaks: what families told us and what we changed" in public
    assert "Clubs and fun things to do: you said, we did" in public
    overdue = client.get("/staff/actions/?status=overdue").get_data(as_text=True)
    assert "Give every family with an EHC plan one named contact" in overdue
    report = client.get("/staff/reports/governance?engagement=short-breaks-review&part=html")
    assert report.status_code == 200
    body = report.get_data(as_text=True)
    assert "Short breaks and respite" in body
    assert "Run a holiday play scheme for young people aged 11 to 18" in body
