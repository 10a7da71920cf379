"""Recording who did what to which record, in the caller's transaction."""

from __future__ import annotations

from flask_login import current_user

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
