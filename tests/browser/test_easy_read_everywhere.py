"""Easy read wherever it is offered, seen at 320 px: the parents' engagement page leads to
easy-read questions, and the receipt, "my answers" and "You said, we did" pages have easy-read
versions with symbols a screen reader does not announce; axe-core on each."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.helpers.updates import published_easy_read_update

STANDARD = "local-offer-and-sen-support"


def _no_symbol_names(page, selector: str = "main") -> str:
    heard = page.locator(selector).aria_snapshot()
    assert "- img" not in heard, heard  # every symbol beside words is decorative
    return heard


def test_easy_read_from_the_engagement_page_to_receipt_and_updates(
    app, demo, chromium, live_server, axe
):
    slug = published_easy_read_update(app)
    context = chromium.new_context(base_url=live_server, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"/engagements/{STANDARD}")
    page.get_by_role("link", name="Easy read version").click()
    expect(page.locator("h1")).to_have_text("Finding help and support")
    _no_symbol_names(page)
    page.get_by_role("link", name="Finding help and support").click()
    expect(page.locator("h1")).to_have_text("Finding help and support")
    page.get_by_role("button", name="Start now").click()
    heard = _no_symbol_names(page, "form.engage-question-form")
    assert 'radio "I am a parent or carer"' in heard and "Who are you?" in heard
    # On a phone the symbol sits above its words, which keep the width of the answer's box
    # (beside the symbol they wrapped after a word or two).
    lines = page.locator(".engage-option__text").evaluate_all(
        """spans => spans.map(s => Math.round(
            s.getBoundingClientRect().height / parseFloat(getComputedStyle(s).lineHeight)))"""
    )
    assert max(lines) <= 2, lines
    assert_accessible(page, axe)
    page.get_by_label("I am a parent or carer").check()
    page.get_by_role("button", name="Next").click()
    heard = _no_symbol_names(page, "form.engage-question-form")
    assert "Have you used the council's website about help for families this year?" in heard
    while "/questions/" in page.url:
        page.get_by_role("button", name="Skip this question").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Who are you?")
    page.get_by_role("button", name="Send my answers").click()
    receipt = page.locator("#receipt-code").inner_text()
    assert_accessible(page, axe)

    page.goto("/receipt")
    expect(page.locator("main")).to_contain_text("Type the code you got")
    page.get_by_label("Receipt code").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name=re.compile("Find|Look|Continue|Next|Check")).click()
    expect(page.locator(".govuk-panel__title")).to_have_text("We found your code")
    _no_symbol_names(page)
    assert_accessible(page, axe)
    page.get_by_role("link", name="Waiting for help with talking").click()
    expect(page.locator("h1")).to_have_text("Waiting for help with talking")
    heard = _no_symbol_names(page)
    assert 'strong: "We have done this:"' in heard and "text: Hire two therapists" in heard
    assert page.locator("table").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, axe)

    page.goto("/my-answers")
    page.get_by_label("See your answers").fill(receipt)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("main")).to_contain_text("Who are you?")
    expect(page.locator("main")).to_contain_text("When you finish")
    _no_symbol_names(page)
    assert_accessible(page, axe)
    page.goto(f"/you-said-we-did/{slug}?version=standard")
    expect(page.locator("h1")).to_contain_text("Waiting times for speech")
    context.close()
