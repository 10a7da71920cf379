"""Staff see suggested themes with their quotes and add one to the codebook in one step."""

import re

from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn import themes
from engage.learn.models import Coding, Theme
from tests.learn.factories import BARBER, DENTIST, make_response, make_survey


def _answers(app):
    with app.app_context():
        themes.seed_codebook()
        survey = make_survey("Anything else?")
        for text in DENTIST + BARBER:
            make_response(survey, text)
        db.session.commit()


def test_accept_a_suggested_theme_from_the_page(app, staff_client):
    _answers(app)
    staff = staff_client(Role.COMMISSIONER)
    page = staff.get("/staff/codebook/suggestions").get_data(as_text=True)
    assert "Suggested themes" in page
    assert "The dentist could not treat him without sedation" in page or "dentist" in page.lower()
    form = re.search(
        r'name="keywords" value="([^"]*dentist[^"]*)">\s*<input type="hidden" name="answer_ids" '
        r'value="([0-9,]+)"',
        page,
    )
    assert form, "a dentist suggestion with its answers"
    accepted = staff.post(
        "/staff/codebook/suggestions",
        data={"name": "Dentists", "keywords": form.group(1), "answer_ids": form.group(2)},
    )
    assert accepted.status_code == 303
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.name == "Dentists"))
        coded = db.session.scalar(
            select(func.count()).select_from(Coding).where(Coding.theme_id == theme.id)
        )
        assert coded == len(form.group(2).split(","))
    again = staff.post(
        "/staff/codebook/suggestions",
        data={"name": "Dentists", "keywords": "dentist", "answer_ids": ""},
    )
    assert again.status_code == 400
    assert "already exists" in again.get_data(as_text=True)


def test_viewer_cannot_see_suggestions(staff_client):
    assert staff_client(Role.VIEWER).get("/staff/codebook/suggestions").status_code == 403
