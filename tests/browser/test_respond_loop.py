"""The loop closed, in real Chromium on demo data: a parent answers and asks to hear back,
staff code the answer to a theme, create an action from the theme, draft and publish a
'You said, we did' update with an easy-read version; it appears on the public index and
the feed, the receipt code finds it, and the email arrives at a local SMTP server."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.improve.actions import today
from engage.listen.models import Answer, Response, ResponseStatus
from engage.respond import outbox
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.improve import factories
from tests.respond.smtp import smtp_server

STANDARD = "local-offer-and-sen-support"
THEME = "Named contact in school"


def _answer_the_survey(page) -> None:
    page.goto(f"/surveys/{STANDARD}")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("A parent or carer").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Disagree", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Short breaks and activities").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Not very well").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Skip this question").click()
    page.locator("textarea").fill("A single named contact at school would help")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_label("Email address").fill("parent@example.org")
    page.get_by_role("button", name="Tell me what happened").click()


def _sign_in(page, email: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


def test_the_loop_from_answer_to_email(app, demo, page, axe, make_user):
    _answer_the_survey(page)
    with app.app_context():
        theme_id = factories.theme(THEME).id
        db.session.commit()
        response = db.session.scalar(
            select(Response).where(Response.status == ResponseStatus.SUBMITTED)
        )
        receipt = response.receipt_code
        answer_id = db.session.scalar(
            select(Answer.id).where(
                Answer.response_id == response.id, Answer.text.like("A single named%")
            )
        )
        assert response.contact.email == "parent@example.org"

    _sign_in(page, make_user(Role.COMMISSIONER))
    # Code the answer to the theme in learn's review page.
    page.goto(f"/staff/review/{answer_id}")
    page.get_by_label(THEME).check()
    page.get_by_label("Neutral").check()
    page.get_by_role("button", name="Save and next").click()

    # The theme now has an answer but no action: create one from it.
    page.goto("/staff/updates")
    page.get_by_role("link", name=f"Create action for {THEME}").click()
    assert page.get_by_label(THEME).is_checked()
    page.get_by_label("Title", exact=True).fill("We will name a SEND contact in every school")
    page.get_by_label("Owner organisation").select_option(label="Northmoor Council")
    page.get_by_label("Owner's name").fill("Head of SEND")
    due = today() + timedelta(days=90)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save action").click()
    expect(page.locator("main")).to_contain_text("A single named contact at school would help")
    assert_accessible(page, axe)

    # Draft, edit and publish the update.
    page.goto(f"/staff/updates/new?theme={theme_id}")
    page.get_by_label("Engagement").select_option(label="The Local Offer and SEN support")
    page.get_by_role("button", name="Start draft").click()
    expect(page.get_by_role("textbox", name="You said", exact=True)).to_contain_text(
        "Fewer than 5 people"
    )
    assert_accessible(page, axe)
    page.get_by_label("Title", exact=True).fill("A named contact in every school")
    page.get_by_label("Easy read title").fill("One person to talk to at school")
    for name, words in (
        ("You said (easy read)", "You want one person at school to talk to."),
        ("We did / we will (easy read)", "Every school will have one person for you."),
    ):
        page.get_by_role("textbox", name=name, exact=True).click()
        page.keyboard.press("Control+A")
        page.keyboard.type(words)
    page.get_by_role("button", name="Save draft").click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Publish update").click()
    expect(page.locator("h1")).to_contain_text("Are you sure you want to publish this update?")
    expect(page.locator("main")).to_contain_text("1 person who asked to hear back is sent")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Yes, publish the update").click()
    expect(page.locator("main")).to_contain_text(
        "1 email queued for someone who asked to hear back"
    )

    # The public sees it: index, page in both versions, feed.
    page.goto("/you-said-we-did")
    page.get_by_role("link", name="A named contact in every school").click()
    expect(page.locator("main")).to_contain_text("We will name a SEND contact in every school")
    expect(page.locator("main")).to_contain_text("In progress")
    page.get_by_role("link", name="Easy read version").click()
    expect(page.locator("main")).to_contain_text("one person")
    expect(page.locator("h1")).to_have_text("One person to talk to at school")
    assert_accessible(page, axe)
    feed = page.request.get("/you-said-we-did/feed.atom")
    assert "A named contact in every school" in feed.text()

    # Anyone with the receipt code can see what happened (in the easy read chosen above).
    page.goto("/receipt")
    page.get_by_label("Receipt code").fill(receipt.lower())
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("main")).to_contain_text("One person to talk to at school")
    assert "A single named contact at school would help" not in page.content()

    # And the email arrives.
    with smtp_server() as (server, port), app.app_context():
        report = outbox.send_pending({**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port})
        assert report.sent == 1
    [(recipients, message)] = server.messages
    assert recipients == ["parent@example.org"]
    assert "/you-said-we-did/a-named-contact-in-every-school" in message.get_content()
    assert page.outside_requests == []
