"""Staff pages for engagements: create, edit, errors that keep what was typed, roles."""

from __future__ import annotations

from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.inform.models import (
    EngagementStatus,
    Organisation,
    OrganisationKind,
    Service,
)
from tests.helpers.forms import engagement_form, stored_engagements


def make_services(app) -> list[int]:
    with app.app_context():
        council = Organisation(name="Northshire Council", kind=OrganisationKind.COUNCIL)
        services = [
            Service(slug="speech", name="Speech and language therapy", commissioner=council),
            Service(slug="short-breaks", name="Short breaks", commissioner=council),
        ]
        db.session.add_all(services)
        db.session.commit()
        return [service.id for service in services]


def test_commissioner_creates_an_engagement_with_easy_read_versions_services_and_dates(
    app, staff_client
):
    service_ids = make_services(app)
    client = staff_client(Role.COMMISSIONER)
    page = client.get("/staff/engagements/new").get_data(as_text=True)
    assert "Easy-read summary" in page and "Short breaks" in page

    response = client.post(
        "/staff/engagements/new", data=engagement_form(services=[str(service_ids[1])])
    )
    assert response.status_code == 303

    (engagement,) = stored_engagements(app)
    assert engagement.slug == "help-with-talking-at-school"
    assert engagement.easy_read_summary == "Tell us about help with talking."
    assert engagement.stage.value == "plan"
    assert engagement.status == EngagementStatus.OPEN
    assert str(engagement.opens_on) == "2027-03-01" and str(engagement.closes_on) == "2027-04-30"
    assert [service.name for service in engagement.services] == ["Short breaks"]

    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We will tell you what we did." in shown and "Short breaks" in shown
    # The public page shows it, with the easy-read switch.
    public = client.get("/engagements/help-with-talking-at-school?version=easy-read")
    assert "Tell us about help with talking." in public.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "engagement_created" in actions


def test_slugs_stay_unique_when_titles_repeat(app, staff_client):
    client = staff_client(Role.ADMIN)
    for _ in range(2):
        assert client.post("/staff/engagements/new", data=engagement_form()).status_code == 303
    assert [e.slug for e in stored_engagements(app)] == [
        "help-with-talking-at-school",
        "help-with-talking-at-school-2",
    ]


def test_errors_are_summarised_and_everything_typed_is_kept(app, staff_client):
    client = staff_client(Role.ADMIN)
    long_why = "x" * 3001
    response = client.post(
        "/staff/engagements/new",
        data=engagement_form(
            title="", why=long_why, opens_on=["31", "2", "2027"], stage="", summary="Kept <b>"
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and page.count('href="#title"') == 1
    assert "Enter a title" in page
    assert "Why we are asking must be 3000 characters or fewer" in page
    assert 'href="#opens_on-day"' in page and "Opening date must be a real date" in page
    assert "Select the commissioning stage" in page
    # What was typed is shown again, escaped.
    assert long_why in page and "Kept &lt;b&gt;" in page
    assert 'value="31"' in page and 'value="30"' in page
    assert stored_engagements(app) == []


def test_closing_date_before_opening_date_is_refused(app, staff_client):
    client = staff_client(Role.ADMIN)
    response = client.post(
        "/staff/engagements/new", data=engagement_form(closes_on=["1", "1", "2027"])
    )
    assert response.status_code == 400
    assert "The closing date must be on or after the opening date" in response.get_data(
        as_text=True
    )


def test_dates_may_be_left_blank(app, staff_client):
    client = staff_client(Role.ADMIN)
    response = client.post(
        "/staff/engagements/new",
        data=engagement_form(opens_on=["", "", ""], closes_on=["", "", ""], status="draft"),
    )
    assert response.status_code == 303
    (engagement,) = stored_engagements(app)
    assert engagement.opens_on is None and engagement.closes_on is None


def test_editing_changes_fields_and_keeps_the_slug(app, staff_client):
    service_ids = make_services(app)
    client = staff_client(Role.ADMIN)
    client.post("/staff/engagements/new", data=engagement_form(services=[str(service_ids[0])]))
    (engagement,) = stored_engagements(app)
    form = client.get(f"/staff/engagements/{engagement.id}/edit").get_data(as_text=True)
    assert "Help with talking at school" in form and 'value="2027"' in form

    response = client.post(
        f"/staff/engagements/{engagement.id}/edit",
        data=engagement_form(
            title="Talking help in schools",
            stage="review",
            status="closed",
            services=[str(i) for i in service_ids],
        ),
    )
    assert response.status_code == 303
    (changed,) = stored_engagements(app)
    assert changed.title == "Talking help in schools"
    assert changed.slug == "help-with-talking-at-school"
    assert changed.stage.value == "review" and changed.status == EngagementStatus.CLOSED
    assert len(changed.services) == 2


def test_viewer_sees_engagements_but_cannot_create_or_edit(app, staff_client):
    client = staff_client(Role.ADMIN)
    client.post("/staff/engagements/new", data=engagement_form())
    (engagement,) = stored_engagements(app)
    viewer = staff_client(Role.VIEWER)
    listing = viewer.get("/staff/engagements/")
    assert listing.status_code == 200
    assert "Help with talking at school" in listing.get_data(as_text=True)
    assert "Create an engagement" not in listing.get_data(as_text=True)
    assert viewer.get(f"/staff/engagements/{engagement.id}").status_code == 200
    assert viewer.get("/staff/engagements/new").status_code == 403
    assert viewer.post("/staff/engagements/new", data=engagement_form()).status_code == 403
    assert (
        viewer.post(
            f"/staff/engagements/{engagement.id}/edit", data=engagement_form(title="Changed")
        ).status_code
        == 403
    )
    assert stored_engagements(app)[0].title == "Help with talking at school"


def test_staff_menu_has_engagements_and_surveys(staff_client):
    page = staff_client(Role.VIEWER).get("/staff/engagements/").get_data(as_text=True)
    assert 'href="/staff/engagements/"' in page and 'href="/staff/surveys/"' in page


def test_engagement_pages_need_sign_in(client):
    assert client.get("/staff/engagements/").status_code in (302, 401)
    assert client.post("/staff/engagements/new", data=engagement_form()).status_code in (302, 401)


def test_a_form_posted_without_the_date_boxes_gets_errors_not_a_crash(app, staff_client):
    client = staff_client(Role.ADMIN)
    response = client.post("/staff/engagements/new", data={"title": "", "stage": "review"})
    assert response.status_code == 400
    assert "Enter a title" in response.get_data(as_text=True)
    assert stored_engagements(app) == []
