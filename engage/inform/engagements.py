"""Finding and describing engagements."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, session
from flask_babel import gettext as _
from sqlalchemy import or_, select

from engage.extensions import db
from engage.inform.models import Engagement, EngagementStatus
from engage.local_time import day_text, today


def open_engagements() -> list[Engagement]:
    """Open engagements whose dates include today: the dates open and close them."""
    day = today()
    return list(
        db.session.scalars(
            select(Engagement)
            .where(
                Engagement.status == EngagementStatus.OPEN,
                or_(Engagement.opens_on.is_(None), Engagement.opens_on <= day),
                or_(Engagement.closes_on.is_(None), Engagement.closes_on >= day),
            )
            .order_by(Engagement.closes_on, Engagement.title)
        )
    )


def status_today(engagement: Engagement, day: date | None = None) -> EngagementStatus:
    """An open engagement past its closing date is closed, whether or not a command has
    marked it yet."""
    day = day or today()
    if engagement.status == EngagementStatus.OPEN and engagement.closes_on:
        if engagement.closes_on < day:
            return EngagementStatus.CLOSED
    return engagement.status


def closing_text(engagement: Engagement, day: date | None = None) -> str | None:
    """What the engagement's page says of its closing date. Staff may close it before that
    date: it is then never "Closed on" a day still to come."""
    if engagement.closes_on is None:
        return None
    day = day or today()
    when = day_text(engagement.closes_on)
    if status_today(engagement, day) not in (EngagementStatus.CLOSED, EngagementStatus.RESPONDED):
        return _("Closes on %(date)s", date=when)
    if engagement.closes_on < day:
        return _("Closed on %(date)s", date=when)
    return _("Closed early: it was due to close on %(date)s", date=when)


def close_due() -> list[Engagement]:
    """Mark open engagements past their closing date as closed. For `engage close-due`."""
    yesterday = today() - timedelta(days=1)
    due = list(
        db.session.scalars(
            select(Engagement).where(
                Engagement.status == EngagementStatus.OPEN,
                Engagement.closes_on.is_not(None),
                Engagement.closes_on <= yesterday,
            )
        )
    )
    for engagement in due:
        engagement.status = EngagementStatus.CLOSED
    db.session.flush()
    return due


def public_engagement(slug: str) -> Engagement:
    found = db.session.scalar(select(Engagement).where(Engagement.slug == slug))
    if found is None or found.status == EngagementStatus.DRAFT:
        abort(404)
    return found


def wants_easy_read(choice: str | None, default: bool = False) -> bool:
    """The version switch, remembered for the visit in the session; until the visitor
    chooses, the default (for instance, the version their answers were given in)."""
    if choice in {"easy-read", "standard"}:
        session["easy_read"] = choice == "easy-read"
    return bool(session.get("easy_read", default))
