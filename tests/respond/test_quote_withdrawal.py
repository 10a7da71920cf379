"""Withdrawing a quote's approval takes its words out of every "You said, we did" update it
was added to, draft or published (public page, easy read page, feed, JSON), keeps what staff
wrote around it, tells the staff member which updates changed and records it in the audit
log; approving new wording takes the old wording out the same way."""

from __future__ import annotations

import re

from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn.models import QuoteApproval
from engage.respond.models import Update, UpdateStatus
from engage.respond.updates import without_quote
from tests.helpers.respondent import submit_written_answer

WRITTEN = "The waiting list for speech therapy is far too long & <nobody> calls back"
STAFF_WORDS = "Parents told us waits for therapy were too long."


def _new_update(staff, engagement_id: int) -> int:
    started = staff.post("/staff/updates/new", data={"engagement": str(engagement_id)})
    return int(re.search(r"/staff/updates/(\d+)/edit", started.headers["Location"]).group(1))


def _add_quote(staff, update_id: int, approval_id: int) -> None:
    for part in ("standard", "easy_read"):
        added = staff.post(
            f"/staff/updates/{update_id}/quotes", data={"quote": str(approval_id), "part": part}
        )
        assert added.status_code == 303


def _published_pages(client, slug: str) -> dict[str, str]:
    return {
        "public page": client.get(f"/you-said-we-did/{slug}?version=standard"),
        "easy read page": client.get(f"/you-said-we-did/{slug}?version=easy-read"),
        "feed": client.get("/you-said-we-did/feed.atom"),
        "JSON": client.get("/you-said-we-did.json"),
    }


def test_withdrawing_a_quote_takes_it_out_of_draft_and_published_updates(
    app, client, staff_client, demo
):
    answer_id, engagement_id = submit_written_answer(app, client, WRITTEN)
    staff = staff_client(Role.COMMISSIONER)
    assert (
        staff.post(
            f"/staff/quotes/{answer_id}/approve", data={"published_text": WRITTEN}
        ).status_code
        == 303
    )
    published_id = _new_update(staff, engagement_id)
    draft_id = _new_update(staff, engagement_id)
    with app.app_context():
        approval_id = db.session.scalar(select(QuoteApproval.id))
        # Staff's own words around the quote must survive its removal.
        for update_id in (published_id, draft_id):
            update = db.session.get(Update, update_id)
            update.you_said = f"<p>{STAFF_WORDS}</p>"
        db.session.commit()
    _add_quote(staff, published_id, approval_id)
    _add_quote(staff, draft_id, approval_id)
    assert (
        staff.post(f"/staff/updates/{published_id}/publish", data={"confirmed": "yes"}).status_code
        == 303
    )
    with app.app_context():
        published = db.session.get(Update, published_id)
        slug, published_title = published.slug, published.title
        draft_title = db.session.get(Update, draft_id).title
    before = _published_pages(client, slug)
    assert all("far too long" in page.get_data(as_text=True) for page in before.values())

    withdrawn = staff.post(f"/staff/quotes/{answer_id}/withdraw", follow_redirects=True)
    page = withdrawn.get_data(as_text=True)
    assert "Quote withdrawn" in page
    assert "It was taken out of 2 updates" in page
    assert published_title in page and draft_title in page

    for where, response in _published_pages(client, slug).items():
        text = response.get_data(as_text=True)
        assert response.status_code == 200, where
        assert "far too long" not in text and "nobody" not in text, where
    assert STAFF_WORDS in client.get(f"/you-said-we-did/{slug}?version=standard").get_data(
        as_text=True
    )
    with app.app_context():
        for update_id in (published_id, draft_id):
            update = db.session.get(Update, update_id)
            everything = update.you_said + update.easy_read_you_said
            assert "far too long" not in everything
            assert STAFF_WORDS in update.you_said
        assert db.session.get(Update, published_id).status == UpdateStatus.PUBLISHED
        assert db.session.scalar(select(QuoteApproval.id)) is None
        events = db.session.execute(
            select(AuditEvent.action, AuditEvent.object_id, AuditEvent.detail).where(
                AuditEvent.action.in_(["quote_withdrawn", "update_quote_removed"])
            )
        ).all()
    assert sorted((action, object_id) for action, object_id, _detail in events) == sorted(
        [
            ("quote_withdrawn", str(answer_id)),
            ("update_quote_removed", str(published_id)),
            ("update_quote_removed", str(draft_id)),
        ]
    )
    assert {detail for action, _id, detail in events if action == "update_quote_removed"} == {
        f"answer {answer_id}, published",
        f"answer {answer_id}, draft",
    }
    # No longer offered for any update.
    offered = staff.get(f"/staff/updates/{draft_id}/quotes").get_data(as_text=True)
    assert "far too long" not in offered


def test_approving_new_wording_takes_the_old_wording_out(app, client, staff_client, demo):
    answer_id, engagement_id = submit_written_answer(app, client, WRITTEN)
    staff = staff_client(Role.COMMISSIONER)
    staff.post(f"/staff/quotes/{answer_id}/approve", data={"published_text": WRITTEN})
    update_id = _new_update(staff, engagement_id)
    with app.app_context():
        approval_id = db.session.scalar(select(QuoteApproval.id))
    _add_quote(staff, update_id, approval_id)
    edited = "The waiting list for therapy is far too long"
    approved = staff.post(
        f"/staff/quotes/{answer_id}/approve",
        data={"published_text": edited},
        follow_redirects=True,
    )
    assert "The earlier wording was taken out of any update it was in" in approved.get_data(
        as_text=True
    )
    with app.app_context():
        update = db.session.get(Update, update_id)
        assert "speech therapy" not in update.you_said + update.easy_read_you_said
        assert db.session.scalar(select(QuoteApproval.published_text)) == edited


def test_without_quote_takes_out_only_the_blocks_that_quote_it():
    text = (
        "<p>We heard from 40 people.</p>"
        "<p><em>“The bus to the short breaks centre is always late”</em></p>"
        "<ul><li>Some said “the bus to the short breaks centre is always late” too</li></ul>"
        "<p>Too slow to answer, said others.</p>"
        "<p><em>“Too slow”</em></p>"
    )
    assert without_quote(text, "The bus to the short breaks centre is always late") == (
        "<p>We heard from 40 people.</p><p>Too slow to answer, said others.</p>"
        "<p><em>“Too slow”</em></p>"
    )
    # Short wording is taken out only where it is the whole block.
    assert without_quote(text, "Too slow") == text.replace("<p><em>“Too slow”</em></p>", "")
    # Markup-like words are matched as words, escaped as stored.
    stored = "<p><em>“We wait &lt;too&gt; long for a reply”</em></p><p>Kept.</p>"
    assert without_quote(stored, "We wait <too> long for a reply") == "<p>Kept.</p>"
    assert without_quote(stored, "Not in it at all, anywhere here") is None


def test_a_safeguarding_concern_withdraws_the_response_s_quotes_everywhere(
    app, client, staff_client, demo
):
    answer_id, engagement_id = submit_written_answer(app, client, WRITTEN)
    staff = staff_client(Role.COMMISSIONER)
    staff.post(f"/staff/quotes/{answer_id}/approve", data={"published_text": WRITTEN})
    update_id = _new_update(staff, engagement_id)
    with app.app_context():
        approval_id = db.session.scalar(select(QuoteApproval.id))
    _add_quote(staff, update_id, approval_id)
    published = staff.post(
        f"/staff/updates/{update_id}/publish", data={"confirmed": "yes"}, follow_redirects=True
    )
    # No one opted in here: said in words, not "0 emails queued".
    shown = published.get_data(as_text=True)
    assert "No one asked to hear back, so no emails are sent." in shown
    assert "0 emails" not in shown
    with app.app_context():
        from engage.listen.models import Answer

        response_id = db.session.get(Answer, answer_id).response_id
        slug = db.session.get(Update, update_id).slug
    assert "far too long" in client.get(f"/you-said-we-did/{slug}").get_data(as_text=True)

    raised = staff.post(
        f"/staff/responses/{response_id}/concern", data={"note": "Worried about this family"}
    )
    assert raised.status_code in (302, 303)
    for where, response in _published_pages(client, slug).items():
        assert "far too long" not in response.get_data(as_text=True), where
    with app.app_context():
        assert db.session.scalar(select(QuoteApproval.id)) is None
        assert db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "quote_withdrawn")
        ).startswith("safeguarding flag raised; updates changed: 1")


def test_erasing_my_answers_takes_my_quote_out_of_published_updates(
    app, client, staff_client, demo
):
    answer_id, engagement_id = submit_written_answer(app, client, WRITTEN)
    staff = staff_client(Role.COMMISSIONER)
    staff.post(f"/staff/quotes/{answer_id}/approve", data={"published_text": WRITTEN})
    update_id = _new_update(staff, engagement_id)
    with app.app_context():
        approval_id = db.session.scalar(select(QuoteApproval.id))
        from engage.listen.models import Response

        receipt = db.session.scalar(select(Response.receipt_code))
        slug = db.session.get(Update, update_id).slug
    _add_quote(staff, update_id, approval_id)
    staff.post(f"/staff/updates/{update_id}/publish", data={"confirmed": "yes"})
    assert "far too long" in client.get(f"/you-said-we-did/{slug}").get_data(as_text=True)

    respondent = app.test_client()
    respondent.post("/my-answers", data={"code": receipt})
    deleted = respondent.post("/my-answers/delete", data={"confirm": "yes"})
    assert "Your answers have been deleted" in deleted.get_data(as_text=True)
    for where, response in _published_pages(client, slug).items():
        assert "far too long" not in response.get_data(as_text=True), where
    with app.app_context():
        assert db.session.scalar(select(QuoteApproval.id)) is None
        assert db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "quote_withdrawn")
        ) == ("answer erased; updates changed: 1")


def test_the_feed_says_a_published_update_changed_when_a_quote_is_taken_out(
    app, client, staff_client, demo
):
    """Feed readers and caches keep an entry until its <updated> moves: taking a withdrawn
    quote out of a published update moves it (and the JSON's updated_at), not <published>."""
    from datetime import UTC, datetime

    from engage.schema import utcnow

    answer_id, engagement_id = submit_written_answer(app, client, WRITTEN)
    staff = staff_client(Role.COMMISSIONER)
    staff.post(f"/staff/quotes/{answer_id}/approve", data={"published_text": WRITTEN})
    update_id = _new_update(staff, engagement_id)
    with app.app_context():
        approval_id = db.session.scalar(select(QuoteApproval.id))
    _add_quote(staff, update_id, approval_id)
    staff.post(f"/staff/updates/{update_id}/publish", data={"confirmed": "yes"})
    with app.app_context():
        update = db.session.get(Update, update_id)
        update.published_at = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
        slug = update.slug
        db.session.commit()

    def entry() -> str:
        feed = client.get("/you-said-we-did/feed.atom").get_data(as_text=True)
        return re.search(rf"<entry>(?:(?!</entry>).)*{slug}.*?</entry>", feed, re.S).group(0)

    assert "<updated>2026-01-10T09:00:00" in entry()
    staff.post(f"/staff/quotes/{answer_id}/withdraw")
    changed = entry()
    today = utcnow().date().isoformat()
    assert f"<updated>{today}T" in changed
    assert "<published>2026-01-10T09:00:00" in changed
    listed = client.get("/you-said-we-did.json").get_data(as_text=True)
    assert f'"updated_at": "{today}T' in listed or f'"updated_at":"{today}T' in listed
