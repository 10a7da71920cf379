"""axe-core in real Chromium on the forgotten-password and confirm-your-password pages, which a
crawl from the staff home does not reach (nothing links to a reset link; confirm appears only
5 minutes after the password was typed)."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from engage.accounts import password_reset
from engage.accounts.models import Role, User
from engage.extensions import db
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD


def _sign_in(page, email: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("h1").wait_for()


def test_forgotten_password_pages_are_accessible(app, page, axe, make_user):
    email = make_user(Role.VIEWER)
    page.goto("/staff/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.locator("h1")).to_have_text("Reset your password")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Send the link").click()  # empty: the error state
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error:")
    assert_accessible(page, axe)
    page.get_by_label("Email address").fill("nobody@engage.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page, axe)

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _, token = password_reset.request_link(user.email)
        db.session.commit()
    page.goto(f"/staff/reset-password/{token}")
    assert page.url.endswith("/staff/reset-password")  # the token has left the address bar
    expect(page.locator("h1")).to_have_text("Choose a new password")
    assert_accessible(page, axe)
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Save the new password").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page, axe)
    page.get_by_label("New password").fill("a kettle on the windowsill")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    page.goto(f"/staff/reset-password/{token}")
    expect(page.locator("h1")).to_have_text("This link has already been used")
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_confirm_password_page_is_accessible(page, axe, make_user):
    _sign_in(page, make_user(Role.ADMIN))
    page.goto("/staff/confirm-password?next=/staff/")
    expect(page.locator("h1")).to_have_text("Confirm your password")
    assert_accessible(page, axe)
    page.get_by_label("Password", exact=True).fill("not my password at all")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error:")
    assert_accessible(page, axe)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Staff home")
