"""A staff page follows one response forward: what was said, its themes, the actions and the
updates that came of it (the loop, response by response)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from tests.improve import factories

XSS = '<script>alert("x")</script>'


def _traced(app, *, flagged: bool = False) -> dict:
    with app.app_context():
        theme = factories.theme("Waiting times")
        engagement = factories.engagement(title="Talking help")
        survey = factories.survey(engagement)
        said = factories.response(survey, text=f"Waits are long {XSS}")
        factories.code(said, theme)
        if flagged:
            factories.flag(said)
        action = factories.action(themes=[theme])
        factories.update(
            engagement, theme, title="About waits", published_at=datetime(2026, 6, 1, tzinfo=UTC)
        )
        factories.update(engagement, title="Unrelated update")
        db.session.commit()
        return {"response": said.id, "action": action.title}


def test_response_page_shows_words_themes_actions_and_updates(app, staff_client):
    ids = _traced(app)
    page = staff_client(Role.VIEWER).get(f"/staff/responses/{ids['response']}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Waits are long &lt;script&gt;" in body and XSS not in body
    assert "Waiting times" in body
    assert ids["action"] in body and "Planned" in body
    assert "About waits" in body and "Published" in body
    assert "Unrelated update" not in body
    with app.app_context():
        viewed = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "view", AuditEvent.object_type == "response"
            )
        )
        assert viewed.object_id == str(ids["response"])


def test_flagged_words_are_held_back_on_the_response_page(app, staff_client):
    ids = _traced(app, flagged=True)
    body = (
        staff_client(Role.COMMISSIONER)
        .get(f"/staff/responses/{ids['response']}")
        .get_data(as_text=True)
    )
    assert "Waits are long" not in body
    assert "Held for safeguarding review" in body


def test_response_page_is_for_results_roles_and_submitted_responses(app, staff_client):
    ids = _traced(app)
    assert (
        staff_client(Role.SAFEGUARDING_LEAD).get(f"/staff/responses/{ids['response']}").status_code
        == 403
    )
    assert staff_client(Role.ADMIN).get("/staff/responses/999999").status_code == 404
