"""Dashboard figures on a known fixture: responses by group, themes, actions, loop closure,
days from close to first update, and the commissioning cycle."""

from datetime import UTC, date, datetime

from engage.accounts.models import Role
from engage.extensions import db
from engage.inform.models import CommissioningStage, OrganisationKind
from engage.reports import dashboard
from tests.helpers.reports import ON, dashboard_fixture
from tests.improve import factories


def test_dashboard_figures_on_a_known_fixture(app_context):
    dashboard_fixture()
    board = dashboard.build(ON)
    services = {row.name: row for row in board.services}
    therapy, breaks, camhs = services["Therapy"], services["Short breaks"], services["CAMHS"]
    assert (therapy.young_people, therapy.parents, therapy.others, therapy.responses) == (
        2,
        3,
        1,
        6,
    )
    assert (therapy.themes, therapy.themes_closed) == (3, 2)
    assert round(therapy.loop_closure, 3) == 0.667
    assert (therapy.actions_open, therapy.actions_overdue, therapy.actions_done) == (1, 1, 1)
    assert therapy.mean_days_to_update == 14
    assert (breaks.actions_open, breaks.actions_overdue, breaks.actions_done) == (1, 0, 0)
    assert (camhs.responses, camhs.parents, camhs.themes, camhs.loop_closure) == (1, 1, 1, 0)
    assert camhs.mean_days_to_update is None

    commissioners = {row.name: row for row in board.commissioners}
    nhs = commissioners["NHS"]
    assert (nhs.young_people, nhs.parents, nhs.responses) == (2, 4, 7)
    assert (nhs.themes, nhs.themes_closed) == (3, 2)
    assert (nhs.actions_open, nhs.actions_overdue, nhs.actions_done) == (1, 1, 1)
    assert nhs.days_to_update == [14]  # one engagement, though it concerns two NHS services
    assert commissioners["Council"].responses == 6

    timings = {timing.title: timing.days for timing in board.engagements}
    assert timings == {"First": 14, "Second": None, "Old": None}

    cycle = dict(board.cycle)
    assert cycle["Therapy"] == {CommissioningStage.REVIEW: 1}
    assert cycle["Short breaks"] == {CommissioningStage.REVIEW: 1}
    assert cycle["CAMHS"] == {CommissioningStage.PLAN: 1}  # "Old" is over 12 months ago


def test_dashboard_page(app, staff_client):
    with app.app_context():
        dashboard_fixture()
        db.session.commit()
    page = staff_client(Role.VIEWER).get("/staff/dashboard")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Commissioner dashboard" in text and "67%" in text


def test_satisfaction_and_felt_listened_to_this_year_and_last(app_context):
    from engage.ask.models import Question, QuestionKind
    from engage.listen import tally
    from engage.listen.models import Answer

    nhs = factories.organisation("NHS", OrganisationKind.NHS)
    therapy = factories.service(nhs, "Therapy")
    survey = factories.survey(factories.engagement([therapy], "Talk"))
    feel = Question(position=2, key="feel", kind=QuestionKind.FEELINGS_SCALE, text="Feel?")
    listened = Question(position=3, key="listened_to", kind=QuestionKind.AGREE_SCALE, text="L?")
    survey.questions.extend([feel, listened])
    db.session.flush()
    recent = datetime(2026, 3, 1, tzinfo=UTC)
    earlier = datetime(2025, 3, 1, tzinfo=UTC)
    for when, feeling, agreed in (
        (recent, "very_happy", "agree"),
        (recent, "sad", "strongly_agree"),
        (recent, "happy", "disagree"),
        (recent, "happy", "neither"),
        (earlier, "sad", "disagree"),
        (earlier, "happy", "agree"),
    ):
        response = factories.response(survey, text=None, submitted_at=when)
        with tally.recount([response.id]):
            response.answers.append(Answer(question=feel, choice=feeling))
            response.answers.append(Answer(question=listened, choice=agreed))
    [row] = [row for row in dashboard.build(ON).services if row.name == "Therapy"]
    assert row.listened == (2, 4) and row.listened_before == (1, 2)
    # Satisfaction counts every scale answer: 3 happy faces + 2 agrees of 8 this year.
    assert row.satisfied == (5, 8) and row.satisfied_before == (2, 4)
    assert row.share(row.listened) == 0.5


def test_an_update_before_the_close_shows_before_close_never_a_negative_number(app, staff_client):
    with app.app_context():
        therapy = factories.service(factories.organisation("NHS", OrganisationKind.NHS), "Therapy")
        early = factories.engagement([therapy], "Early news", closes_on=date(2026, 7, 1))
        factories.update(early, published_at=datetime(2026, 6, 20, tzinfo=UTC))
        db.session.commit()
        board = dashboard.build(ON)
        [timing] = board.engagements
        assert timing.days_text == "before close"
        [row] = [row for row in board.services if row.name == "Therapy"]
        assert row.mean_days_to_update == 0
    text = staff_client(Role.VIEWER).get("/staff/dashboard").get_data(as_text=True)
    assert "before close" in text
    assert "-11" not in text
