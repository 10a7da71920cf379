"""Engagements: a repeated create form makes one engagement; archive hides an engagement from
lists and menus, keeps its results and reports, and can be undone."""

from __future__ import annotations

from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.inform.models import Engagement, EngagementStatus
from tests.helpers.forms import engagement_form, form_token, stored_engagements
from tests.learn.results_factories import make_response, make_survey


def test_submitting_the_create_form_twice_makes_one_engagement(app, staff_client):
    client = staff_client(Role.COMMISSIONER)
    token = form_token(client.get("/staff/engagements/new").get_data(as_text=True))
    first = client.post("/staff/engagements/new", data=engagement_form(creation_token=token))
    again = client.post("/staff/engagements/new", data=engagement_form(creation_token=token))
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert [e.title for e in stored_engagements(app)] == ["Help with talking at school"]
    with app.app_context():
        created = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "engagement_created")
        ).all()
        assert len(created) == 1
    # A new visit to the form is a new engagement, even with the same words.
    token = form_token(client.get("/staff/engagements/new").get_data(as_text=True))
    client.post("/staff/engagements/new", data=engagement_form(creation_token=token))
    assert len(stored_engagements(app)) == 2


def test_a_refused_create_keeps_its_token_for_the_corrected_submit(app, staff_client):
    client = staff_client(Role.COMMISSIONER)
    token = form_token(client.get("/staff/engagements/new").get_data(as_text=True))
    refused = client.post(
        "/staff/engagements/new", data=engagement_form(title="", creation_token=token)
    )
    assert refused.status_code == 400 and form_token(refused.get_data(as_text=True)) == token
    assert (
        client.post(
            "/staff/engagements/new", data=engagement_form(creation_token=token)
        ).status_code
        == 303
    )
    assert len(stored_engagements(app)) == 1


def _archived_setup(app):
    with app.app_context():
        survey = make_survey("kept", title="Kept survey")
        engagement = survey.engagement
        engagement.title = "Old copy"
        engagement.status = EngagementStatus.CLOSED
        for _number in range(3):
            make_response(survey, feel="happy")
        db.session.commit()
        return engagement.id, survey.id, engagement.slug


def test_archive_hides_an_engagement_from_lists_and_menus_and_keeps_its_results(app, staff_client):
    engagement_id, survey_id, slug = _archived_setup(app)
    client = staff_client(Role.ADMIN)
    response = client.post(f"/staff/engagements/{engagement_id}/archive")
    assert response.status_code == 303
    page = client.get(f"/staff/engagements/{engagement_id}").get_data(as_text=True)
    assert "This engagement is archived" in page and "Take out of the archive" in page

    listed = client.get("/staff/engagements/").get_data(as_text=True)
    assert "Old copy" not in listed and "1 archived engagement" in listed
    assert "Old copy" in client.get("/staff/engagements/?archived=yes").get_data(as_text=True)
    for menu in ("/staff/surveys/new", "/staff/actions/new", "/staff/updates/new"):
        assert "Old copy" not in client.get(menu).get_data(as_text=True), menu

    # Kept for results and reports.
    index = client.get("/staff/results").get_data(as_text=True)
    assert "Archived engagements" in index and "Old copy" in index
    results = client.get(f"/staff/results/engagements/{engagement_id}").get_data(as_text=True)
    assert "3 submitted responses" in results
    assert "Old copy (archived)" in client.get("/staff/reports").get_data(as_text=True)
    report = client.get(f"/staff/reports/governance?engagement={slug}")
    assert report.status_code == 200 and "Old copy" in report.get_data(as_text=True)
    # A survey already in it still shows it in its own settings menu.
    with app.app_context():
        survey_slug = db.session.get(Engagement, engagement_id).surveys[0].slug
    settings = client.get(f"/staff/surveys/{survey_slug}/settings").get_data(as_text=True)
    assert "Old copy" in settings

    # It cannot be opened while archived, and comes back when taken out.
    opened = client.post(
        f"/staff/engagements/{engagement_id}/edit", data=engagement_form(title="Old copy")
    )
    assert opened.status_code == 400
    assert "Take the engagement out of the archive before you open it" in opened.get_data(
        as_text=True
    )
    response = client.post(
        f"/staff/engagements/{engagement_id}/archive", data={"action": "restore"}
    )
    assert response.status_code == 303
    assert "Old copy" in client.get("/staff/engagements/").get_data(as_text=True)
    assert "Old copy" in client.get("/staff/surveys/new").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(engagement_id))
        ).all()
        assert "engagement_archived" in actions and "engagement_restored" in actions


def test_an_open_engagement_is_not_archived(app, staff_client):
    engagement_id, _survey_id, _slug = _archived_setup(app)
    with app.app_context():
        db.session.get(Engagement, engagement_id).status = EngagementStatus.OPEN
        db.session.commit()
    client = staff_client(Role.COMMISSIONER)
    response = client.post(f"/staff/engagements/{engagement_id}/archive")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "govuk-error-summary" in page
    assert "Close the engagement before you archive it" in page
    assert "Old copy" in client.get("/staff/engagements/").get_data(as_text=True)
    viewer = staff_client(Role.VIEWER)
    assert viewer.post(f"/staff/engagements/{engagement_id}/archive").status_code == 403
