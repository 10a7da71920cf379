"""axe-core on every question page of both demo surveys (every kind of question), on a
required-question error, and on the engagement page in both versions."""

from __future__ import annotations

import re

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


def test_easy_read_symbols_add_no_names_to_what_a_screen_reader_says(app, demo, page):
    """Symbols beside words are decorative: each answer is named by its words alone, and no
    symbol's own name ("check mark button", "speaking head") is ever heard."""
    from engage.ask.symbols import alt_text
    from engage.listen.questions import option_wording, wording

    slug = "talking-help-at-school"
    page.goto(f"/surveys/{slug}")
    page.get_by_role("button", name="Start now").click()
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        expected = {
            q.key: (wording(q, True), [option_wording(o, True) for o in q.options])
            for q in survey.questions
        }
        symbol_names = {
            alt_text(code)
            for q in survey.questions
            for code in [q.symbol, *(o.symbol for o in q.options)]
            if code and alt_text(code)
        }
    assert "check mark button" in symbol_names and "speaking head" in symbol_names
    for key, (question_words, option_words) in expected.items():
        page.goto(f"/surveys/{slug}/questions/{key}")
        heard = page.locator("form.engage-question-form").aria_snapshot()
        assert not [name for name in symbol_names if name in heard], heard
        assert re.search(rf'(group|heading|textbox) "{re.escape(question_words)}"', heard), heard
        names = re.findall(r'- (?:radio|checkbox) "([^"]+)"', heard)
        assert names == option_words, heard
        assert page.locator("img.engage-symbol:not([alt=''])").count() == 0
