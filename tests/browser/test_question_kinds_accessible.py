"""axe-core on every question page of both demo surveys (every kind of question), on a
required-question error, and on the engagement page in both versions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.ask.models import Question, Survey
from engage.extensions import db
from tests.browser.conftest import assert_accessible


def _question_keys(app, slug):
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        return [(q.key, q.kind.value) for q in survey.questions]


@pytest.mark.parametrize("slug", ["talking-help-at-school", "local-offer-and-sen-support"])
def test_every_question_page_is_accessible(app, demo, page, axe, slug):
    page.goto(f"/surveys/{slug}")
    page.get_by_role("button", name="Start now").click()
    kinds = set()
    for key, kind in _question_keys(app, slug):
        page.goto(f"/surveys/{slug}/questions/{key}")
        assert page.locator("h1").count() == 1
        assert_accessible(page, axe)
        kinds.add(kind)
    assert len(kinds) >= 4


def test_required_question_error_is_accessible(app, demo, page, axe):
    slug = "local-offer-and-sen-support"
    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.key == "sen_support"))
        question.required = True
        db.session.commit()
    page.goto(f"/surveys/{slug}")
    page.get_by_role("button", name="Start now").click()
    page.goto(f"/surveys/{slug}/questions/sen_support")
    assert page.get_by_role("button", name="Skip this question").count() == 0
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer")
    assert_accessible(page, axe)


@pytest.mark.parametrize("version", ["standard", "easy-read"])
def test_engagement_page_both_versions(demo, page, axe, version):
    page.goto(f"/engagements/talking-help-at-school?version={version}")
    heading = page.locator("h1").inner_text()
    expected = "Help with talking at school" if version == "easy-read" else "Speech and language"
    assert heading.startswith(expected)
    assert_accessible(page, axe)
