"""Recording who did what to which record, in the caller's transaction."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from engage.accounts.models import AuditEvent
from engage.extensions import db


def record(
    action: str,
    object_type: str | None = None,
    object_id: object | None = None,
    detail: str | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    if user_id is None and current_user and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id)[:64],
        detail=detail,
        user_id=user_id,
    )
    db.session.add(event)
    return event


PAGE_SIZE = 100


def events(action: str | None = None, page: int = 1) -> tuple[list[AuditEvent], bool]:
    """One page of events, newest first, and whether an older page exists."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    page = max(page, 1)
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
