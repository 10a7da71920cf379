"""The governance report's cached figures: a repeat report comes from the cache and equals one
counted afresh; new responses, actions and progress show in the next report."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select

from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.improve.actions import add_progress
from engage.improve.models import STATUS_LABELS, Action, ActionStatus
from engage.inform.models import Engagement, Organisation
from engage.learn.cache import figures_cache
from engage.learn.models import Theme
from engage.reports import governance
from tests.helpers.reports import governance_fixture
from tests.improve import factories

ON = date(2026, 6, 1)
FIGURES = (
    "responses",
    "themes",
    "actions",
    "updates",
    "local_offer_themes",
    "local_offer_actions",
    "local_offer_updates",
)


def _figures(report: governance.Report) -> dict:
    """Everything in a report but the time it was made; of the charts, which there are (the
    same chart drawn twice differs in matplotlib's random clip-path ids)."""
    return {name: getattr(report, name) for name in FIGURES} | {"charts": set(report.charts)}


def test_a_repeat_report_comes_from_the_cache_and_equals_one_counted_afresh(app_context):
    governance_fixture()
    db.session.commit()
    scope = governance.scope_for(period="2026-04..2027-03")
    first = governance.build(scope, ON)
    hits = figures_cache().hits
    second = governance.build(scope, ON)
    assert figures_cache().hits == hits + 1
    assert second.charts == first.charts  # the same drawings, kept with the figures
    assert _figures(second) == _figures(first)
    assert _figures(second) == _figures(governance.build(scope, ON, use_cache=False))

    # What one caller does to its report stays out of the next one.
    second.actions.clear()
    second.themes[0]["theme"] = "Changed"
    assert _figures(governance.build(scope, ON)) == _figures(first)

    # Another day is another key: whether an action is overdue depends on it.
    assert first.actions[0]["overdue"] is True
    assert governance.build(scope, date(2025, 12, 1)).actions[0]["overdue"] is False


def _csv(client, part: str) -> list[list[str]]:
    response = client.get(f"/staff/reports/governance?engagement=finding-help&part={part}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _hits(app) -> int:
    with app.app_context():
        return figures_cache().hits


def test_new_responses_actions_and_progress_show_in_the_next_report(app, staff_client):
    with app.app_context():
        governance_fixture()
        db.session.commit()
    client = staff_client(Role.VIEWER)
    assert _csv(client, "responses")[1][-1] == "6"
    hits = _hits(app)
    assert _csv(client, "responses")[1][-1] == "6"
    assert _hits(app) > hits  # the repeat came from the cache

    with app.app_context():
        survey = db.session.scalars(
            select(Survey).join(Engagement).where(Engagement.slug == "finding-help")
        ).one()
        factories.response(survey)
        factories.response(survey, submitted=False)  # drafts count nowhere
        db.session.commit()
    assert _csv(client, "responses")[1][-1] == "7"

    with app.app_context():
        search = db.session.scalars(select(Theme).where(Theme.name.startswith("=HYPER"))).one()
        council = db.session.scalars(select(Organisation).where(Organisation.name == "Council"))
        # An existing owner: the new action and its theme are the only rows written.
        factories.action(owner=council.one(), themes=[search], title="We will add filters")
        db.session.commit()
    assert "We will add filters" in [row[0] for row in _csv(client, "actions")]
    assert "We will add filters" in [row[0] for row in _csv(client, "local-offer-actions")]

    with app.app_context():
        action = db.session.scalars(select(Action).where(Action.title == "We will add filters"))
        add_progress(action.one(), "Filters are live", ActionStatus.DONE)
        db.session.commit()
    header, *rows = _csv(client, "actions")
    added = next(row for row in rows if row[0] == "We will add filters")
    row = dict(zip(header, added, strict=True))
    assert row["Status"] == STATUS_LABELS[ActionStatus.DONE]
    assert row["Latest progress"] == "Filters are live"
