"""Both demo surveys answered in real Chromium, checked with axe-core on every kind of page;
the easy-read survey answered with the keyboard alone; resuming in a fresh browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from engage.extensions import db
from engage.listen.models import Response, ResponseStatus
from tests.browser.conftest import assert_accessible

EASY = "talking-help-at-school"
STANDARD = "local-offer-and-sen-support"


def _submitted(app):
    with app.app_context():
        return db.session.scalars(
            select(Response).where(Response.status == ResponseStatus.SUBMITTED)
        ).all()


def test_easy_read_survey_end_to_end_accessible(app, demo, page, axe):
    page.goto(f"/surveys/{EASY}")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Start now").click()
    expect(page.locator(".engage-progress")).to_contain_text("Question 1 of")
    assert_accessible(page, axe)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Next").click()
    # Feelings scale: faces with words.
    expect(page.locator(".engage-faces img[alt]")).to_have_count(5)
    assert_accessible(page, axe)
    page.get_by_label("Happy", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Pictures").check()
    page.get_by_label("Games").check()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Next").click()
    # Free text: an error first, everything typed kept.
    page.locator("textarea").fill("a" * 1001)
    page.get_by_role("button", name="Next").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.locator("textarea").input_value() == "a" * 1001
    assert_accessible(page, axe)
    page.locator("textarea").fill("More games with the therapist")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Someone helped me").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("12 to 15").check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("h1")).to_contain_text("Your answers have been sent")
    assert_accessible(page, axe)
    receipt = page.locator(".engage-receipt").inner_text()
    assert page.outside_requests == []
    # Shared school devices: no answer is kept in the browser's storage.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    [response] = _submitted(app)
    assert response.receipt_code == receipt
    with app.app_context():
        response = db.session.get(Response, response.id)
        texts = {a.question.key: (a.choice, a.choices, a.text) for a in response.answers}
    assert texts["better"][2] == "More games with the therapist"
    assert texts["helps_most"][1] == ["pictures", "games"]
    assert len(texts) == 7


def test_standard_survey_end_to_end_accessible(app, demo, page, axe):
    page.goto(f"/surveys/{STANDARD}")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("A parent or carer").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Disagree", exact=True).check()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Short breaks and activities").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Not very well").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Skip this question").click()
    page.locator("textarea").fill("A single named contact at school")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_role("button", name="Tell me what happened").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page, axe)
    [response] = _submitted(app)
    with app.app_context():
        response = db.session.get(Response, response.id)
        answered = {a.question.key: a for a in response.answers}
        assert answered["listened_to"].skipped is True
        assert answered["one_change"].text == "A single named contact at school"
        assert len(answered) == 7


def _progress(page) -> tuple[int, int]:
    number, total = re.search(
        r"Question (\d+) of (\d+)", page.locator(".engage-progress").inner_text()
    ).groups()
    return int(number), int(total)


def test_changing_no_to_yes_walks_through_the_questions_it_reveals(app, demo, page, axe):
    page.goto(f"/surveys/{EASY}")
    page.get_by_role("button", name="Start now").click()
    seen = [_progress(page)]
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Next").click()
    seen.append(_progress(page))
    page.locator("textarea").fill("A quiet room to talk")
    for _ in range(3):
        page.get_by_role("button", name="Next").click()
        if "/questions/" in page.url:
            seen.append(_progress(page))
    # The count only moves forward: never "1 of 5" then "2 of 7".
    assert seen == [(1, 8), (2, 4), (3, 4), (4, 4)]
    expect(page.locator("h1")).to_have_text("Check your answers")
    page.get_by_role("link", name="Change Do you get help with talking at school?").click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_contain_text("How do you feel about the help?")
    page.get_by_label("Happy", exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_contain_text("What helps you most?")
    page.get_by_label("Games").check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_contain_text("Do the people who help you listen to you?")
    page.get_by_label("Yes, a lot").check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list")).not_to_contain_text("Not answered")
    expect(page.locator(".govuk-summary-list")).to_contain_text("A quiet room to talk")
    # Back to No: the three answers are set aside, listed, and not lost.
    page.get_by_role("link", name="Change Do you get help with talking at school?").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".engage-set-aside")).to_contain_text("Games")
    assert_accessible(page, axe)


def test_easy_read_survey_with_keyboard_alone(app, demo, page):
    page.goto(f"/surveys/{EASY}")
    page.get_by_role("button", name="Start now").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/questions/get_help"))

    def tab_to(predicate_js: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate_js):
                return
        raise AssertionError(f"never focused: {predicate_js}")

    # Radios: Tab into the group, arrow keys move and select.
    tab_to("document.activeElement.name === 'answer-get_help'")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.value") == "yes"
    tab_to("document.activeElement.value === 'continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/questions/feel_about_help"))
    # Feelings scale, and the read-aloud button can be reached.
    tab_to("document.activeElement.name === 'answer-feel_about_help'")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "happy"
    assert page.evaluate("document.activeElement.checked") is True
    if page.locator(".engage-read-aloud__start").is_visible():
        tab_to("document.activeElement.classList.contains('engage-read-aloud__start')")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        box_shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
        assert outline != "none" or box_shadow != "none"
    # Shift+Tab goes back; Enter on Next submits.
    tab_to("document.activeElement.value === 'continue'")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.value") != "continue"
    tab_to("document.activeElement.value === 'continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/questions/helps_most"))
    tab_to("document.activeElement.name === 'answer-helps_most'")
    page.keyboard.press("Space")
    tab_to("document.activeElement.value === 'continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/questions/listened_to"))
    for expected in ("better", "answered_how", "age_band"):
        tab_to("document.activeElement.value === 'skip'")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/questions/{expected}"))
    tab_to("document.activeElement.value === 'skip'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/check"))
    tab_to("document.activeElement.textContent.includes('Send my answers')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/confirmation"))
    [response] = _submitted(app)
    with app.app_context():
        response = db.session.get(Response, response.id)
        answered = {a.question.key: a for a in response.answers}
    assert answered["feel_about_help"].choice == "happy"
    assert answered["helps_most"].choices == ["pictures"]


def test_resume_code_restores_answers_in_a_fresh_browser(
    app, demo, page, chromium, live_server, axe
):
    page.goto(f"/surveys/{EASY}")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Very sad").check()
    page.get_by_role("button", name="Save and come back later").click()
    code = page.locator("#resume-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert_accessible(page, axe)
    fresh = chromium.new_context(base_url=live_server)
    other = fresh.new_page()
    other.goto("/resume")
    assert_accessible(other, axe)
    other.get_by_label("Carry on with your answers").fill(code)
    other.get_by_role("button", name="Carry on").click()
    other.wait_for_url(re.compile(r"/questions/helps_most"))
    other.get_by_role("link", name="Back").click()
    assert other.get_by_label("Very sad").is_checked()
    fresh.close()
