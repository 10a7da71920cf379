"""When a survey takes answers: its own opening and closing dates, else its engagement's, or a
staff member's close; and the grace period in which a draft started before the close may
still be sent. Worked out from the clock on every request, so no scheduled job is needed."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from engage.ask.models import Survey, SurveyStatus
from engage.extensions import db
from engage.local_time import day_text, end_of, local, moment_text, start_of
from engage.schema import utcnow

DEFAULT_GRACE_HOURS = 24
MAX_GRACE_HOURS = 7 * 24


class SurveyState(enum.Enum):
    DRAFT = "draft"  # not published: staff only
    UPCOMING = "upcoming"  # published, its opening date not reached
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Schedule:
    state: SurveyState
    opens_on: date | None
    # The last day answers are taken, as people are told it.
    closes_on: date | None
    # The moment it closed, when it has (UTC).
    closed_at: datetime | None
    # Until then a draft started before the close may still be sent.
    grace_until: datetime | None
    in_grace: bool

    @property
    def takes_new_answers(self) -> bool:
        return self.state == SurveyState.OPEN

    @property
    def takes_drafts(self) -> bool:
        return self.state == SurveyState.OPEN or self.in_grace

    @property
    def closed_on(self) -> date | None:
        """The day it closed, where the survey is run: the closing date itself when it closed
        by date (at midnight after it), else the day staff closed it."""
        if self.closed_at is None:
            return None
        if self.closes_on and self.closed_at == end_of(self.closes_on):
            return self.closes_on
        return local(self.closed_at).date()


def dates(survey: Survey) -> tuple[date | None, date | None]:
    """The survey's own dates, each falling back to its engagement's."""
    engagement = survey.engagement
    opens_on = survey.opens_on or (engagement.opens_on if engagement else None)
    closes_on = survey.closes_on or (engagement.closes_on if engagement else None)
    return opens_on, closes_on


def schedule(survey: Survey, now: datetime | None = None) -> Schedule:
    now = now or utcnow()
    opens_on, closes_on = dates(survey)
    if survey.status == SurveyStatus.DRAFT:
        return Schedule(SurveyState.DRAFT, opens_on, closes_on, None, None, False)
    by_date = end_of(closes_on) if closes_on else None
    moments = [m for m in (by_date, survey.closed_at) if m is not None and m <= now]
    closed_at = min(moments) if moments else None
    if survey.status == SurveyStatus.CLOSED or closed_at is not None:
        # A survey closed before this record was kept has no moment and so no grace.
        grace = timedelta(hours=survey.grace_hours or 0)
        grace_until = closed_at + grace if closed_at is not None and grace else None
        in_grace = grace_until is not None and now < grace_until
        return Schedule(SurveyState.CLOSED, opens_on, closes_on, closed_at, grace_until, in_grace)
    if opens_on and now < start_of(opens_on):
        return Schedule(SurveyState.UPCOMING, opens_on, closes_on, None, None, False)
    return Schedule(SurveyState.OPEN, opens_on, closes_on, None, None, False)


def close_due(now: datetime | None = None) -> list[Survey]:
    """Mark the published surveys their dates have closed as closed, with the moment they
    closed (the pages already treat them so). For `engage close-due`."""
    now = now or utcnow()
    closed = []
    for survey in db.session.scalars(select(Survey).where(Survey.status == SurveyStatus.PUBLISHED)):
        found = schedule(survey, now)
        if found.state == SurveyState.CLOSED:
            survey.status, survey.closed_at = SurveyStatus.CLOSED, found.closed_at
            closed.append(survey)
    db.session.flush()
    return closed


def staff_summary(timing: Schedule) -> str:
    """One sentence for the survey's staff page: when it takes answers."""
    opens = day_text(timing.opens_on) if timing.opens_on else None
    closes = day_text(timing.closes_on) if timing.closes_on else None
    if timing.state == SurveyState.DRAFT:
        if opens and closes:
            return _(
                "Once published, it takes answers from %(opens)s to the end of %(closes)s.",
                opens=opens,
                closes=closes,
            )
        if closes:
            return _("Once published, it takes answers until the end of %(closes)s.", closes=closes)
        return _("Once published, it takes answers until you close it.")
    if timing.state == SurveyState.UPCOMING:
        return _("Published: it opens on %(opens)s.", opens=opens)
    if timing.state == SurveyState.OPEN:
        if closes:
            return _("Open until the end of %(closes)s.", closes=closes)
        return _("Open until you close it: it has no closing date.")
    closed = _("Closed.")
    if timing.closed_on:
        closed = _("Closed on %(date)s.", date=day_text(timing.closed_on))
    if timing.in_grace:
        return (
            closed
            + " "
            + _(
                "People who started before it closed can send their answers until %(when)s.",
                when=moment_text(timing.grace_until),
            )
        )
    return closed
