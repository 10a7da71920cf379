"""Staff see suggested themes with their quotes and add one to the codebook in one step."""

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


def _suggestions(page) -> list[dict[str, str]]:
    """Each suggestion's accept form: its key words and the answers it would code."""
    return [
        {name: form.find(attrs={"name": name})["value"] for name in ("keywords", "answer_ids")}
        for form in page.select("form")
        if form.find("input", attrs={"name": "answer_ids"})
    ]


def test_accept_a_suggested_theme_from_the_page(app, staff_request):
    _answers(app)
    staff = staff_request(Role.COMMISSIONER)
    page = staff.get("learn.theme_suggestions")
    assert page.heading == "Suggested themes"
    assert set(page.texts_of(".govuk-inset-text")) <= set(DENTIST + BARBER)
    (dentist,) = [form for form in _suggestions(page) if "dentist" in form["keywords"]]
    staff.post("learn.theme_suggestions", {"name": "Dentists", **dentist})
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.name == "Dentists"))
        coded = db.session.scalar(
            select(func.count()).select_from(Coding).where(Coding.theme_id == theme.id)
        )
        assert coded == len(dentist["answer_ids"].split(",")) > 1
    again = staff.post(
        "learn.theme_suggestions",
        {"name": "Dentists", "keywords": "dentist", "answer_ids": ""},
        _expected_status=400,
    )
    assert again.error_summary == ["A theme called 'Dentists' already exists"]


def test_viewer_cannot_see_suggestions(staff_client):
    assert staff_client(Role.VIEWER).get("/staff/codebook/suggestions").status_code == 403
