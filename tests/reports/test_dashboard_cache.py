"""The dashboard's cached figures: new responses, actions and published updates show on the
next load, and cached figures equal figures counted afresh."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engage import figures
from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.improve.models import Action, ActionStatus
from engage.learn.cache import figures_cache
from engage.learn.models import Theme
from engage.listen.models import RespondentGroup
from engage.reports import dashboard
from engage.respond.models import Update, UpdateStatus
from tests.helpers.reports import ON, dashboard_fixture
from tests.improve import factories


def _therapy(staff) -> dict[str, str]:
    """The Therapy service's row of the dashboard's table by service: {column: cell}."""
    return staff.get("reports.dashboard_page").table_cells("By service")["Therapy"]


def test_new_responses_actions_and_updates_show_on_the_next_load(app, staff_request):
    with app.app_context():
        dashboard_fixture()
        db.session.commit()
    viewer = staff_request(Role.VIEWER)
    therapy = _therapy(viewer)
    people = ("Young people (own voice)", "Parents and carers", "Other")
    assert [therapy[column] for column in people] == ["2", "3", "1"]
    assert _therapy(viewer) == therapy  # from the cache, the same figures

    with app.app_context():
        survey = db.session.scalars(select(Survey).order_by(Survey.id)).first()
        factories.response(survey, group=RespondentGroup.PARENT_CARER)
        db.session.commit()
    therapy = _therapy(viewer)
    assert [therapy[column] for column in people] == ["2", "4", "1"]
    assert (therapy["Overdue"], therapy["Done"]) == ("1", "1")

    with app.app_context():
        overdue = db.session.scalars(
            select(Action).where(Action.status == ActionStatus.IN_PROGRESS)
        ).one()
        overdue.status = ActionStatus.DONE
        figures.renew()  # as every write to what the figures read does
        db.session.commit()
    therapy = _therapy(viewer)
    assert (therapy["Overdue"], therapy["Done"]) == ("0", "2")
    assert therapy["Loop closure"] == "67%"

    with app.app_context():
        buildings = db.session.scalars(select(Theme).where(Theme.name == "Buildings")).one()
        draft = db.session.scalars(select(Update).where(Update.theme_id == buildings.id)).one()
        draft.status = UpdateStatus.PUBLISHED
        draft.published_at = datetime(2026, 6, 5, tzinfo=UTC)
        figures.renew()
        db.session.commit()
    # Every theme raised now has a published update.
    assert _therapy(viewer)["Loop closure"] == "100%"


def test_cached_dashboard_equals_the_dashboard_counted_afresh(app_context):
    dashboard_fixture()
    db.session.commit()
    dashboard.build(ON)
    hits = figures_cache().hits
    cached = dashboard.build(ON)
    assert figures_cache().hits == hits + 1
    assert cached == dashboard.build(ON, use_cache=False)
    # Another day is another key: overdue actions depend on it.
    assert dashboard.build(ON.replace(year=2031)) == dashboard.build(
        ON.replace(year=2031), use_cache=False
    )
