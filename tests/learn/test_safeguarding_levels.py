"""A flag carries the screen's level, categories and matched words; urgent flags e-mail the
safeguarding leads at once, concerns go to the queue without an alarm."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn.analysis import screen_submitted_response
from engage.learn.escalation import escalate_overdue
from engage.learn.models import FlagStatus, SafeguardingFlag
from engage.learn.text.screen import Level
from engage.respond.models import OutboxMessage
from tests.learn.factories import make_response, make_staff, make_survey

ANYTHING = "Is there anything else you want to tell us?"


def _flag_for(text: str) -> SafeguardingFlag:
    response = make_response(make_survey(ANYTHING), text)
    screen_submitted_response(response)
    db.session.commit()
    flag_id = db.session.scalar(select(SafeguardingFlag.id))
    db.session.expire_all()
    return db.session.get(SafeguardingFlag, flag_id)


def test_an_urgent_flag_keeps_its_level_category_and_words(app_context):
    make_staff(Role.SAFEGUARDING_LEAD)
    flag = _flag_for("My stepdad HITS me when mum is out")
    assert flag.level is Level.URGENT
    assert flag.category == "Physical abuse"
    assert {"stepdad", "hits", "me"} <= set(flag.matched_words)
    assert flag.status is FlagStatus.NEW


def test_a_concern_keeps_its_level_and_category(app_context):
    flag = _flag_for("i only eat at school")
    assert flag.level is Level.CONCERN
    assert flag.category == "Neglect"
    assert flag.matched_words == ["only", "eat", "at", "school"]


def test_urgent_emails_the_lead_at_once(app_context):
    lead = make_staff(Role.SAFEGUARDING_LEAD)
    flag = _flag_for("i want to kill myself")
    [email] = db.session.scalars(select(OutboxMessage)).all()
    assert email.to == lead.email and f"/staff/safeguarding/{flag.id}" in email.body
    assert "kill" not in email.body


def test_a_concern_sends_no_email_and_is_not_escalated(app_context):
    make_staff(Role.SAFEGUARDING_LEAD)
    make_staff(Role.ADMIN)
    with freeze_time() as clock:
        flag = _flag_for("my shoes have holes and its wet")
        assert flag.level is Level.CONCERN
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        notified = select(func.count()).where(AuditEvent.action == "safeguarding_leads_notified")
        assert db.session.scalar(notified) == 0
        # Past the agreed time it still waits in the queue, without an alarm.
        clock.tick(timedelta(hours=5))
        assert escalate_overdue() == []
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_staff_concern_is_urgent_and_named_as_raised_by_staff(app_context):
    from engage.learn import safeguarding

    lead = make_staff(Role.SAFEGUARDING_LEAD)
    response = make_response(make_survey(ANYTHING), "Mum is always very tired")
    flag = safeguarding.raise_concern(response, make_staff(Role.VIEWER), "Worried about home")
    db.session.commit()
    assert flag.level is Level.URGENT and flag.category == "Raised by staff"
    assert flag.matched_words is None
    assert [email.to for email in db.session.scalars(select(OutboxMessage))] == [lead.email]
