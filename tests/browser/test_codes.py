"""Receipt and resume codes at 320 px: on one line, large, with a copy button that works with
script and is absent without it (the code still reads in full)."""

from __future__ import annotations

import re

from tests.browser.conftest import assert_accessible

EASY = "talking-help-at-school"
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _one_line_and_large(page, selector: str) -> None:
    box = page.locator(selector).evaluate(
        """el => ({lines: el.getClientRects().length,
                   height: el.getBoundingClientRect().height,
                   right: el.getBoundingClientRect().right,
                   lineHeight: parseFloat(getComputedStyle(el).lineHeight),
                   size: parseFloat(getComputedStyle(el).fontSize),
                   width: document.documentElement.scrollWidth})"""
    )
    assert box["height"] < 1.5 * box["lineHeight"], box  # one line, not two
    assert box["size"] >= 24, box
    assert box["right"] <= 320 and box["width"] <= 320, box


def _save_then_send(page) -> tuple[str, str]:
    page.goto(f"/surveys/{EASY}")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    resume = page.locator("#resume-code").inner_text()
    page.goto(f"/surveys/{EASY}/check")
    page.get_by_role("button", name="Send my answers").click()
    return resume, page.locator("#receipt-code").inner_text()


def test_codes_stay_on_one_line_at_320px_and_can_be_copied(chromium, live_server, demo, axe):
    for larger_text in (False, True):
        context = chromium.new_context(base_url=live_server, viewport={"width": 320, "height": 800})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        if larger_text:
            page.goto("/preferences")
            page.get_by_label("Larger text").check()
            page.get_by_role("button", name="Save").click()
        page.goto(f"/surveys/{EASY}")
        page.get_by_role("button", name="Start now").click()
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Save and come back later").click()
        _one_line_and_large(page, "#resume-code")
        resume = page.locator("#resume-code").inner_text()
        page.get_by_role("button", name="Copy the code").click()
        page.get_by_role("status").filter(has_text="Copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == resume
        assert_accessible(page, axe)
        page.goto(f"/surveys/{EASY}/check")
        page.get_by_role("button", name="Send my answers").click()
        _one_line_and_large(page, "#receipt-code")
        page.get_by_role("button", name="Copy the code").click()
        receipt = page.locator("#receipt-code").inner_text()
        assert CODE.fullmatch(receipt) and CODE.fullmatch(resume)
        assert page.evaluate("navigator.clipboard.readText()") == receipt
        assert_accessible(page, axe)
        context.close()

    without_script = chromium.new_context(
        base_url=live_server, viewport={"width": 320, "height": 800}, java_script_enabled=False
    )
    page = without_script.new_page()
    resume, receipt = _save_then_send(page)
    assert CODE.fullmatch(resume) and CODE.fullmatch(receipt)
    _one_line_and_large(page, "#receipt-code")
    assert page.get_by_role("button", name="Copy the code").count() == 0
    without_script.close()
