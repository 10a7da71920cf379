"""From one response forward: the actions and updates that came of what it said."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from engage.extensions import db
from engage.improve.actions import actions_for_response
from engage.improve.models import Action
from engage.learn.models import Coding
from engage.listen.models import Answer
from engage.respond.models import Update, update_action


@dataclass
class Outcome:
    actions: list[Action]
    updates: list[Update]


def outcome_of_response(response_id: int) -> Outcome:
    """Actions on the themes its answers were coded to, and updates about those themes
    or those actions (drafts included: this is for staff)."""
    found = actions_for_response(response_id)
    theme_ids = (
        select(Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .where(Answer.response_id == response_id)
    )
    updates = list(
        db.session.scalars(
            select(Update)
            .outerjoin(update_action, update_action.c.update_id == Update.id)
            .where(
                or_(
                    Update.theme_id.in_(theme_ids),
                    update_action.c.action_id.in_([action.id for action in found]),
                )
            )
            .distinct()
            .order_by(Update.id)
        )
    )
    return Outcome(found, updates)
