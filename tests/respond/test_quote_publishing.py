"""A child's name and school in an answer never reach what is published: the check finds
them, approval is refused until the words are edited, drafting inserts no quote, and only the
edited wording a staff member added is on the public page, the easy read page, the feed and
the JSON."""

from __future__ import annotations

import re

from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn.models import QuoteApproval
from engage.respond.models import Update
from tests.helpers.respondent import submit_written_answer

WRITTEN = "My son Tom Hargreaves at Oakfield Primary needs <more> help with reading"
EDITED = "My son needs <more> help with reading"


def test_a_child_s_name_and_school_are_edited_out_before_anything_is_published(
    app, client, staff_client, demo
):
    answer_id, engagement_id = submit_written_answer(app, client, WRITTEN)
    staff = staff_client(Role.COMMISSIONER)
    with app.app_context():
        survey_id = _survey_of(answer_id)

    browser = staff.get(f"/staff/results/surveys/{survey_id}/quotes").get_data(as_text=True)
    assert "No names" not in browser.split(f"Answer {answer_id}")[1].split("Answer ")[0]
    assert "Name: Tom Hargreaves" in browser
    assert "School or setting: Oakfield Primary" in browser

    # Approving the words as written is refused, saying what was found (escaped).
    refused = staff.post(f"/staff/quotes/{answer_id}/approve", data={"published_text": WRITTEN})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "govuk-error-summary" in page
    assert "“Tom Hargreaves”" in page and "“Oakfield Primary”" in page
    assert "&lt;more&gt;" in page and "<more>" not in page
    with app.app_context():
        assert db.session.scalar(select(QuoteApproval.id)) is None

    assert (
        staff.post(
            f"/staff/quotes/{answer_id}/approve", data={"published_text": EDITED}
        ).status_code
        == 303
    )

    # A draft has no quote in it until a staff member adds one.
    started = staff.post("/staff/updates/new", data={"engagement": str(engagement_id)})
    update_id = int(re.search(r"/staff/updates/(\d+)/edit", started.headers["Location"]).group(1))
    with app.app_context():
        update = db.session.get(Update, update_id)
        assert "help with reading" not in update.you_said + update.easy_read_you_said
        approval_id = db.session.scalar(select(QuoteApproval.id))
        slug = update.slug
    offered = staff.get(f"/staff/updates/{update_id}/quotes").get_data(as_text=True)
    assert "“My son needs &lt;more&gt; help with reading”" in offered
    assert "Hargreaves" not in offered
    for part in ("standard", "easy_read"):
        added = staff.post(
            f"/staff/updates/{update_id}/quotes", data={"quote": str(approval_id), "part": part}
        )
        assert added.status_code == 303
    assert (
        staff.post(f"/staff/updates/{update_id}/publish", data={"confirmed": "yes"}).status_code
        == 303
    )

    published = {
        "public page": client.get(f"/you-said-we-did/{slug}?version=standard"),
        "easy read page": client.get(f"/you-said-we-did/{slug}?version=easy-read"),
        "feed": client.get("/you-said-we-did/feed.atom"),
        "JSON": client.get("/you-said-we-did.json"),
    }
    for where, response in published.items():
        text = response.get_data(as_text=True)
        assert response.status_code == 200, where
        assert "help with reading" in text, where
        for identifying in ("Tom", "Hargreaves", "Oakfield"):
            assert identifying not in text, (where, identifying)
    assert "My son needs &lt;more&gt; help with reading" in published["public page"].get_data(
        as_text=True
    )


def _survey_of(answer_id: int) -> int:
    from engage.listen.models import Answer

    return db.session.get(Answer, answer_id).response.survey_id


def test_only_a_quote_approved_for_the_update_s_engagement_can_be_added(
    app, client, staff_client, demo
):
    submit_written_answer(app, client, "The bus is always late")
    staff = staff_client(Role.COMMISSIONER)
    with app.app_context():
        from engage.inform.models import Engagement

        engagement_id = db.session.scalar(select(Engagement.id).order_by(Engagement.id))
    started = staff.post("/staff/updates/new", data={"engagement": str(engagement_id)})
    update_id = int(re.search(r"/staff/updates/(\d+)/edit", started.headers["Location"]).group(1))
    refused = staff.post(f"/staff/updates/{update_id}/quotes", data={"quote": "999"})
    assert refused.status_code == 400
    assert "Choose a quote approved for this update" in refused.get_data(as_text=True)
    viewer = staff_client(Role.VIEWER)
    assert viewer.post(f"/staff/updates/{update_id}/quotes", data={"quote": "1"}).status_code == 403
