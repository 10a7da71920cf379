"""The safeguarding queue as the lead works it: urgent first, then concerns, newest first
within; the category and the matched words marked, the respondent's text escaped; one click
marks a false flag, which is kept, audited and counted."""

from __future__ import annotations

from freezegun import freeze_time
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn import flags
from engage.learn.analysis import screen_submitted_response
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from tests.helpers.pages import Page, text_of
from tests.learn.factories import make_response, make_survey

ANYTHING = "Is there anything else you want to tell us?"


def _flag(app, text: str, when: str) -> int:
    with app.app_context(), freeze_time(when):
        response = make_response(make_survey(ANYTHING), text)
        screen_submitted_response(response)
        db.session.commit()
        return db.session.scalar(
            select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == response.id)
        )


def _queue(lead) -> Page:
    return lead.get("learn.safeguarding")


def _flag_rows(page: Page) -> list[dict[str, str]]:
    """The queue's rows, in order: the flag's link, its level tag and its status tag."""
    return [
        {
            "flag": text_of(row.a),
            "level": text_of(row.select("strong.govuk-tag")[0]),
            "status": text_of(row.select("strong.govuk-tag")[1]),
        }
        for row in page.select("table#flags tbody tr")
    ]


def _figures(page: Page) -> dict[str, int]:
    """The figures above the queue: {"urgent, waiting for a decision": 1, ...}."""
    figures = {}
    for paragraph in page.select("#queue-figures p"):
        number = text_of(paragraph.span)
        figures[text_of(paragraph).removeprefix(number).strip()] = int(number)
    return figures


def test_urgent_first_then_concerns_newest_first_within(app, staff_request):
    old_urgent = _flag(app, "my dad hits me", "2026-11-01 09:00")
    new_concern = _flag(app, "i only eat at school", "2026-11-03 09:00")
    new_urgent = _flag(app, "i want to kill myself", "2026-11-02 09:00")
    old_concern = _flag(app, "my shoes have holes and its wet", "2026-10-30 09:00")
    page = _queue(staff_request(Role.SAFEGUARDING_LEAD))
    expected = [new_urgent, old_urgent, new_concern, old_concern]
    rows = _flag_rows(page)
    assert [row["flag"] for row in rows] == [f"Flag {flag_id}" for flag_id in expected]
    assert [row["level"] for row in rows] == ["Urgent", "Urgent", "Concern", "Concern"]
    categories = page.texts_of("table#flags tbody tr td:nth-of-type(2) .govuk-body-s")
    assert "Neglect" in categories and "Physical abuse" in categories
    assert "Suicidal thoughts and self-harm" in categories


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


def test_one_click_marks_a_false_flag_kept_audited_and_counted(app, staff_request):
    flag_id = _flag(app, "this homework is killing me lol i want to die", "2026-11-01 09:00")
    lead = staff_request(Role.SAFEGUARDING_LEAD)
    one_click = {"action": lead.url("learn.mark_false_flag", flag_id=flag_id)}
    assert lead.get("learn.flag", flag_id=flag_id).find("form", attrs=one_click)
    before = _figures(_queue(lead))
    assert before["urgent, waiting for a decision"] == 1
    assert before["marked not a concern (false flags)"] == 0
    lead.post(
        "learn.mark_false_flag", flag_id=flag_id, _expected_redirect=lead.url("learn.safeguarding")
    )
    after = _queue(lead)
    assert f"Flag {flag_id} marked not a concern (false flag)" in after.words()
    assert _figures(after)["urgent, waiting for a decision"] == 0
    assert _figures(after)["marked not a concern (false flags)"] == 1
    assert [row["status"] for row in _flag_rows(after)] == ["Not a concern (false flag)"]
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
    lead.post("learn.mark_false_flag", flag_id=flag_id)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FlagEvent)) == 2
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 1
    page = lead.get("learn.flag", flag_id=flag_id)
    assert page.words().count("Not a concern (false flag)") >= 2  # its status, and its record
    assert not page.find("form", attrs=one_click)


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
