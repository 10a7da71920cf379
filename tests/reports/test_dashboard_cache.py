"""The dashboard's cached figures: new responses, actions and published updates show on the
next load, and cached figures equal figures counted afresh."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.improve.models import Action, ActionStatus
from engage.learn.cache import figures_cache
from engage.learn.models import Theme
from engage.listen.models import RespondentGroup
from engage.reports import dashboard
from engage.respond.models import Update, UpdateStatus
from tests.improve import factories
from tests.reports.test_dashboard import ON, _fixture


def _service_row(html: str, name: str) -> list[str]:
    """The cells of a service's row on the dashboard, after its name."""
    table = html[html.index("By service</caption>") :]
    services = table[table.index(">" + name + "<") :]
    row = services[: services.index("</tr>")]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_new_responses_actions_and_updates_show_on_the_next_load(app, staff_client):
    with app.app_context():
        _fixture()
        db.session.commit()
    client = staff_client(Role.VIEWER)
    therapy = _service_row(client.get("/staff/dashboard").get_data(True), "Therapy")
    young, parents, others = therapy[:3]
    assert (young, parents, others) == ("2", "3", "1")
    assert therapy == _service_row(client.get("/staff/dashboard").get_data(True), "Therapy")

    with app.app_context():
        survey = db.session.scalars(select(Survey).order_by(Survey.id)).first()
        factories.response(survey, group=RespondentGroup.PARENT_CARER)
        db.session.commit()
    therapy = _service_row(client.get("/staff/dashboard").get_data(True), "Therapy")
    assert therapy[:3] == ["2", "4", "1"]

    with app.app_context():
        overdue = db.session.scalars(
            select(Action).where(Action.status == ActionStatus.IN_PROGRESS)
        ).one()
        overdue.status = ActionStatus.DONE
        db.session.commit()
    html = client.get("/staff/dashboard").get_data(True)
    assert "67%" in html
    done_before = therapy

    with app.app_context():
        buildings = db.session.scalars(select(Theme).where(Theme.name == "Buildings")).one()
        draft = db.session.scalars(select(Update).where(Update.theme_id == buildings.id)).one()
        draft.status = UpdateStatus.PUBLISHED
        draft.published_at = datetime(2026, 6, 5, tzinfo=UTC)
        db.session.commit()
    therapy = _service_row(client.get("/staff/dashboard").get_data(True), "Therapy")
    assert therapy != done_before
    assert "100%" in therapy  # every theme raised now has a published update


def test_cached_dashboard_equals_the_dashboard_counted_afresh(app_context):
    _fixture()
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
