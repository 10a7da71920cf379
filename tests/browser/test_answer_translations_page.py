"""axe-core in real Chromium on the answers-in-other-languages page: a Polish and an Urdu
answer waiting, an empty translation refused (error summary), a translation typed and saved,
then the quotes browser by language and the review page showing the translation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.extensions import db
from tests.browser.conftest import assert_accessible
from tests.browser.site_crawl import sign_in
from tests.learn.factories import make_response, make_survey

POLISH = "Czekamy za długo na terapię mowy, to jest bardzo frustrujące."
URDU = "ہمیں اسپیچ تھراپی کے لیے بہت لمبا انتظار کرنا پڑتا ہے۔"


@pytest.fixture
def foreign_answers(app):
    with app.app_context():
        survey = make_survey("What could we do better?")
        ids = []
        for text, language in ((POLISH, "pl"), (URDU, "ur")):
            response = make_response(survey, text)
            response.language = language
            response.answers[0].language = language
            ids.append(response.answers[0].id)
        db.session.commit()
        return survey.id, ids


def test_translating_an_answer_has_no_axe_violations(page, axe, make_user, foreign_answers):
    survey_id, (polish_id, urdu_id) = foreign_answers
    sign_in(page, make_user, Role.COMMISSIONER)
    page.goto(f"/staff/results/surveys/{survey_id}/translations")
    expect(page.locator(f"#answer-{urdu_id} [lang=ur][dir=rtl]")).to_contain_text(URDU)
    assert_accessible(page, axe)

    page.get_by_role("button", name=f"Save translation for answer {polish_id}").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the translation")
    assert_accessible(page, axe)

    page.locator(f"#translation-{polish_id}").fill("We wait far too long for speech therapy.")
    page.get_by_role("button", name=f"Save translation for answer {polish_id}").click()
    expect(page.get_by_text("Translated from Polish")).to_be_visible()
    assert_accessible(page, axe)

    page.goto(f"/staff/results/surveys/{survey_id}/quotes?language=pl")
    expect(page.get_by_text("We wait far too long for speech therapy.")).to_be_visible()
    assert_accessible(page, axe)
    page.goto(f"/staff/review/{polish_id}")
    expect(page.locator("#answer-translation")).to_contain_text("We wait far too long")
    assert_accessible(page, axe)
    assert page.outside_requests == []
