"""axe-core in real Chromium on the safeguarding queue (urgent and concern flags, matched
words marked, a refused phrases file named) and a flag page, before and after the one-click
false-flag mark."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.ask.models import Audience
from engage.extensions import db
from engage.learn.analysis import screen_submitted_response
from tests.browser.conftest import assert_accessible
from tests.browser.site_crawl import sign_in
from tests.learn.factories import make_response, make_survey


@pytest.fixture
def queue(app, tmp_path, monkeypatch):
    phrases = tmp_path / "area_phrases.txt"
    phrases.write_text("[worrying: Young carers]\nlook after my nan\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "SAFEGUARDING_PHRASES_FILE", str(phrases))
    with app.app_context():
        survey = make_survey("Is there anything else you want to tell us?")
        survey.audience = Audience.YOUNG_PEOPLE
        texts = ["<script>alert(1)</script> & my stepdad hits me", "i only eat at school"]
        responses = [make_response(survey, text) for text in [*texts, "tata mnie bije"]]
        for response in responses:
            screen_submitted_response(response)
        db.session.commit()


def test_queue_and_flag_pages_have_no_axe_violations(page, axe, queue, make_user):
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    sign_in(page, make_user, Role.SAFEGUARDING_LEAD)
    page.goto("/staff/safeguarding")
    main = page.locator("main")
    expect(main).to_contain_text("area_phrases.txt, line 1")
    expect(page.locator("#flags mark")).to_have_text(
        ["stepdad", "hits", "me", "only", "eat", "at", "school"]
    )
    expect(main).to_contain_text("<script>alert(1)</script> & my")
    expect(page.locator("#queue-figures")).to_contain_text("1 urgent, waiting")
    assert_accessible(page, axe)
    page.set_viewport_size({"width": 320, "height": 800})
    # A lead on a phone: the table scrolls in its own box, the page never sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, axe)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Not a concern (false flag) flag 2").click()
    expect(main).to_contain_text("Flag 2 marked not a concern (false flag)")
    expect(page.locator("#queue-figures")).to_contain_text("1 marked not a concern")
    assert_accessible(page, axe)

    page.get_by_role("link", name="Flag 1", exact=True).click()
    expect(page.locator("#verbatim mark")).to_have_text(["stepdad", "hits", "me"])
    assert_accessible(page, axe)
    page.get_by_role("button", name="Not a concern (false flag)").click()
    expect(main).to_contain_text("Flag 1 marked not a concern (false flag)")
    assert_accessible(page, axe)
    assert alerts == [] and page.outside_requests == []
