"""axe-core in real Chromium on the learn pages: results (with charts), quotes, review and the
safeguarding queue and flag page, with data on them; and the review shortcuts by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn.models import SentimentLabel
from engage.listen.models import Channel, RespondentGroup
from tests.browser.conftest import assert_accessible
from tests.browser.site_crawl import sign_in
from tests.learn.results_factories import (
    code,
    feel,
    flag,
    free_text_answer,
    make_response,
    make_service,
    make_survey,
    make_theme,
)


@pytest.fixture
def learn_data(app):
    with app.app_context():
        service = make_service()
        survey = make_survey(title="Help at school", services=[service])
        waiting, staff = make_theme("Waiting times"), make_theme("Staff attitude")
        first = make_response(
            survey,
            feel="happy",
            listened_to="agree",
            helps=["pictures"],
            better="The wait was too long. My son is Tom, call 07700 900123",
        )
        code(free_text_answer(first), waiting)
        feel(free_text_answer(first), SentimentLabel.NEGATIVE)
        second = make_response(
            survey,
            feel="sad",
            listened_to="disagree",
            better="Staff were kind",
            group=RespondentGroup.PARENT_CARER,
            channel=Channel.PAPER,
        )
        code(free_text_answer(second), staff)
        worrying = make_response(survey, better="Someone at home hurts me")
        raised = flag(worrying, free_text_answer(worrying))
        db.session.commit()
        return {
            "survey": survey.id,
            "engagement": survey.engagement_id,
            "service": service.id,
            "flag": raised.id,
            "answer": free_text_answer(first).id,
        }


def _check(page, axe, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    assert page.locator("h1").count() == 1
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_results_pages_have_no_axe_violations(page, axe, make_user, learn_data):
    sign_in(page, make_user, Role.COMMISSIONER)
    for path in (
        "/staff/results",
        f"/staff/results/surveys/{learn_data['survey']}",
        f"/staff/results/surveys/{learn_data['survey']}?group=parent_carer&date_from=bad",
        f"/staff/results/engagements/{learn_data['engagement']}",
        f"/staff/results/services/{learn_data['service']}",
        f"/staff/results/surveys/{learn_data['survey']}/quotes",
        f"/staff/responses/{learn_data['flag']}/concern",
    ):
        _check(page, axe, path)
    page.goto(f"/staff/results/surveys/{learn_data['survey']}")
    # Charts are drawn (CSP-safe SVG with a title) and each has its table; of each chart's
    # two layouts only the one that fits is shown.
    chart = page.locator("svg[role=img]:visible").first
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 50
    assert (
        page.locator("svg[role=img]:visible").count()
        == page.locator("table caption", has_text="the numbers").count()
    )


def test_review_and_codebook_pages_have_no_axe_violations(page, axe, make_user, learn_data):
    sign_in(page, make_user, Role.COMMISSIONER)
    for path in (
        "/staff/codebook",
        "/staff/codebook/new",
        f"/staff/review/{learn_data['answer']}",
    ):
        _check(page, axe, path)
    page.get_by_role("button", name="Save and next").click()
    expect(page.locator("h1")).to_contain_text("Review answer")
    assert_accessible(page, axe)


def test_review_keyboard_shortcuts_are_off_until_turned_on(page, make_user, learn_data):
    sign_in(page, make_user, Role.ADMIN)
    page.goto(f"/staff/review/{learn_data['answer']}")
    staff = page.get_by_label("1. Staff attitude")
    assert not staff.is_checked()
    page.locator("h1").click()
    page.keyboard.press("1")
    assert not staff.is_checked()  # off by default (WCAG 2.1.4)
    page.get_by_label("Use keyboard shortcuts").check()
    page.locator("h1").click()
    page.keyboard.press("1")
    assert staff.is_checked()
    page.keyboard.press("p")
    assert page.get_by_label("Positive").is_checked()
    page.keyboard.press("s")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved.")


def test_safeguarding_pages_have_no_axe_violations(page, axe, make_user, learn_data):
    sign_in(page, make_user, Role.SAFEGUARDING_LEAD)
    _check(page, axe, "/staff/safeguarding")
    _check(page, axe, "/staff/safeguarding?status=new")
    _check(page, axe, f"/staff/safeguarding/{learn_data['flag']}")
    expect(page.locator("#verbatim")).to_contain_text("Someone at home hurts me")
    page.get_by_role("button", name="Add to the record").click()  # nothing chosen: an error
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("Referred").check()
    page.get_by_label("Note").fill("Referred to the local authority designated officer")
    page.get_by_role("button", name="Add to the record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Added to the record.")
    expect(page.locator("table")).to_contain_text(
        "Referred to the local authority designated officer"
    )
    assert_accessible(page, axe)
