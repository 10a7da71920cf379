"""axe-core in real Chromium on the foundation pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.mark.parametrize("path", ["/", "/staff/sign-in", "/accessibility", "/privacy"])
def test_page_has_no_axe_violations(page, axe, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_axe_catches_a_real_violation(page, axe):
    # The harness must be able to fail: an image without alt text is a violation.
    page.goto("/")
    page.evaluate("document.querySelector('main').appendChild(document.createElement('img'))")
    assert any(v["id"] == "image-alt" for v in axe(page))


def test_sign_in_error_page_is_accessible(page, axe):
    page.goto("/staff/sign-in")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error:")
    assert_accessible(page, axe)


def test_staff_sign_in_in_browser(page, make_user):
    from tests.conftest import PASSWORD

    email = make_user()
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Staff home")
