"""Which engagements a staff member may see (SECURITY.md row 10: team A never sees team B's).

A staff member's team is their organisation. They see an engagement their organisation leads,
one that covers a service their organisation commissions, and partnership-wide engagements
(no lead organisation). Admins, safeguarding leads and staff with no organisation (the
partnership's own engagement team) see everything. Later steps call these helpers for every
survey, response, answer, export and action they show; anything out of reach is a 404, so
identifiers of other teams' work are not even confirmed.
"""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from sqlalchemy import ColumnElement, false, or_, select, true

from engage.accounts.models import Role, User
from engage.extensions import db
from engage.inform.models import Engagement, Service, engagement_service

WHOLE_PARTNERSHIP_ROLES = frozenset({Role.ADMIN, Role.SAFEGUARDING_LEAD})


def _user(user: User | None) -> User | None:
    if user is not None:
        return user
    return current_user if current_user.is_authenticated else None


def sees_everything(user: User | None = None) -> bool:
    user = _user(user)
    if user is None:
        return False
    return user.role in WHOLE_PARTNERSHIP_ROLES or user.organisation_id is None


def engagement_condition(user: User | None = None) -> ColumnElement[bool]:
    """A WHERE clause on Engagement (or Engagement.id) limiting rows to the user's reach."""
    user = _user(user)
    if user is None:
        return false()
    if sees_everything(user):
        return true()
    commissioned = (
        select(engagement_service.c.engagement_id)
        .join(Service, Service.id == engagement_service.c.service_id)
        .where(Service.commissioner_id == user.organisation_id)
    )
    return or_(
        Engagement.organisation_id.is_(None),
        Engagement.organisation_id == user.organisation_id,
        Engagement.id.in_(commissioned),
    )


def visible_engagement_ids(user: User | None = None) -> select:
    """A subquery of the engagement ids in reach, for filtering other steps' rows."""
    return select(Engagement.id).where(engagement_condition(user))


def engagement_visible(engagement: Engagement | None, user: User | None = None) -> bool:
    user = _user(user)
    if engagement is None or user is None:
        return False
    if sees_everything(user):
        return True
    if engagement.organisation_id in (None, user.organisation_id):
        return True
    return any(service.commissioner_id == user.organisation_id for service in engagement.services)


def engagement_id_visible(engagement_id: int | None, user: User | None = None) -> bool:
    """For rows that belong to an engagement by id; no engagement means partnership-wide."""
    user = _user(user)
    if user is None:
        return False
    if engagement_id is None or sees_everything(user):
        return True
    return engagement_visible(db.session.get(Engagement, engagement_id), user)


def service_visible(service: Service | None, user: User | None = None) -> bool:
    """A service's own results: its commissioner's staff and the whole-partnership staff."""
    user = _user(user)
    if service is None or user is None:
        return False
    return sees_everything(user) or service.commissioner_id == user.organisation_id


def visible_services_condition(user: User | None = None) -> ColumnElement[bool]:
    user = _user(user)
    if user is None:
        return false()
    if sees_everything(user):
        return true()
    return Service.commissioner_id == user.organisation_id


def deny() -> None:
    """Out of reach: recorded, then a 404 so the identifier is not confirmed."""
    from engage.accounts.audit import record

    record("access_denied", "endpoint", request.endpoint)
    db.session.commit()
    abort(404)


def require_engagement(engagement: Engagement | None) -> Engagement:
    if engagement is None:
        abort(404)
    if not engagement_visible(engagement):
        deny()
    return engagement


def require_engagement_id(engagement_id: int | None) -> None:
    if not engagement_id_visible(engagement_id):
        deny()


def require_service(service: Service | None) -> Service:
    if service is None:
        abort(404)
    if not service_visible(service):
        deny()
    return service
