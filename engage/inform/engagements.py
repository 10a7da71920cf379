"""Finding and describing engagements."""

from __future__ import annotations

from flask import abort, session
from sqlalchemy import select

from engage.extensions import db
from engage.inform.models import Engagement, EngagementStatus


def open_engagements() -> list[Engagement]:
    return list(
        db.session.scalars(
            select(Engagement)
            .where(Engagement.status == EngagementStatus.OPEN)
            .order_by(Engagement.closes_on, Engagement.title)
        )
    )


def public_engagement(slug: str) -> Engagement:
    found = db.session.scalar(select(Engagement).where(Engagement.slug == slug))
    if found is None or found.status == EngagementStatus.DRAFT:
        abort(404)
    return found


def wants_easy_read(choice: str | None) -> bool:
    """The version switch, remembered for the visit in the session."""
    if choice in {"easy-read", "standard"}:
        session["easy_read"] = choice == "easy-read"
    return bool(session.get("easy_read", False))
