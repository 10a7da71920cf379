"""A closed survey's page in Chromium: it says when it closed, shows the answers of a draft
that can no longer be sent, and passes axe-core at phone and desktop widths."""

from __future__ import annotations

import os
from datetime import date, timedelta

from sqlalchemy import select

from engage.ask.models import Survey
from engage.extensions import db
from engage.inform.models import EngagementStatus
from tests.browser.conftest import assert_accessible
from tests.improve import factories

SHOTS = os.environ.get("ENGAGE_SCREENSHOTS")


def test_closed_page_with_unsent_answers_is_accessible(app, page, axe):
    today = date.today()
    with app.app_context():
        engagement = factories.engagement(
            title="Short breaks review", closes_on=today + timedelta(days=5)
        )
        engagement.status = EngagementStatus.OPEN
        engagement.next_steps = "The short breaks team reads every answer next month."
        factories.survey(engagement, title="Short breaks survey")
        db.session.commit()
    page.goto("/surveys/short-breaks-survey")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Tell us more").fill("Breaks near home, at weekends")
    page.get_by_role("button", name="Continue").click()
    with app.app_context():
        found = db.session.scalar(select(Survey).where(Survey.slug == "short-breaks-survey"))
        found.closes_on, found.grace_hours = today - timedelta(days=1), 0
        db.session.commit()
    page.goto("/surveys/short-breaks-survey")
    closed_on = f"{(today - timedelta(days=1)).day} {today - timedelta(days=1):%B %Y}"
    assert page.get_by_text(f"It closed on {closed_on}.").is_visible()
    assert page.get_by_role("heading", name="Your answers were not sent").is_visible()
    assert page.get_by_text("Breaks near home, at weekends").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your answers (text file)").click()
    assert "Breaks near home, at weekends" in open(download.value.path(), encoding="utf-8").read()
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, axe)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/closed-survey-{width}.png", full_page=True)
