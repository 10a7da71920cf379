"""The survey editor in real Chromium: create a survey and a question, pick a symbol by
keyword, and axe-core on the survey list, survey page, question form and an error state."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible
from tests.helpers.browser import sign_in


def test_create_a_survey_and_question_in_the_editor_accessibly(page, axe, make_user):
    sign_in(page, make_user)
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.locator("h1", has_text="Surveys").wait_for()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Create a survey").click()
    # An error state: nothing filled in.
    page.get_by_role("button", name="Save survey").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error:")
    assert_accessible(page, axe)

    page.get_by_label("Title", exact=True).fill("Help with talking at school")
    page.get_by_label("Children and young people").check()
    page.get_by_label("Easy read: one question per page").check()
    page.get_by_role("button", name="Save survey").click()
    page.locator("h1", has_text="Help with talking at school").wait_for()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Yes / no / not sure").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("h1", has_text="Add a question").wait_for()
    assert_accessible(page, axe)

    # Typed text survives a symbol search; the symbols found carry their alt text.
    page.get_by_label("Question", exact=True).fill("Do you like school?")
    page.get_by_label("Find a symbol by keyword").fill("school")
    page.get_by_role("button", name="Find symbols").click()
    page.get_by_role("radio", name="school", exact=True).wait_for()
    assert page.get_by_label("Question", exact=True).input_value() == "Do you like school?"
    assert_accessible(page, axe)
    page.get_by_role("radio", name="school", exact=True).check()

    # A question form in its error state, then put right.
    page.get_by_label("Question", exact=True).fill("")
    page.get_by_role("button", name="Save question").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page, axe)
    page.get_by_label("Question", exact=True).fill("Do you like school?")
    page.get_by_role("button", name="Save question").click()
    page.locator("h3", has_text="Do you like school?").wait_for()
    assert page.locator('img[alt="school"]').count() == 1
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_engagement_pages_and_answer_form_are_accessible(page, axe, make_user, demo):
    sign_in(page, make_user)
    page.get_by_role("link", name="Engagements", exact=True).click()
    page.locator("h1", has_text="Engagements").wait_for()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Create an engagement").click()
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("2027")
    page.get_by_role("button", name="Save engagement").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.get_by_label("Day").first.input_value() == "31"
    assert_accessible(page, axe)
    # The summary's link for a date goes to the day box.
    page.get_by_role("link", name="Opening date must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "opens_on-day"

    page.goto("/staff/surveys/talking-help-at-school")
    page.get_by_role("button", name="Add a question").click()
    page.locator("h1", has_text="What kind of question?").wait_for()
    assert_accessible(page, axe)
    page.goto("/staff/surveys/talking-help-at-school")
    page.get_by_role("link", name="Edit question 3").click()
    page.get_by_role("button", name="Add an answer").click()
    page.get_by_role("button", name="Save answer").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page, axe)
    assert page.outside_requests == []
