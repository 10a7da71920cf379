"""Retention purge and erasure tombstones."""

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent
from engage.extensions import db
from engage.listen import retention
from engage.listen.models import Answer, ContactDetail, Erasure, Response, ResponseStatus
from engage.schema import utcnow
from tests.helpers.respondent import EASY, answer, begin, submit_with_contact


def test_purge_clears_contact_and_free_text_after_retention_only(app, client, demo):
    submit_with_contact(app, client)
    runner = app.test_cli_runner()
    early = runner.invoke(args=["purge"])
    assert "contact details removed: 0; free-text answers cleared: 0" in early.output
    with freeze_time(utcnow() + timedelta(days=731)):
        late = runner.invoke(args=["purge"])
    assert "contact details removed: 1; free-text answers cleared: 1" in late.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ContactDetail)) == 0
        texts = db.session.scalars(select(Answer.text)).all()
        assert all(text is None for text in texts)
        choices = db.session.scalars(select(Answer.choice).where(Answer.choice.is_not(None)))
        assert len(choices.all()) >= 4  # the counts still work
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "purge"))


def test_purge_deletes_abandoned_drafts(app, client, demo):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    with freeze_time(utcnow() + timedelta(days=40)):
        result = app.test_cli_runner().invoke(args=["purge"])
    assert "abandoned drafts deleted: 1" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_erasure_leaves_a_tombstone_replayed_after_restore(app, client, demo):
    submit_with_contact(app, client)
    with app.app_context():
        receipt_owner = db.session.scalar(select(Response))
        response_id = receipt_owner.id
        receipt = receipt_owner.receipt_code
        survey_id = receipt_owner.survey_id
    other = app.test_client()
    other.post("/my-answers", data={"code": receipt})
    other.post("/my-answers/delete", data={"confirm": "yes"})
    with app.app_context():
        assert db.session.scalar(select(Erasure.response_id)) == response_id
        # A restore brings the row back ...
        db.session.add(
            Response(
                id=response_id,
                survey_id=survey_id,
                channel="online",
                submission_token="restored",
                status=ResponseStatus.SUBMITTED,
            )
        )
        db.session.commit()
        # ... and the replay erases it again.
        assert retention.replay_erasures() == 1
        db.session.commit()
        assert db.session.get(Response, response_id) is None
