"""Surveys: a repeated create form makes one survey; archive takes a survey out of the lists,
keeps its results, is refused while people can answer it, and can be undone."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from tests.helpers.forms import CONFIRMED, add_question, create_survey, form_token, survey_form


def survey_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Survey))


def test_submitting_the_create_form_twice_makes_one_survey(app, staff_client):
    client = staff_client(Role.COMMISSIONER)
    token = form_token(client.get("/staff/surveys/new").get_data(as_text=True))
    first = client.post("/staff/surveys/new", data=survey_form(creation_token=token))
    again = client.post("/staff/surveys/new", data=survey_form(creation_token=token))
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert survey_count(app) == 1
    # Without a token (an older page still open) it creates as before.
    assert client.post("/staff/surveys/new", data=survey_form()).status_code == 303
    assert survey_count(app) == 2


def test_archive_a_survey_and_take_it_out_again(app, staff_client):
    client = staff_client(Role.COMMISSIONER)
    slug = create_survey(client, title="Copy made by mistake")
    add_question(client, slug, "yes_no")
    assert client.post(f"/staff/surveys/{slug}/publish", data=CONFIRMED).status_code == 303
    refused = client.post(f"/staff/surveys/{slug}/archive")
    assert refused.status_code == 409
    assert "Close the survey before you archive it" in refused.get_data(as_text=True)
    assert client.post(f"/staff/surveys/{slug}/close").status_code == 303

    assert client.post(f"/staff/surveys/{slug}/archive").status_code == 303
    listed = client.get("/staff/surveys/").get_data(as_text=True)
    assert "Copy made by mistake" not in listed and "1 archived survey" in listed
    archived = client.get("/staff/surveys/?archived=yes").get_data(as_text=True)
    assert "Copy made by mistake" in archived
    page = client.get(f"/staff/surveys/{slug}").get_data(as_text=True)
    assert "This survey is archived" in page and "Publish survey" not in page
    refused = client.post(f"/staff/surveys/{slug}/publish", data=CONFIRMED)
    assert refused.status_code == 409
    assert "Take the survey out of the archive before you publish it" in refused.get_data(
        as_text=True
    )
    index = client.get("/staff/results").get_data(as_text=True)
    assert "Archived surveys" in index and "Copy made by mistake" in index
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == slug))
    assert client.get(f"/staff/results/surveys/{survey_id}").status_code == 200

    response = client.post(f"/staff/surveys/{slug}/archive", data={"action": "restore"})
    assert response.status_code == 303
    assert "Copy made by mistake" in client.get("/staff/surveys/").get_data(as_text=True)
