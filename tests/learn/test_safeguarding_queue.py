"""The safeguarding queue as the lead works it: urgent first, then concerns, newest first
within; the category and the matched words marked, the respondent's text escaped; one click
marks a false flag, which is kept, audited and counted."""

from __future__ import annotations

import re

from freezegun import freeze_time
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn import flags
from engage.learn.analysis import analyse_submitted_response
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from tests.learn.factories import make_response, make_survey

ANYTHING = "Is there anything else you want to tell us?"


def _flag(app, text: str, when: str) -> int:
    with app.app_context(), freeze_time(when):
        response = make_response(make_survey(ANYTHING), text)
        analyse_submitted_response(response)
        db.session.commit()
        return db.session.scalar(
            select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == response.id)
        )


def _flag_rows(page: str) -> list[str]:
    return re.findall(r">Flag (\d+)</a>", page)


def test_urgent_first_then_concerns_newest_first_within(app, staff_client):
    old_urgent = _flag(app, "my dad hits me", "2026-11-01 09:00")
    new_concern = _flag(app, "i only eat at school", "2026-11-03 09:00")
    new_urgent = _flag(app, "i want to kill myself", "2026-11-02 09:00")
    old_concern = _flag(app, "my shoes have holes and its wet", "2026-10-30 09:00")
    page = staff_client(Role.SAFEGUARDING_LEAD).get("/staff/safeguarding").get_data(as_text=True)
    expected = [new_urgent, old_urgent, new_concern, old_concern]
    assert _flag_rows(page) == [str(flag_id) for flag_id in expected]
    assert page.count(">Urgent</strong>") == 2 and page.count(">Concern</strong>") == 2
    assert "Neglect" in page and "Physical abuse" in page
    assert "Suicidal thoughts and self-harm" in page


def test_matched_words_are_marked_and_the_text_escaped(app, staff_client):
    text = "<script>alert('x')</script> & my stepdad hits me <b>bold</b>"
    flag_id = _flag(app, text, "2026-11-01 09:00")
    lead = staff_client(Role.SAFEGUARDING_LEAD)
    for path in ("/staff/safeguarding", f"/staff/safeguarding/{flag_id}"):
        page = lead.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>bold" not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; my" in page
        assert "<mark>stepdad</mark> <mark>hits</mark> <mark>me</mark>" in page
        assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_a_word_that_matched_is_not_marked_inside_an_escaped_character(app_context):
    # "amp" and "lt" are what escaping writes: marks go round the respondent's words only.
    marked = str(flags.highlight("a & b < c amp lt", ["amp", "lt"]))
    assert marked == "a &amp; b &lt; c <mark>amp</mark> <mark>lt</mark>"


def test_a_long_answer_shows_the_part_around_the_words(app_context):
    text = "The bus is late. " * 20 + "My uncle hurts me. " + "The bus is late. " * 20
    shown = str(flags.excerpt(text, ["uncle", "hurts", "me"]))
    assert "<mark>uncle</mark> <mark>hurts</mark> <mark>me</mark>" in shown
    assert shown.startswith("\u2026 ") and shown.endswith(" \u2026")
    assert len(shown) < 300


def test_one_click_marks_a_false_flag_kept_audited_and_counted(app, staff_client):
    flag_id = _flag(app, "this homework is killing me lol i want to die", "2026-11-01 09:00")
    lead = staff_client(Role.SAFEGUARDING_LEAD)
    before = lead.get("/staff/safeguarding").get_data(as_text=True)
    assert re.search(r">1</span> urgent, waiting", before)
    assert re.search(r">0</span> marked not a concern", before)
    marked = lead.post(f"/staff/safeguarding/{flag_id}/false-flag")
    assert marked.status_code == 303 and marked.location.endswith("/staff/safeguarding")
    after = lead.get("/staff/safeguarding").get_data(as_text=True)
    assert f"Flag {flag_id} marked not a concern (false flag)" in after
    assert re.search(r">0</span> urgent, waiting", after)
    assert re.search(r">1</span> marked not a concern", after)
    with app.app_context():
        flag = db.session.get(SafeguardingFlag, flag_id)
        assert flag.status is FlagStatus.FALSE_FLAG
        assert [event.status for event in flag.events] == [FlagStatus.NEW, FlagStatus.FALSE_FLAG]
        assert flag.events[-1].user_id is not None and flag.events[-1].at is not None
        audited = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "safeguarding_flag_status",
                AuditEvent.object_id == str(flag_id),
            )
        )
        assert audited.detail == "false_flag" and audited.user_id == flag.events[-1].user_id
    # Marking it again changes nothing; the flag page shows it and its record.
    lead.post(f"/staff/safeguarding/{flag_id}/false-flag")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FlagEvent)) == 2
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 1
    page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert page.count("Not a concern (false flag)") >= 2  # its status, and its record
    assert "/false-flag" not in page


def test_from_the_flag_page_the_click_returns_there(app, staff_client):
    flag_id = _flag(app, "i only eat at school", "2026-11-01 09:00")
    lead = staff_client(Role.ADMIN)
    marked = lead.post(f"/staff/safeguarding/{flag_id}/false-flag", data={"back": "flag"})
    assert marked.location.endswith(f"/staff/safeguarding/{flag_id}")


def test_only_safeguarding_staff_can_mark_a_false_flag(app, staff_client):
    flag_id = _flag(app, "my dad hits me", "2026-11-01 09:00")
    for role in (Role.COMMISSIONER, Role.VIEWER):
        assert (
            staff_client(role).post(f"/staff/safeguarding/{flag_id}/false-flag").status_code == 403
        )
    assert staff_client(Role.ADMIN).post("/staff/safeguarding/999/false-flag").status_code == 404
    with app.app_context():
        assert db.session.get(SafeguardingFlag, flag_id).status is FlagStatus.NEW
