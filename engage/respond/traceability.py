"""From one response forward: the actions and updates that came of what it said."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from engage.extensions import db
from engage.improve.actions import actions_for_response
from engage.improve.models import Action
from engage.learn.models import Coding, Theme
from engage.learn.safeguarding import flagged_answer_ids
from engage.listen.models import Answer, Response, ResponseStatus
from engage.listen.questions import describe
from engage.listen.runner import answers_by_key
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


@dataclass
class TracedAnswer:
    question: str
    answer: str | None  # None: held back for safeguarding review
    themes: list[tuple[str, bool]]  # (theme name, confirmed by staff)
    # Written answers in another language: its code, and a staff translation if any.
    language: str | None = None
    translation: str | None = None


@dataclass
class ResponseTrace:
    response: Response
    answers: list[TracedAnswer]
    outcome: Outcome


def trace_response(response_id: int) -> ResponseTrace | None:
    """A submitted response for staff: its answers (flagged words held back), the themes they
    were coded to, and the actions and updates that came of them."""
    response = db.session.get(Response, response_id)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        return None
    by_question = {answer.question_id: answer for answer in response.answers}
    held = flagged_answer_ids([answer.id for answer in response.answers])
    codes: dict[int, list[tuple[str, bool]]] = {}
    rows = db.session.execute(
        select(Coding.answer_id, Theme.name, Coding.confirmed)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(Coding.answer_id.in_([answer.id for answer in response.answers]))
        .order_by(Theme.name)
    )
    for answer_id, name, confirmed in rows:
        codes.setdefault(answer_id, []).append((name, bool(confirmed)))
    values = answers_by_key(response)
    traced = []
    for question in response.survey.questions:
        answer = by_question.get(question.id)
        if answer is None:
            continue
        words = None if answer.id in held else describe(question, values[question.key], False)
        other = answer.language if answer.language not in (None, "en") and words else None
        traced.append(
            TracedAnswer(
                question.text,
                words,
                codes.get(answer.id, []),
                other,
                answer.translation if other else None,
            )
        )
    return ResponseTrace(response, traced, outcome_of_response(response_id))
