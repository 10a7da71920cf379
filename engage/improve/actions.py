"""Actions ("We will ..."): saving them with their rules, progress, lists, overdue, and
tracing an action back to the answers that prompted it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from engage import figures
from engage.ask.models import Survey
from engage.extensions import db
from engage.improve.models import STATUS_LABELS, Action, ActionStatus, ActionUpdate, action_theme
from engage.inform.editing import in_use
from engage.inform.models import Engagement, Organisation, Service
from engage.learn.hooks import ResultsAction
from engage.learn.models import Coding, SafeguardingFlag, Theme
from engage.listen.models import Answer, Response, ResponseStatus
from engage.schema import utcnow

CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.NOT_POSSIBLE)


class ActionError(Exception):
    """An action cannot be saved as given; `field` names the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class ActionFields:
    title: str
    description: str
    owner_organisation_id: int | None
    owner_name: str
    due_on: date | None
    status: ActionStatus
    not_possible_reason: str = ""
    engagement_id: int | None = None
    service_id: int | None = None
    theme_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PromptingAnswer:
    """A free-text answer coded to one of an action's themes (never a flagged one)."""

    answer_id: int
    response_id: int
    text: str
    theme_name: str
    survey_title: str
    submitted_at: datetime | None


def today() -> date:
    return utcnow().date()


def is_overdue(action: Action, on: date | None = None) -> bool:
    on = on or today()
    return action.due_on is not None and action.due_on < on and action.status not in CLOSED_STATUSES


def overdue_clause(on: date | None = None):
    """The same rule as is_overdue, for queries (dashboard and lists count in SQL)."""
    on = on or today()
    return and_(
        Action.due_on.is_not(None),
        Action.due_on < on,
        Action.status.not_in(CLOSED_STATUSES),
    )


def _check(fields: ActionFields, *, new: bool) -> None:
    if not fields.title.strip():
        raise ActionError("title", "Enter a title for the action")
    if len(fields.title) > 200:
        raise ActionError("title", "Title must be 200 characters or fewer")
    if (
        fields.owner_organisation_id is None
        or db.session.get(Organisation, fields.owner_organisation_id) is None
    ):
        raise ActionError("owner_organisation", "Select the organisation that owns the action")
    if len(fields.owner_name) > 120:
        raise ActionError("owner_name", "Owner's name must be 120 characters or fewer")
    if fields.due_on is None:
        raise ActionError("due_on", "Enter the date the action is due")
    if new and fields.due_on < today():
        raise ActionError("due_on", "The due date must be today or in the future")
    if fields.status == ActionStatus.NOT_POSSIBLE and not fields.not_possible_reason.strip():
        raise ActionError("not_possible_reason", "Explain why the action is not possible")
    engagement_id = fields.engagement_id
    if engagement_id is not None and db.session.get(Engagement, engagement_id) is None:
        raise ActionError("engagement", "Select an engagement from the list")
    if fields.service_id is not None and db.session.get(Service, fields.service_id) is None:
        raise ActionError("service", "Select a service from the list")


def save_action(action: Action | None, fields: ActionFields) -> Action:
    """Create (action=None) or change an action; raises ActionError before touching it."""
    figures.renew()
    _check(fields, new=action is None)
    if action is None:
        action = Action()
        db.session.add(action)
    action.title = fields.title.strip()
    action.description = fields.description.strip()
    action.owner_organisation_id = fields.owner_organisation_id
    action.owner_name = fields.owner_name.strip()
    action.due_on = fields.due_on
    action.status = fields.status
    action.not_possible_reason = (
        fields.not_possible_reason.strip() if fields.status == ActionStatus.NOT_POSSIBLE else None
    )
    action.engagement_id = fields.engagement_id
    action.service_id = fields.service_id
    action.themes = (
        list(db.session.scalars(select(Theme).where(Theme.id.in_(fields.theme_ids))))
        if fields.theme_ids
        else []
    )
    db.session.flush()
    return action


def add_progress(
    action: Action, text: str, status: ActionStatus, reason: str = "", user_id: int | None = None
) -> ActionUpdate:
    """Append a dated progress update; the action takes the update's status."""
    figures.renew()
    if not text.strip():
        raise ActionError("text", "Describe the progress made")
    if status == ActionStatus.NOT_POSSIBLE and not (reason.strip() or action.not_possible_reason):
        raise ActionError("not_possible_reason", "Explain why the action is not possible")
    update = ActionUpdate(action=action, text=text.strip(), status=status, user_id=user_id)
    db.session.add(update)
    action.status = status
    if status == ActionStatus.NOT_POSSIBLE:
        action.not_possible_reason = reason.strip() or action.not_possible_reason
    else:
        action.not_possible_reason = None
    db.session.flush()
    return update


@dataclass
class ActionFilter:
    engagement_id: int | None = None
    service_id: int | None = None
    owner_organisation_id: int | None = None
    status: ActionStatus | None = None
    overdue_only: bool = False


def list_actions(chosen: ActionFilter | None = None, *conditions) -> list[Action]:
    chosen = chosen or ActionFilter()
    query = (
        select(Action)
        .where(*conditions)
        .options(
            selectinload(Action.themes),
            selectinload(Action.service),
            selectinload(Action.owner_organisation),
            selectinload(Action.engagement),
        )
    )
    if chosen.engagement_id:
        query = query.where(Action.engagement_id == chosen.engagement_id)
    if chosen.service_id:
        query = query.where(Action.service_id == chosen.service_id)
    if chosen.owner_organisation_id:
        query = query.where(Action.owner_organisation_id == chosen.owner_organisation_id)
    if chosen.status:
        query = query.where(Action.status == chosen.status)
    if chosen.overdue_only:
        query = query.where(overdue_clause())
    return list(db.session.scalars(query.order_by(Action.due_on, Action.id)))


def latest_for_results(engagement_ids, limit: int) -> list[ResultsAction]:
    """The engagements' actions for their results summary, the latest changed first (by its
    last progress update, else when it was made)."""
    last = (
        select(ActionUpdate.action_id, func.max(ActionUpdate.at).label("at"))
        .group_by(ActionUpdate.action_id)
        .subquery()
    )
    changed = func.coalesce(last.c.at, Action.created_at)
    found = db.session.scalars(
        select(Action)
        .outerjoin(last, last.c.action_id == Action.id)
        .where(Action.engagement_id.in_(list(engagement_ids)))
        .order_by(changed.desc(), Action.id.desc())
        .limit(limit)
    )
    return [
        ResultsAction(
            title=action.title,
            status=STATUS_LABELS[action.status],
            due_on=action.due_on,
            overdue=is_overdue(action),
            address=url_for("improve.show", action_id=action.id),
        )
        for action in found
    ]


def _flagged(answer):
    # A flag on the answer itself, or on the whole response, keeps the words out of view.
    return exists().where(
        SafeguardingFlag.response_id == answer.response_id,
        or_(SafeguardingFlag.answer_id.is_(None), SafeguardingFlag.answer_id == answer.id),
    )


def prompting_answers(action: Action, surveys=None) -> list[PromptingAnswer]:
    """Answers coded to the action's themes, submitted, and never safeguarding-flagged (only
    of the surveys given, if any: a subquery of the ids in the staff member's reach)."""
    in_reach = () if surveys is None else (Response.survey_id.in_(surveys),)
    rows = db.session.execute(
        select(
            Answer.id,
            Answer.response_id,
            Answer.text,
            Theme.name,
            Survey.title,
            Response.submitted_at,
        )
        .join(Coding, Coding.answer_id == Answer.id)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(action_theme, action_theme.c.theme_id == Theme.id)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            action_theme.c.action_id == action.id,
            Response.status == ResponseStatus.SUBMITTED,
            Answer.text.is_not(None),
            Answer.text != "",
            ~_flagged(Answer),
            *in_reach,
        )
        .order_by(Response.submitted_at.desc(), Answer.id)
    )
    return [PromptingAnswer(*row) for row in rows]


def actions_for_response(response_id: int) -> list[Action]:
    """The actions linked to any theme an answer of this response is coded to."""
    theme_ids = (
        select(Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .where(Answer.response_id == response_id)
    )
    action_ids = select(action_theme.c.action_id).where(action_theme.c.theme_id.in_(theme_ids))
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.id.in_(action_ids))
            .options(selectinload(Action.updates))
            .order_by(Action.id)
        )
    )


def choices(*engagement_conditions, keep: Engagement | None = None) -> dict[str, list]:
    """What the action form and filters offer: engagements in use, limited by the conditions
    (and `keep`, an action's own engagement, even when it is archived)."""
    engagements = list(
        db.session.scalars(
            select(Engagement).where(in_use(), *engagement_conditions).order_by(Engagement.title)
        )
    )
    if keep is not None and keep not in engagements:
        engagements.append(keep)
    return {
        "themes": list(
            db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.name))
        ),
        "engagements": engagements,
        "services": list(db.session.scalars(select(Service).order_by(Service.name))),
        "organisations": list(db.session.scalars(select(Organisation).order_by(Organisation.name))),
    }
