"""The safeguarding queue as the lead works it: flags by status, the trail, a new status.

Flags are never deleted or edited: each decision is a new FlagEvent (written by
engage.learn.safeguarding), and the flag's status is the latest decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import User
from engage.ask.models import Survey
from engage.extensions import db
from engage.learn import safeguarding
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from engage.listen.models import Answer, Response, ResponseStatus

STATUS_LABELS = {
    FlagStatus.NEW: "New",
    FlagStatus.REVIEWED: "Reviewed",
    FlagStatus.REFERRED: "Referred",
    FlagStatus.NO_ACTION: "No action",
}
# What the lead can record; "new" is only ever the first event.
DECISIONS = (FlagStatus.REVIEWED, FlagStatus.REFERRED, FlagStatus.NO_ACTION)
NOTE_LIMIT = 2000
# A staff member's reason is kept as the flag's reason, which holds 200 characters.
REASON_LIMIT = 200


class FlagError(ValueError):
    """A flag decision or concern cannot be recorded as given."""


@dataclass
class FlagRow:
    flag: SafeguardingFlag
    survey_title: str


def status_counts() -> dict[FlagStatus, int]:
    rows = db.session.execute(
        select(SafeguardingFlag.status, func.count()).group_by(SafeguardingFlag.status)
    ).all()
    return {status: rows_count for status, rows_count in rows}


def queue(status: FlagStatus | None = None) -> list[FlagRow]:
    """Flags, newest first; all of them, or those with one status."""
    query = (
        select(SafeguardingFlag, Survey.title)
        .join(Response, Response.id == SafeguardingFlag.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .order_by(SafeguardingFlag.created_at.desc(), SafeguardingFlag.id.desc())
    )
    if status is not None:
        query = query.where(SafeguardingFlag.status == status)
    return [FlagRow(flag, title) for flag, title in db.session.execute(query).all()]


@dataclass
class FlagDetail:
    flag: SafeguardingFlag
    survey: Survey
    text: str
    events: list[FlagEvent]


def detail(flag_id: int) -> FlagDetail | None:
    flag = db.session.scalar(
        select(SafeguardingFlag)
        .options(selectinload(SafeguardingFlag.events).selectinload(FlagEvent.user))
        .where(SafeguardingFlag.id == flag_id)
    )
    if flag is None:
        return None
    survey = flag.response.survey
    text = flag.verbatim
    if text is None and flag.answer_id is not None:
        text = db.session.scalar(select(Answer.text).where(Answer.id == flag.answer_id))
    if text is None:
        # A concern raised on a whole response: show every free-text answer in it.
        text = "\n\n".join(
            t
            for t in db.session.scalars(
                select(Answer.text)
                .where(Answer.response_id == flag.response_id, Answer.text.is_not(None))
                .order_by(Answer.id)
            )
            if t
        )
    return FlagDetail(flag, survey, text or "", list(flag.events))


def add_decision(flag: SafeguardingFlag, status: FlagStatus, note: str, user: User) -> FlagEvent:
    if status not in DECISIONS:
        raise FlagError("Choose reviewed, referred or no action")
    if len(note.strip()) > NOTE_LIMIT:
        raise FlagError(f"The note must be {NOTE_LIMIT} characters or fewer")
    try:
        return safeguarding.set_flag_status(flag, status, user, note=note.strip())
    except safeguarding.FlagError as error:
        raise FlagError(str(error)) from error


def raise_concern(response_id: int, reason: str, user: User) -> SafeguardingFlag:
    """Any staff member can flag a submitted response by hand; the leads are told."""
    response = db.session.get(Response, response_id)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        raise LookupError("That response cannot be found")
    if len(reason.strip()) > REASON_LIMIT:
        raise FlagError(f"Say why in {REASON_LIMIT} characters or fewer")
    try:
        return safeguarding.raise_concern(response, user, reason)
    except safeguarding.FlagError as error:
        raise FlagError(str(error)) from error
