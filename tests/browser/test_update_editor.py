"""The "You said, we did" editor in real Chromium: staff format text with buttons (bold,
lists, links), what is stored is the cleaned HTML, the page passes axe-core and breaks no
CSP rule; without JavaScript the plain box still makes paragraphs and lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.accounts.models import Role
from engage.extensions import db
from engage.respond.models import Update
from tests.browser.conftest import assert_accessible
from tests.helpers.browser import sign_in
from tests.improve import factories


@pytest.fixture
def draft(app):
    with app.app_context():
        talk = factories.engagement([factories.service()], "Talking help")
        update = factories.update(talk, title="Shorter waits", we_did="")
        db.session.commit()
        return update.id


def _stored(app, update_id: int) -> Update:
    with app.app_context():
        update = db.session.get(Update, update_id)
        db.session.expunge(update)
        return update


def test_staff_format_an_update_with_the_editor(app, page, axe, draft, make_user):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, make_user, Role.COMMISSIONER)
    page.goto(f"/staff/updates/{draft}/edit")
    editor = page.get_by_role("textbox", name="We did / we will", exact=True)
    expect(editor).to_be_visible()
    expect(page.locator("textarea#we_did")).to_be_hidden()
    expect(page.locator("#we_did-hint")).to_contain_text("Use the buttons")
    assert_accessible(page, axe)

    tools = page.get_by_role("group", name="Formatting: We did / we will", exact=True)
    editor.click()
    page.keyboard.type("We hired ")
    tools.get_by_role("button", name="Bold").click()
    expect(tools.get_by_role("button", name="Bold")).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("two")
    tools.get_by_role("button", name="Bold").click()
    page.keyboard.type(" therapists & a <nurse>.")
    page.keyboard.press("Enter")
    tools.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("Shorter waits")
    page.keyboard.press("Enter")
    page.keyboard.type("Evening clinics")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item leaves the list
    page.keyboard.type("Read the plan")
    page.keyboard.press("Shift+Home")
    tools.get_by_role("button", name="Link").click()
    address = page.get_by_role("textbox", name="Link address").first
    address.fill("javascript:alert(1)")
    page.get_by_role("button", name="Add link").first.click()
    expect(page.locator("#we_did-link-error")).to_be_visible()
    assert_accessible(page, axe)
    address.fill("https://example.org/plan")
    address.press("Enter")
    expect(editor.get_by_role("link", name="Read the plan")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Update saved")
    assert _stored(app, draft).we_did == (
        "<p>We hired <strong>two</strong> therapists &amp; a &lt;nurse&gt;.</p>"
        "<ul><li><p>Shorter waits</p></li><li><p>Evening clinics</p></li></ul>"
        '<p><a href="https://example.org/plan" rel="noopener noreferrer">Read the plan</a></p>'
    )
    # Opened again, the editor shows what was stored, and saving unchanged keeps it.
    page.goto(f"/staff/updates/{draft}/edit")
    expect(editor.locator("strong")).to_have_text("two")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Update saved")
    assert _stored(app, draft).we_did.startswith("<p>We hired <strong>two</strong>")
    assert refused == [] and page.outside_requests == []


def test_without_javascript_the_plain_box_makes_paragraphs_and_lists(
    app, chromium, live_server, draft, make_user
):
    context = chromium.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, make_user, Role.COMMISSIONER)
    page.goto(f"/staff/updates/{draft}/edit")
    box = page.get_by_label("We did / we will", exact=True)
    expect(box).to_be_visible()
    box.fill("We listened.\n\n- Shorter waits\n- Evening clinics\n\nThank you <all>.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/staff/updates/{draft}")
    assert _stored(app, draft).we_did == (
        "<p>We listened.</p><ul><li>Shorter waits</li><li>Evening clinics</li></ul>"
        "<p>Thank you &lt;all&gt;.</p>"
    )
    context.close()
