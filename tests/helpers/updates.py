"""A published "You said, we did" with easy read titles, two actions and a response with a
known receipt code, as the easy read pages' tests read it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from engage.extensions import db
from engage.improve.models import ActionStatus
from engage.inform.models import EngagementStatus
from tests.improve import factories


def published_easy_read_update(app) -> str:
    """Builds it and returns the update's slug."""
    with app.app_context():
        talk = factories.engagement([factories.service(name="Speech therapy")], title="Talking")
        talk.easy_read_title = "Help with talking"
        talk.status = EngagementStatus.RESPONDED
        done = factories.action(title="Hire two therapists", status=ActionStatus.DONE)
        planned = factories.action(
            title="Open a Saturday clinic", status=ActionStatus.PLANNED, due_on=date(2027, 3, 1)
        )
        update = factories.update(
            talk,
            title="Waiting times for speech and language therapy: our response",
            published_at=datetime(2026, 6, 1, tzinfo=UTC),
            actions=[done, planned],
        )
        update.easy_read_title = "Waiting for help with talking"
        survey = factories.survey(talk, title="Talking survey")
        survey.easy_read_title = "Tell us about talking"
        factories.response(survey, receipt_code="ABCD-EFGH-JKMN")
        db.session.commit()
        return update.slug
