"""Which surveys a staff member may see: those of the engagements in their reach.

A survey with no engagement is partnership-wide, like an engagement with no lead organisation
(see engage.inform.access).
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, or_, select, true

from engage.accounts.models import User
from engage.ask.models import Survey
from engage.inform.access import (
    _user,
    deny,
    engagement_id_visible,
    sees_everything,
    visible_engagement_ids,
)


def survey_condition(user: User | None = None) -> ColumnElement[bool]:
    """A WHERE clause on Survey limiting rows to the user's reach."""
    user = _user(user)
    if user is not None and sees_everything(user):
        return true()
    return or_(
        Survey.engagement_id.is_(None), Survey.engagement_id.in_(visible_engagement_ids(user))
    )


def visible_survey_ids(user: User | None = None):
    """A subquery of the survey ids in reach, for filtering responses and answers."""
    return select(Survey.id).where(survey_condition(user))


def survey_visible(survey: Survey | None, user: User | None = None) -> bool:
    return survey is not None and engagement_id_visible(survey.engagement_id, user)


def require_survey(survey: Survey | None) -> Survey:
    if survey is None:
        abort(404)
    if not survey_visible(survey):
        deny()
    return survey
