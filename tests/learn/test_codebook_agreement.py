"""The codebook shows, per theme, how often staff kept the automatic codes, and warns."""

from __future__ import annotations

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn import codebook
from engage.learn.models import CodingRejection, CodingSource
from tests.learn.results_factories import (
    code,
    free_text_answer,
    make_response,
    make_survey,
    make_theme,
)


def _answers(survey, count):
    return [free_text_answer(make_response(survey, better=f"answer {i}")) for i in range(count)]


def _fixture():
    """Waiting times: 4 automatic codes kept, 1 removed, 2 added by staff, 1 not reviewed.
    Parking: 1 kept, 5 removed. Sensory rooms: nothing reviewed."""
    survey = make_survey()
    waiting, parking = make_theme("Waiting times"), make_theme("Parking")
    sensory = make_theme("Sensory rooms")
    answers = _answers(survey, 14)
    for answer in answers[:4]:
        code(answer, waiting, confirmed=True)
    db.session.add(CodingRejection(answer_id=answers[4].id, theme_id=waiting.id))
    for answer in answers[5:7]:
        code(answer, waiting, source=CodingSource.STAFF, confirmed=True)
    code(answers[7], waiting)  # not reviewed yet: counts nowhere
    code(answers[8], parking, confirmed=True)
    for answer in answers[9:14]:
        db.session.add(CodingRejection(answer_id=answer.id, theme_id=parking.id))
    db.session.commit()
    return waiting, parking, sensory


def test_agreement_figures_on_a_known_fixture(app_context):
    waiting, parking, sensory = _fixture()
    found = codebook.agreement()
    assert (found[waiting.id].kept, found[waiting.id].removed) == (4, 1)
    assert (found[waiting.id].added, found[waiting.id].confirmed) == (2, 6)
    assert found[waiting.id].precision == 0.8 and not found[waiting.id].poor
    assert (found[parking.id].kept, found[parking.id].removed) == (1, 5)
    assert found[parking.id].poor and "more specific" in found[parking.id].advice
    assert found[sensory.id].precision is None and found[sensory.id].confirmed == 0


def test_the_codebook_page_shows_agreement_and_warns(app, staff_client):
    with app.app_context():
        _fixture()
    html = staff_client(Role.COMMISSIONER).get("/staff/codebook").get_data(True)
    assert "4 of 5 (80%)" in html and "2 added by staff" in html
    assert "1 of 6 (17%)" in html and "Poor agreement" in html
    assert "Staff removed most of the automatic codes of this theme" in html
    assert "None reviewed yet" in html
    assert "Fewer than 10 confirmed examples (0)" in html
