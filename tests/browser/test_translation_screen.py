"""The side-by-side translation screen in real Chromium: axe-core on it as loaded (Urdu, right
to left) and in its error state (marking complete with a text missing)."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible
from tests.helpers.browser import sign_in

PAGE = "/staff/surveys/local-offer-and-sen-support/translations/ur"


def test_side_by_side_screen_is_accessible_and_refuses_an_incomplete_language(
    page, axe, make_user, demo
):
    sign_in(page, make_user)
    page.goto(PAGE)
    page.locator("h1", has_text="Urdu translation").wait_for()
    first = page.locator("textarea").first
    assert first.get_attribute("dir") == "rtl" and first.get_attribute("lang") == "ur"
    assert_accessible(page, axe)

    first.fill("")
    page.get_by_role("button", name="Save and mark Urdu complete").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error:")
    assert "Survey: Title: has no translation" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, axe)
    # The link in the summary goes to the empty box.
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "text-1"
