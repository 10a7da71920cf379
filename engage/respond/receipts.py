"""Receipt look-up: what happened to the engagement someone answered, without an email
and without showing any answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from engage.ask.models import Survey
from engage.extensions import db
from engage.inform.models import Engagement
from engage.listen.models import Response, ResponseStatus
from engage.listen.runner import normalise_code
from engage.respond.models import Update, UpdateStatus


@dataclass
class ReceiptResult:
    survey: Survey
    engagement: Engagement | None
    submitted_at: datetime | None
    updates: list[Update]


def _candidates(code: str) -> set[str]:
    # listen owns the code format (groups, look-alike letters); the code as typed, upper
    # case, is tried too.
    return {code.strip().upper(), normalise_code(code)}


def look_up(code: str) -> ReceiptResult | None:
    if not code.strip():
        return None
    response = db.session.scalar(
        select(Response).where(
            func.upper(Response.receipt_code).in_(_candidates(code)),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )
    if response is None:
        return None
    survey = response.survey
    updates: list[Update] = []
    if survey.engagement_id is not None:
        updates = list(
            db.session.scalars(
                select(Update)
                .where(
                    Update.engagement_id == survey.engagement_id,
                    Update.status == UpdateStatus.PUBLISHED,
                )
                .order_by(Update.published_at.desc())
            )
        )
    return ReceiptResult(survey, survey.engagement, response.submitted_at, updates)
