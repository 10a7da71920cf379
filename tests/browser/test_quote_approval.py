"""In real Chromium: a quote naming a child and his school cannot be approved until the words
are edited; what was found is listed; the approval and add-quotes pages pass axe-core at phone
and desktop widths."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.extensions import db
from tests.browser.conftest import assert_accessible
from tests.browser.site_crawl import sign_in
from tests.improve import factories

WRITTEN = "My son Tom Hargreaves at Oakfield Primary needs more help with <b>reading</b>"
# Set to a folder to keep screenshots of the pages to look at.
SCREENSHOTS = os.environ.get("ENGAGE_SCREENSHOTS")


@pytest.fixture
def quote_data(app):
    with app.app_context():
        engagement = factories.engagement(title="Help with reading")
        response = factories.response(factories.survey(engagement), text=WRITTEN)
        update = factories.update(engagement, title="Reading help")
        db.session.commit()
        return {"answer": response.answers[0].id, "update": update.id}


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [320, 1280])
def test_a_quote_with_a_name_is_refused_until_edited(page, axe, make_user, quote_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, make_user, Role.COMMISSIONER)
    page.goto(f"/staff/quotes/{quote_data['answer']}/approve")
    findings = page.locator("#findings")
    expect(findings).to_contain_text("Name: “Tom Hargreaves”")
    expect(findings).to_contain_text("School or setting: “Oakfield Primary”")
    assert_accessible(page, axe)
    _shot(page, f"approve-{width}")

    page.get_by_role("button", name="Approve for publication").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("“Tom Hargreaves”")
    # The words as written stay escaped text, never markup.
    assert page.locator(".engage-answer-text b").count() == 0
    assert_accessible(page, axe)
    _shot(page, f"approve-refused-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_label("Words to publish").fill("My son needs more help with reading")
    page.get_by_role("button", name="Approve for publication").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Quote approved")

    page.goto(f"/staff/updates/{quote_data['update']}/quotes")
    expect(page.locator("blockquote")).to_have_text("“My son needs more help with reading”")
    assert_accessible(page, axe)
    page.get_by_role("button", name=re.compile("Add to what people said")).click()
    expect(page.locator(".govuk-tag", has_text="In this update")).to_be_visible()
    assert_accessible(page, axe)
    _shot(page, f"add-quotes-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
