"""Staff-facing learn pages: the codebook, the review screen and the safeguarding queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn.models import (
    Coding,
    CodingSource,
    FlagEvent,
    FlagStatus,
    SafeguardingFlag,
    Sentiment,
    SentimentLabel,
    Theme,
)
from engage.schema import utcnow
from tests.learn.results_factories import (
    code,
    feel,
    flag,
    free_text_answer,
    make_response,
    make_survey,
    make_theme,
)

# --- codebook ----------------------------------------------------------------------------


def test_codebook_create_edit_and_switch_off(app, staff_client):
    client = staff_client(Role.COMMISSIONER)
    created = client.post(
        "/staff/codebook/new",
        data={
            "name": "Waiting times",
            "plain_name": "Waiting too long",
            "description": "Waits for assessment or therapy",
            "keywords": "waiting list\n  wait \n\nwaiting list\nmonths",
        },
    )
    assert created.status_code == 303
    with app.app_context():
        theme = db.session.scalars(select(Theme)).one()
        assert theme.slug == "waiting-times"
        assert theme.keywords == "waiting list\nwait\nmonths"
        theme_id = theme.id
    listing = client.get("/staff/codebook").get_data(True)
    assert "Waiting times" in listing and "waiting list, wait, months" in listing

    edited = client.post(
        f"/staff/codebook/{theme_id}",
        data={"name": "Waiting for help", "plain_name": "", "description": "", "keywords": "wait"},
    )
    assert edited.status_code == 303
    switched = client.post(f"/staff/codebook/{theme_id}/active", data={"active": "0"})
    assert switched.status_code == 303
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        assert (theme.name, theme.keywords, theme.active) == ("Waiting for help", "wait", False)
        actions = {e.action for e in db.session.scalars(select(AuditEvent))}
        assert {"theme_create", "theme_update", "theme_deactivate"} <= actions
    assert "Switched off" in client.get("/staff/codebook").get_data(True)
    client.post(f"/staff/codebook/{theme_id}/active", data={"active": "1"})
    with app.app_context():
        assert db.session.get(Theme, theme_id).active


def test_codebook_rejects_a_missing_or_duplicate_name(app, staff_client):
    with app.app_context():
        make_theme("Staff attitude")
        db.session.commit()
    client = staff_client(Role.ADMIN)
    empty = client.post("/staff/codebook/new", data={"name": ""})
    assert empty.status_code == 400 and "Enter a name for the theme" in empty.get_data(True)
    duplicate = client.post("/staff/codebook/new", data={"name": "staff ATTITUDE"})
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.get_data(True)
    assert "govuk-error-summary" in duplicate.get_data(True)


# --- review ------------------------------------------------------------------------------


@pytest.fixture
def coded(app):
    """Two free-text answers: the first auto-coded to Waiting times, with sentiment."""
    with app.app_context():
        survey = make_survey()
        waiting, staff = make_theme("Waiting times"), make_theme("Staff attitude")
        make_theme("Old theme", active=False)
        first = free_text_answer(make_response(survey, better="We waited a year <i>again</i>"))
        second = free_text_answer(make_response(survey, better="The nurse was kind"))
        make_response(survey, better="draft text", submitted=False)
        flagged = make_response(survey, better="I am scared at home")
        flag(flagged, free_text_answer(flagged))
        code(first, waiting)
        feel(first, SentimentLabel.NEUTRAL)
        db.session.commit()
        return {
            "first": first.id,
            "second": second.id,
            "waiting": waiting.id,
            "staff": staff.id,
        }


def test_review_starts_at_the_first_unreviewed_answer(staff_client, coded):
    client = staff_client(Role.COMMISSIONER)
    response = client.get("/staff/review")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/review/{coded['first']}")
    html = client.get(f"/staff/review/{coded['first']}").get_data(True)
    assert "We waited a year &lt;i&gt;again&lt;/i&gt;" in html
    assert "Suggested automatically" in html
    assert "2 answers still to review." in html  # the draft and the flagged one are not offered
    assert "Keyboard shortcuts" in html and "review.js" in html
    assert "Old theme" not in html  # switched off and not coded


def test_review_confirms_removes_and_adds_codes_and_corrects_sentiment(app, staff_client, coded):
    client = staff_client(Role.COMMISSIONER)
    saved = client.post(
        f"/staff/review/{coded['first']}",
        data={"themes": [str(coded["staff"])], "sentiment": "negative"},
    )
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"/staff/review?after={coded['first']}")
    with app.app_context():
        codings = db.session.scalars(select(Coding).where(Coding.answer_id == coded["first"])).all()
        assert [(c.theme_id, c.source, c.confirmed) for c in codings] == [
            (coded["staff"], CodingSource.STAFF, True)
        ]
        assert codings[0].coded_by_id is not None
        sentiment = db.session.scalars(
            select(Sentiment).where(Sentiment.answer_id == coded["first"])
        ).one()
        assert sentiment.confirmed_label == SentimentLabel.NEGATIVE
        assert sentiment.label == SentimentLabel.NEGATIVE  # staff's word stands from now on
        assert sentiment.confirmed_by_id == codings[0].coded_by_id
    following = client.get(f"/staff/review?after={coded['first']}")
    assert following.headers["Location"].endswith(f"/staff/review/{coded['second']}")


def test_review_confirming_keeps_the_auto_code_and_marks_it_confirmed(app, staff_client, coded):
    client = staff_client(Role.ADMIN)
    client.post(
        f"/staff/review/{coded['first']}",
        data={"themes": [str(coded["waiting"])], "sentiment": "neutral"},
    )
    with app.app_context():
        coding = db.session.scalars(select(Coding)).one()
        assert (coding.source, coding.confirmed) == (CodingSource.AUTO, True)


def test_review_of_an_unanalysed_answer_creates_a_staff_sentiment(app, staff_client, coded):
    staff_client(Role.ADMIN).post(
        f"/staff/review/{coded['second']}", data={"sentiment": "positive"}
    )
    with app.app_context():
        sentiment = db.session.scalars(
            select(Sentiment).where(Sentiment.answer_id == coded["second"])
        ).one()
        assert sentiment.confirmed_label == SentimentLabel.POSITIVE
        assert sentiment.analyser_version == "staff"


def test_review_needs_a_sentiment_and_says_so(staff_client, coded):
    response = staff_client(Role.ADMIN).post(f"/staff/review/{coded['first']}", data={})
    assert response.status_code == 400
    assert "Choose the sentiment" in response.get_data(True)


def test_review_is_done_when_everything_is_reviewed(staff_client, coded):
    client = staff_client(Role.ADMIN)
    for answer_id in (coded["first"], coded["second"]):
        client.post(f"/staff/review/{answer_id}", data={"sentiment": "neutral"})
    done = client.get("/staff/review")
    assert done.status_code == 200
    assert "There are no written answers waiting for review." in done.get_data(True)


def test_flagged_answers_cannot_be_opened_for_review(app, staff_client, coded):
    with app.app_context():
        flagged = db.session.scalars(select(SafeguardingFlag)).one()
        answer_id = flagged.answer_id
    assert staff_client(Role.ADMIN).get(f"/staff/review/{answer_id}").status_code == 404


# --- safeguarding ------------------------------------------------------------------------


@pytest.fixture
def flags(app):
    with app.app_context():
        survey = make_survey(title="Help at school")
        older = make_response(survey, better="Nobody listens")
        newer = make_response(survey, better="My dad hits me <b>when</b> he is angry\nplease help")
        old_flag = flag(older, free_text_answer(older), reason="Phrase: nobody listens")
        old_flag.created_at = utcnow() - timedelta(days=2)
        new_flag = flag(newer, free_text_answer(newer), reason="Phrase: hits me")
        db.session.commit()
        return {"old": old_flag.id, "new": new_flag.id}


def test_queue_lists_flags_newest_first_and_by_status(app, staff_client, flags):
    client = staff_client(Role.SAFEGUARDING_LEAD)
    html = client.get("/staff/safeguarding").get_data(True)
    assert html.index(f"Flag {flags['new']}<") < html.index(f"Flag {flags['old']}<")
    # The queue shows the answer, escaped, so a lead can judge it at a glance (issue 17).
    assert "&lt;b&gt;when&lt;/b&gt;" in html and "<b>when</b>" not in html
    with app.app_context():
        db.session.get(SafeguardingFlag, flags["old"]).status = FlagStatus.REVIEWED
        db.session.commit()
    new_only = client.get("/staff/safeguarding?status=new").get_data(True)
    assert f"Flag {flags['new']}<" in new_only and f"Flag {flags['old']}<" not in new_only


def test_flag_page_shows_the_words_and_trail_and_is_audited(app, staff_client, flags):
    client = staff_client(Role.SAFEGUARDING_LEAD)
    html = client.get(f"/staff/safeguarding/{flags['new']}").get_data(True)
    assert "My dad hits me &lt;b&gt;when&lt;/b&gt; he is angry" in html
    assert "please help" in html
    assert "Automatic screen" in html  # the first event, from the screen at submit
    with app.app_context():
        views = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "view", AuditEvent.object_type == "safeguarding_flag"
            )
        ).all()
        assert [v.object_id for v in views] == [str(flags["new"])]
        assert all("hits" not in (v.detail or "") for v in views)


def test_adding_a_decision_appends_to_the_trail(app, staff_client, flags):
    client = staff_client(Role.SAFEGUARDING_LEAD)
    posted = client.post(
        f"/staff/safeguarding/{flags['new']}",
        data={"status": "referred", "note": "Referred to children's services"},
    )
    assert posted.status_code == 303
    client.post(f"/staff/safeguarding/{flags['new']}", data={"status": "reviewed", "note": ""})
    with app.app_context():
        raised = db.session.get(SafeguardingFlag, flags["new"])
        assert raised.status == FlagStatus.REVIEWED
        events = db.session.scalars(
            select(FlagEvent).where(FlagEvent.flag_id == raised.id).order_by(FlagEvent.id)
        ).all()
        assert [e.status for e in events] == [
            FlagStatus.NEW,
            FlagStatus.REFERRED,
            FlagStatus.REVIEWED,
        ]
        assert events[1].note == "Referred to children's services"
        assert events[1].user_id is not None
    page = client.get(f"/staff/safeguarding/{flags['new']}").get_data(True)
    assert "Referred to children&#39;s services" in page


def test_a_decision_must_be_one_of_the_three(staff_client, flags):
    client = staff_client(Role.ADMIN)
    for status in ("", "new", "deleted"):
        response = client.post(f"/staff/safeguarding/{flags['new']}", data={"status": status})
        assert response.status_code == 400, status


def test_flags_cannot_be_deleted(app, staff_client, flags):
    client = staff_client(Role.ADMIN)
    assert not [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("learn.")
        and ("delete" in rule.rule or "DELETE" in rule.methods)
    ]
    assert client.post(f"/staff/safeguarding/{flags['new']}/delete").status_code in (404, 405)
    assert client.delete(f"/staff/safeguarding/{flags['new']}").status_code == 405
    with app.app_context():
        assert db.session.get(SafeguardingFlag, flags["new"]) is not None
