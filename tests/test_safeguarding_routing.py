"""A worrying answer, submitted through the public runner, is flagged in the same transaction
as the response, and the safeguarding lead is emailed a link only; its sentiment follows from
the analysis worker."""

from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn.models import FlagStatus, SafeguardingFlag, Sentiment
from engage.listen.models import Response, ResponseStatus
from engage.respond.models import OutboxMessage
from tests.helpers.respondent import EASY, answer, begin, submission_token

WORDS = "My uncle hurts me when I get home"


def _submit(client, text):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "no"})
    answer(client, EASY, "listened_to", {"listened_to": "disagree"})
    answer(client, EASY, "better", {"better": text})
    token = submission_token(client, EASY)
    return client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})


def test_flag_and_link_only_email_commit_with_the_response(
    app, client, demo, make_user, analyse_waiting
):
    lead = make_user(Role.SAFEGUARDING_LEAD)
    assert _submit(client, WORDS).status_code == 303
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.SUBMITTED
        flag = db.session.scalar(select(SafeguardingFlag))
        assert flag.response_id == response.id and flag.status == FlagStatus.NEW
        assert flag.verbatim == WORDS
        [email] = db.session.scalars(select(OutboxMessage)).all()
        assert email.to == lead
        assert f"/{flag.id}" in email.body
        assert "uncle" not in email.body and "hurts" not in email.body
        assert db.session.scalar(select(func.count()).select_from(Sentiment)) == 0
    assert analyse_waiting() == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Sentiment)) == 1


def test_ordinary_answer_raises_no_flag(app, client, demo, make_user):
    make_user(Role.SAFEGUARDING_LEAD)
    _submit(client, "More games please, the sessions are fun")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_failed_submit_leaves_neither_flag_nor_email(app, client, demo, make_user):
    from sqlalchemy.exc import OperationalError

    from engage.listen.hooks import add_submit_hook

    make_user(Role.SAFEGUARDING_LEAD)

    def fail_after_analysis(_response):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    add_submit_hook(app, fail_after_analysis)
    try:
        failed = _submit(client, WORDS)
    finally:
        app.extensions["engage_submit_hooks"].remove(fail_after_analysis)
    assert failed.status_code == 503
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(select(Response.status)) == ResponseStatus.DRAFT


def test_demo_seeds_the_codebook(app, demo):
    from engage.learn.models import Theme

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Theme)) >= 11


def test_unacknowledged_flag_escalates_once_to_leads_and_admins_after_the_sla(
    app, client, demo, make_user, staff_client
):
    from datetime import timedelta

    from freezegun import freeze_time

    from engage.learn.escalation import escalate_overdue

    lead = make_user(Role.SAFEGUARDING_LEAD)
    deputy = make_user(Role.SAFEGUARDING_LEAD)
    admin = make_user(Role.ADMIN)
    make_user(Role.COMMISSIONER)
    with freeze_time() as clock:
        assert _submit(client, WORDS).status_code == 303
        runner = app.test_cli_runner()
        clock.tick(timedelta(hours=3, minutes=59))
        assert "Escalated 0 flags" in runner.invoke(args=["escalate-flags"]).output
        clock.tick(timedelta(minutes=2))
        assert "Escalated 1 flag." in runner.invoke(args=["escalate-flags"]).output
        # Run again (cron every 15 minutes): no second escalation for the same flag.
        clock.tick(timedelta(minutes=15))
        assert "Escalated 0 flags" in runner.invoke(args=["escalate-flags"]).output
        queue = staff_client(Role.SAFEGUARDING_LEAD).get("/staff/safeguarding")
        assert "Waiting more than 4 hours" in queue.get_data(as_text=True)
    with app.app_context():
        escalations = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject.startswith("Still waiting"))
        ).all()
        sent_to = [message.to for message in escalations]
        assert {lead, deputy, admin} <= set(sent_to) and len(sent_to) == len(set(sent_to))
        from engage.accounts.models import User

        roles = {u.role for u in db.session.scalars(select(User).where(User.email.in_(sent_to)))}
        assert roles == {Role.SAFEGUARDING_LEAD, Role.ADMIN}
        for message in escalations:
            assert "uncle" not in message.body and "hurts" not in message.body
            assert "999" in message.body and "/staff/safeguarding/" in message.body
        # A decision acknowledges the flag: later runs leave it alone.
        flag = db.session.scalar(select(SafeguardingFlag))
        flag.status = FlagStatus.REVIEWED
        db.session.commit()
        assert escalate_overdue() == []


def test_only_the_safeguarding_lead_sees_identity_and_only_with_a_logged_reason(
    app, client, demo, staff_client
):
    from engage.accounts.models import AuditEvent

    assert _submit(client, WORDS).status_code == 303
    confirmation = client.get(f"/surveys/{EASY}/confirmation")
    assert confirmation.status_code == 200
    client.post(f"/surveys/{EASY}/confirmation", data={"email": "child@example.com"})
    with app.app_context():
        flag_id = db.session.scalar(select(SafeguardingFlag.id))
    url = f"/staff/safeguarding/{flag_id}/contact"
    assert staff_client(Role.ADMIN).get(url).status_code == 403
    lead = staff_client(Role.SAFEGUARDING_LEAD)
    flag_page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert url in flag_page and "child@example.com" not in flag_page
    form = lead.get(url).get_data(as_text=True)
    assert "child@example.com" not in form
    refused = lead.post(url, data={"reason": ""})
    assert refused.status_code == 400
    assert "Say why you need to see the contact details" in refused.get_data(as_text=True)
    assert "child@example.com" not in refused.get_data(as_text=True)
    shown = lead.post(url, data={"reason": "Need to refer to MASH today"})
    assert shown.status_code == 200 and "child@example.com" in shown.get_data(as_text=True)
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "break_glass_contact_view")
        ).all()
        assert event.object_id == str(flag_id) and event.user_id is not None
        assert "Need to refer to MASH today" in event.detail


def test_a_concern_commits_with_the_response_and_sends_no_email(app, client, demo, make_user):
    from engage.learn.text.screen import Level

    make_user(Role.SAFEGUARDING_LEAD)
    assert _submit(client, "i only eat at school").status_code == 303
    with app.app_context():
        flag = db.session.scalar(select(SafeguardingFlag))
        assert flag.response_id == db.session.scalar(select(Response.id))
        assert flag.level is Level.CONCERN and flag.category == "Neglect"
        assert flag.matched_words == ["only", "eat", "at", "school"]
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_childs_answer_in_another_language_reaches_the_queue(
    app, client, demo, make_user, staff_client
):
    from engage.learn.text.screen import UNREADABLE, Level

    make_user(Role.SAFEGUARDING_LEAD)
    assert _submit(client, "tata mnie bije").status_code == 303
    with app.app_context():
        flag = db.session.scalar(select(SafeguardingFlag))
        assert flag.level is Level.CONCERN and flag.category == UNREADABLE
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    queue = staff_client(Role.SAFEGUARDING_LEAD).get("/staff/safeguarding").get_data(as_text=True)
    assert "tata mnie bije" in queue and UNREADABLE in queue
