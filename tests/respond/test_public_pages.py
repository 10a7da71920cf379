"""Public 'You said, we did' pages, feed, JSON and receipt look-up: published updates only,
staff text cleaned, everything else escaped."""

import json
from datetime import UTC, datetime
from xml.etree import ElementTree

from engage.extensions import db
from engage.improve.models import ActionStatus
from engage.inform.models import EngagementStatus
from tests.improve import factories

XSS = '<script>alert("x")</script>'
ATOM = "{http://www.w3.org/2005/Atom}"


def _published(app, **changes):
    with app.app_context():
        therapy = factories.service(name="Speech therapy")
        local_offer = factories.service(name="Local offer")
        talk = factories.engagement([therapy], title="Talking help")
        find = factories.engagement([local_offer], title="Finding help")
        action = factories.action(
            title=f"We will {XSS} hire", status=ActionStatus.IN_PROGRESS, engagement_=talk
        )
        factories.update(
            talk,
            title=changes.get("title", "Shorter waits"),
            published_at=datetime(2026, 6, 1, tzinfo=UTC),
            actions=[action],
            you_said=changes.get("you_said", "<p>Waits were <strong>long</strong></p>"),
        )
        factories.update(
            find, title="Better website", published_at=datetime(2026, 6, 2, tzinfo=UTC)
        )
        factories.update(talk, title="Secret draft")
        db.session.commit()


def test_index_lists_published_only_and_filters(app, client):
    _published(app)
    page = client.get("/you-said-we-did").get_data(as_text=True)
    assert "Shorter waits" in page and "Better website" in page
    assert "Secret draft" not in page
    page = client.get("/you-said-we-did?service=speech-therapy").get_data(as_text=True)
    assert "Shorter waits" in page and "Better website" not in page
    page = client.get("/you-said-we-did?engagement=finding-help").get_data(as_text=True)
    assert "Better website" in page and "Shorter waits" not in page


def test_update_page_shows_both_versions_status_and_the_engagement(app, client):
    _published(app)
    standard = client.get("/you-said-we-did/shorter-waits").get_data(as_text=True)
    assert "Waits were <strong>long</strong>" in standard
    assert "In progress" in standard
    assert 'href="/engagements/talking-help"' in standard
    assert "&lt;script&gt;" in standard and XSS not in standard
    easy = client.get("/you-said-we-did/shorter-waits?version=easy-read").get_data(as_text=True)
    assert "You said waits are long." in easy
    assert client.get("/you-said-we-did/secret-draft").status_code == 404


def test_xss_in_staff_text_is_removed_from_page_feed_and_json(app, client):
    _published(app, title=f"Waits {XSS}", you_said=f"<p>Long</p>{XSS}<img src=x onerror=alert(1)>")
    slug = "waits-script-alert-x-script"
    page = client.get(f"/you-said-we-did/{slug}").get_data(as_text=True)
    assert XSS not in page and "onerror" not in page
    feed = client.get("/you-said-we-did/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.data)  # well-formed XML, or this raises
    entries = {e.find(f"{ATOM}title").text: e for e in root.iter(f"{ATOM}entry")}
    assert set(entries) == {f"Waits {XSS}", "Better website"}  # title is text: escaped in XML
    content = entries[f"Waits {XSS}"].find(f"{ATOM}content").text
    assert "<script" not in content and "onerror" not in content and "<p>Long</p>" in content
    assert b"<script" not in feed.data
    listing = client.get("/you-said-we-did.json")
    assert listing.mimetype == "application/json"
    assert b"<" not in listing.data
    data = json.loads(listing.data)
    titles = [item["title"] for item in data["updates"]]
    assert titles == ["Better website", f"Waits {XSS}"]
    first = data["updates"][1]
    assert "<script" not in first["you_said_html"] and "onerror" not in first["you_said_html"]
    assert first["actions"][0]["status"] == "in_progress"
    assert first["url"].endswith(f"/you-said-we-did/{slug}")


def test_receipt_look_up_shows_engagement_and_updates_but_no_answers(app, client):
    _published(app)
    with app.app_context():
        from sqlalchemy import select

        from engage.inform.models import Engagement

        talk = db.session.scalar(select(Engagement).where(Engagement.slug == "talking-help"))
        talk.status = EngagementStatus.RESPONDED
        survey = factories.survey(talk, title="Talking survey")
        factories.response(survey, text="My private answer", receipt_code="ABCD-EFGH-JKMN")
        db.session.commit()
    page = client.get("/receipt").get_data(as_text=True)
    assert "Receipt code" in page
    found = client.post("/receipt", data={"code": "  abcd-efgh-jkmn "})
    page = found.get_data(as_text=True)
    assert found.status_code == 200
    assert "Talking help" in page and "Shorter waits" in page
    assert "We have said what we are doing" in page
    assert "My private answer" not in page and "Secret draft" not in page
    wrong = client.post("/receipt", data={"code": "ZZZZ-ZZZZ"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert "govuk-error-summary" in page and "We could not find that receipt code" in page
    empty = client.post("/receipt", data={"code": ""})
    assert "Enter your receipt code" in empty.get_data(as_text=True)


def test_guessing_receipt_codes_is_rate_limited(app, client):
    from engage.extensions import limiter

    limiter.reset()
    app.config["RATE_LIMITS_ON"] = True
    try:
        statuses = [
            client.post("/receipt", data={"code": f"AAAA-BBBB-{n:04d}"}).status_code
            for n in range(12)
        ]
    finally:
        app.config["RATE_LIMITS_ON"] = False
        limiter.reset()
    assert statuses[0] == 400
    assert statuses[-1] == 429
