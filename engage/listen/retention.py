"""Retention and erasure: contact details and free text go when a survey's retention ends;
drafts nobody came back to go; erased responses stay erased after a restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from engage.accounts import audit
from engage.ask.models import Survey
from engage.extensions import db
from engage.listen import tally
from engage.listen.models import Answer, ContactDetail, Erasure, Response, ResponseStatus
from engage.schema import utcnow


@dataclass
class PurgeReport:
    contacts: int = 0
    texts: int = 0
    drafts: int = 0
    held: int = 0

    def __str__(self) -> str:
        return (
            f"contact details removed: {self.contacts}; free-text answers cleared: {self.texts}; "
            f"abandoned drafts deleted: {self.drafts}; held for safeguarding: {self.held}"
        )


def _expired_responses(survey: Survey):
    cutoff = utcnow() - timedelta(days=survey.retention_days)
    return select(Response.id).where(
        Response.survey_id == survey.id,
        Response.status == ResponseStatus.SUBMITTED,
        Response.submitted_at < cutoff,
    )


def purge() -> PurgeReport:
    """Run nightly. Safeguarding records keep their own verbatim copy, so clearing an answer's
    text here never removes what a safeguarding lead holds."""
    report = PurgeReport()
    for survey in db.session.scalars(select(Survey)):
        expired = _expired_responses(survey)
        report.contacts += db.session.execute(
            delete(ContactDetail).where(ContactDetail.response_id.in_(expired))
        ).rowcount
        with_text = db.session.scalars(
            select(Answer.response_id)
            .where(Answer.response_id.in_(expired), Answer.text.is_not(None))
            .distinct()
        ).all()
        # An answer that was only words no longer counts as answered once they are cleared.
        with tally.recount(with_text):
            report.texts += db.session.execute(
                update(Answer)
                .where(Answer.response_id.in_(expired), Answer.text.is_not(None))
                .values(text=None, translation=None)
                .execution_options(synchronize_session=False)
            ).rowcount
    draft_days = current_app.config["DRAFT_RESUME_DAYS"]
    stale = utcnow() - timedelta(days=draft_days + 1)
    for draft in db.session.scalars(
        select(Response).where(Response.status == ResponseStatus.DRAFT, Response.updated_at < stale)
    ).all():
        try:
            with db.session.begin_nested():
                db.session.delete(draft)
            report.drafts += 1
        except IntegrityError:
            report.held += 1
    audit.record("purge", None, None, detail=str(report))
    return report


def record_erasure(response_id: int, complete: bool) -> None:
    db.session.add(Erasure(response_id=response_id, complete=complete))


def replay_erasures() -> int:
    """After restoring a backup, erase again whatever had been erased since."""
    from engage.listen.own_answers import erase

    count = 0
    for tombstone in db.session.scalars(select(Erasure)).all():
        response = db.session.get(Response, tombstone.response_id)
        if response is not None:
            erase(response, tombstone=False)
            count += 1
    return count
