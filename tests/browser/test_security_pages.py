"""axe-core in real Chromium on the pages added for the security bar: the safeguarding queue
with an overdue flag, the break-glass contact view, the staff response page, and the public
pages about a child's answers."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.extensions import db
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.improve import factories


@pytest.fixture
def flagged(app):
    with app.app_context():
        survey = factories.survey(factories.engagement(title="Talking help"), "Talking survey")
        said = factories.response(
            survey,
            text="Someone hurts me",
            email="child@example.com",
            receipt_code="ABCD-EFGH-JKMN",
        )
        factories.code(said, factories.theme("Feeling safe"))
        flag = factories.flag(said)
        flag.created_at = datetime(2026, 1, 5, 9, tzinfo=UTC)
        calm = factories.response(survey, text="More quiet rooms please")
        db.session.commit()
        return {"flag": flag.id, "response": calm.id}


def _sign_in(page, make_user, role):
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(make_user(role))
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


def test_safeguarding_lead_pages_have_no_axe_violations(page, axe, flagged, make_user):
    _sign_in(page, make_user, Role.SAFEGUARDING_LEAD)
    page.goto("/staff/safeguarding")
    expect(page.locator("main")).to_contain_text("Waiting more than 4 hours")
    assert_accessible(page, axe)
    page.goto(f"/staff/safeguarding/{flagged['flag']}")
    assert_accessible(page, axe)
    page.get_by_role("link", name="See who this is").click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="See contact details").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("Why do you need to know who this is?").fill("Referral to MASH")
    page.get_by_role("button", name="See contact details").click()
    expect(page.locator("#contact-email")).to_have_text("child@example.com")
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_staff_response_page_has_no_axe_violations(page, axe, flagged, make_user):
    _sign_in(page, make_user, Role.COMMISSIONER)
    assert page.goto(f"/staff/responses/{flagged['response']}").status == 200
    expect(page.locator("main")).to_contain_text("More quiet rooms please")
    assert_accessible(page, axe)
    assert page.goto(f"/staff/responses/{flagged['response'] - 1}").status == 200
    expect(page.locator("main")).to_contain_text("Held for safeguarding review")
    assert_accessible(page, axe)


def test_own_answers_pages_have_no_axe_violations(page, axe, flagged):
    page.goto("/my-answers")
    page.get_by_role("link", name="Asking about answers your child or someone else gave").click()
    assert_accessible(page, axe)
    page.goto("/my-answers")
    page.get_by_label("See or delete your answers").fill("abcd-efgh-jkmn")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Hide my answers").click()
    expect(page.locator("main")).to_contain_text("Your answers are hidden")
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_admin_team_page_has_no_axe_violations(app, page, axe, make_user):
    with app.app_context():
        factories.organisation("Northmoor Council")
        db.session.commit()
    _sign_in(page, make_user, Role.ADMIN)
    page.goto("/staff/users")
    page.get_by_role("link", name="Change").first.click()
    assert_accessible(page, axe)
    page.get_by_label("Northmoor Council").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("now sees: Northmoor Council")
    assert_accessible(page, axe)
