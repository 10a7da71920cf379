"""Rules for changing surveys: drafts freely, published surveys with answers only grow."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.ask.models import Survey
from engage.extensions import db


def response_count(survey: Survey) -> int:
    # Listen comes after ask, so count through the table name rather than its model.
    from sqlalchemy import column, table

    responses = table("response", column("survey_id"))
    return db.session.scalar(
        select(func.count()).select_from(responses).where(responses.c.survey_id == survey.id)
    ) or 0
