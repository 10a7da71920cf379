"""The easy-read "You said, we did" page has its own title and an easy-read list of actions;
the receipt page has an easy-read version; staff write the easy-read title."""

from __future__ import annotations

from sqlalchemy import select

from engage.extensions import db
from engage.inform.models import Engagement
from engage.respond.models import Update
from tests.helpers.updates import published_easy_read_update
from tests.improve import factories


def test_easy_read_update_page_has_its_title_and_actions_in_plain_words(app, client):
    slug = published_easy_read_update(app)
    standard = client.get(f"/you-said-we-did/{slug}").get_data(as_text=True)
    assert "<title>Waiting times for speech" in standard and "govuk-table" in standard
    easy = client.get(f"/you-said-we-did/{slug}?version=easy-read").get_data(as_text=True)
    assert "<title>Waiting for help with talking" in easy
    assert '<h1 class="govuk-heading-xl">Waiting for help with talking</h1>' in easy
    assert "Waiting times for speech" not in easy
    assert "govuk-table" not in easy
    assert "We have done this:</strong> Hire two therapists" in easy
    assert "We plan to do this:</strong> Open a Saturday clinic" in easy
    assert "By March 2027" in easy
    # Symbols beside the words are decorative.
    assert 'class="engage-symbol"' in easy and 'alt=""' in easy


def test_receipt_page_has_an_easy_read_version(app, client):
    slug = published_easy_read_update(app)
    form = client.get("/receipt?version=easy-read").get_data(as_text=True)
    assert "Type the code you got when you sent your answers." in form
    found = client.post("/receipt", data={"code": "abcd-efgh-jkmn"}).get_data(as_text=True)
    assert "We found your code" in found
    assert "You answered “Tell us about talking”." in found
    assert "We have said what we are doing." in found
    assert f'href="/you-said-we-did/{slug}?version=easy-read">Waiting for help with talking' in (
        found
    )
    standard = client.post("/receipt?version=standard", data={"code": "abcd-efgh-jkmn"}).get_data(
        as_text=True
    )
    assert "We found your receipt" in standard and "Waiting times for speech" in standard


def test_staff_write_the_easy_read_title(app, staff_client):
    slug = published_easy_read_update(app)
    with app.app_context():
        update = db.session.scalar(select(Update).where(Update.slug == slug))
        update.status = update.status.DRAFT
        update_id = update.id
        db.session.commit()
    client = staff_client()
    form = client.get(f"/staff/updates/{update_id}/edit").get_data(as_text=True)
    assert "Easy read title" in form and 'value="Waiting for help with talking"' in form
    saved = client.post(
        f"/staff/updates/{update_id}/edit",
        data={
            "title": "Waiting times",
            "easy_read_title": "Waiting for help",
            "you_said": "<p>Long</p>",
            "we_did": "<p>Hiring</p>",
            "easy_read_you_said": "<p>Long</p>",
            "easy_read_we_did": "<p>More staff</p>",
        },
    )
    assert saved.status_code in (302, 303)
    with app.app_context():
        update = db.session.get(Update, update_id)
        assert update.easy_read_title == "Waiting for help"
        assert db.session.scalar(select(Engagement)).easy_read_title == "Help with talking"


def test_a_new_draft_takes_the_engagement_s_easy_read_title(app):
    from engage.respond import updates

    with app.app_context():
        talk = factories.engagement(title="Talking")
        talk.easy_read_title = "Help with talking"
        draft = updates.draft(talk)
        assert draft.easy_read_title == "Help with talking"


def test_updates_list_has_an_easy_read_version_keeping_the_filter(app, client):
    published_easy_read_update(app)
    easy = client.get("/you-said-we-did?engagement=talking&version=easy-read").get_data(
        as_text=True
    )
    assert "What you told us, and what we did." in easy
    assert ">Waiting for help with talking</a>" in easy and "Waiting times for speech" not in easy
    assert 'href="/you-said-we-did?engagement=talking&amp;version=standard"' in easy
    standard = client.get("/you-said-we-did?version=standard").get_data(as_text=True)
    assert ">Waiting times for speech and language therapy: our response</a>" in standard
