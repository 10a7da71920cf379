"""Commissioner dashboard figures, counted in SQL: responses by group, themes, actions,
loop closure and days from survey close to the first published update, per commissioner
organisation and per service; and which services had engagement at each commissioning
stage in the last 12 months."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean

from sqlalchemy import and_, case, distinct, func, select, union

from engage.ask.models import Question, Survey
from engage.extensions import db
from engage.improve.actions import CLOSED_STATUSES, overdue_clause, today
from engage.improve.models import Action, ActionStatus, action_theme
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    Organisation,
    Service,
    engagement_service,
)
from engage.learn.models import Coding
from engage.learn.results import POSITIVE_CHOICES, SCALE_KINDS
from engage.listen.models import Answer, AnsweredHow, RespondentGroup, Response, ResponseStatus
from engage.respond.models import Update, UpdateStatus, update_action

# Young people answering themselves or with help: their own voice. Answers given on a young
# person's behalf are counted with "other", not as the young person's own.
YOUNG_OWN_VOICE = and_(
    Response.respondent_group == RespondentGroup.YOUNG_PERSON,
    Response.answered_how != AnsweredHow.ON_BEHALF,
)
PARENTS = Response.respondent_group == RespondentGroup.PARENT_CARER


@dataclass
class Figures:
    id: int
    name: str
    young_people: int = 0
    parents: int = 0
    responses: int = 0
    themes: int = 0
    themes_closed: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    actions_done: int = 0
    days_to_update: list[int] = field(default_factory=list)
    # (positive answers, all answers) in the last 12 months and the 12 before.
    satisfied: tuple[int, int] = (0, 0)
    satisfied_before: tuple[int, int] = (0, 0)
    listened: tuple[int, int] = (0, 0)
    listened_before: tuple[int, int] = (0, 0)

    @property
    def others(self) -> int:
        return self.responses - self.young_people - self.parents

    @property
    def loop_closure(self) -> float | None:
        """Share of themes raised that have a published update, directly or via an action."""
        return self.themes_closed / self.themes if self.themes else None

    @staticmethod
    def share(counts: tuple[int, int]) -> float | None:
        positive, answered = counts
        return positive / answered if answered else None

    @property
    def mean_days_to_update(self) -> float | None:
        return mean(self.days_to_update) if self.days_to_update else None


@dataclass
class EngagementTiming:
    id: int
    title: str
    closes_on: date | None
    first_update_on: date | None

    @property
    def days(self) -> int | None:
        if self.closes_on is None or self.first_update_on is None:
            return None
        return (self.first_update_on - self.closes_on).days


@dataclass
class Dashboard:
    commissioners: list[Figures]
    services: list[Figures]
    engagements: list[EngagementTiming]
    stages: list[CommissioningStage]
    # service name -> stage -> number of engagements in the last 12 months
    cycle: list[tuple[str, dict[CommissioningStage, int]]]
    since: date


def closed_themes():
    """Themes with a published update about them, or about an action linked to them."""
    direct = select(Update.theme_id.label("theme_id")).where(
        Update.status == UpdateStatus.PUBLISHED, Update.theme_id.is_not(None)
    )
    through_action = (
        select(action_theme.c.theme_id.label("theme_id"))
        .join(update_action, update_action.c.action_id == action_theme.c.action_id)
        .join(Update, Update.id == update_action.c.update_id)
        .where(Update.status == UpdateStatus.PUBLISHED)
    )
    return union(direct, through_action).subquery()


def _responses_by(scope):
    return (
        select(
            scope,
            func.count(distinct(case((YOUNG_OWN_VOICE, Response.id)))),
            func.count(distinct(case((PARENTS, Response.id)))),
            func.count(distinct(Response.id)),
        )
        .select_from(Response)
        .join(Survey, Survey.id == Response.survey_id)
        .join(engagement_service, engagement_service.c.engagement_id == Survey.engagement_id)
        .join(Service, Service.id == engagement_service.c.service_id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .group_by(scope)
    )


def _themes_by(scope):
    closed = closed_themes()
    return (
        select(
            scope,
            func.count(distinct(Coding.theme_id)),
            func.count(distinct(case((closed.c.theme_id.is_not(None), Coding.theme_id)))),
        )
        .select_from(Coding)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(engagement_service, engagement_service.c.engagement_id == Survey.engagement_id)
        .join(Service, Service.id == engagement_service.c.service_id)
        .outerjoin(closed, closed.c.theme_id == Coding.theme_id)
        .where(Response.status == ResponseStatus.SUBMITTED)
        .group_by(scope)
    )


def _actions_by(scope, on: date):
    return (
        select(
            scope,
            func.count(case((Action.status.not_in(CLOSED_STATUSES), Action.id))),
            func.count(case((overdue_clause(on), Action.id))),
            func.count(case((Action.status == ActionStatus.DONE, Action.id))),
        )
        .select_from(Action)
        .join(Service, Service.id == Action.service_id)
        .group_by(scope)
    )


def _scales_by(scope, since: date, until: date, listened_only: bool):
    """Positive and all answers to feelings and agree scales (learn's definition), or only
    to the 'listened to' questions, submitted in [since, until)."""
    query = (
        select(
            scope,
            func.count(distinct(case((Answer.choice.in_(sorted(POSITIVE_CHOICES)), Answer.id)))),
            func.count(distinct(Answer.id)),
        )
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(engagement_service, engagement_service.c.engagement_id == Survey.engagement_id)
        .join(Service, Service.id == engagement_service.c.service_id)
        .where(
            Response.status == ResponseStatus.SUBMITTED,
            Question.kind.in_(sorted(SCALE_KINDS, key=lambda kind: kind.value)),
            Answer.choice.is_not(None),
            Response.submitted_at >= datetime.combine(since, time(), tzinfo=UTC),
            Response.submitted_at < datetime.combine(until, time(), tzinfo=UTC),
        )
        .group_by(scope)
    )
    if listened_only:
        query = query.where(Question.key.contains("listened", autoescape=True))
    return query


def _fill_shares(figures: dict[int, Figures], rows, name: str) -> None:
    for scope_id, positive, answered in rows:
        if scope_id in figures:
            setattr(figures[scope_id], name, (positive, answered))


def engagement_timings() -> list[EngagementTiming]:
    rows = db.session.execute(
        select(
            Engagement.id,
            Engagement.title,
            Engagement.closes_on,
            func.min(Update.published_at),
        )
        .outerjoin(
            Update,
            and_(Update.engagement_id == Engagement.id, Update.status == UpdateStatus.PUBLISHED),
        )
        .group_by(Engagement.id, Engagement.title, Engagement.closes_on)
        .order_by(Engagement.closes_on.desc(), Engagement.title)
    )
    return [
        EngagementTiming(id_, title, closes_on, published.date() if published else None)
        for id_, title, closes_on, published in rows
    ]


def _fill(figures: dict[int, Figures], rows, names: tuple[str, ...]) -> None:
    for scope_id, *values in rows:
        if scope_id in figures:
            for name, value in zip(names, values, strict=True):
                setattr(figures[scope_id], name, value)


def build(on: date | None = None) -> Dashboard:
    on = on or today()
    services = {
        row.id: Figures(row.id, row.name)
        for row in db.session.execute(select(Service.id, Service.name).order_by(Service.name))
    }
    commissioners = {
        row.id: Figures(row.id, row.name)
        for row in db.session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.id.in_(select(Service.commissioner_id)))
            .order_by(Organisation.name)
        )
    }
    for figures, scope in ((services, Service.id), (commissioners, Service.commissioner_id)):
        _fill(
            figures,
            db.session.execute(_responses_by(scope)),
            ("young_people", "parents", "responses"),
        )
        _fill(figures, db.session.execute(_themes_by(scope)), ("themes", "themes_closed"))
        _fill(
            figures,
            db.session.execute(_actions_by(scope, on)),
            ("actions_open", "actions_overdue", "actions_done"),
        )
        tomorrow, year_ago = on + timedelta(days=1), on - timedelta(days=365)
        two_years_ago = on - timedelta(days=730)
        for name, since, until, listened_only in (
            ("satisfied", year_ago, tomorrow, False),
            ("satisfied_before", two_years_ago, year_ago, False),
            ("listened", year_ago, tomorrow, True),
            ("listened_before", two_years_ago, year_ago, True),
        ):
            rows = db.session.execute(_scales_by(scope, since, until, listened_only))
            _fill_shares(figures, rows, name)

    timings = engagement_timings()
    days = {timing.id: timing.days for timing in timings if timing.days is not None}
    links = db.session.execute(
        select(engagement_service.c.engagement_id, Service.id, Service.commissioner_id).join(
            Service, Service.id == engagement_service.c.service_id
        )
    ).all()
    seen: set[tuple[int, int]] = set()
    for engagement_id, service_id, commissioner_id in links:
        if engagement_id not in days:
            continue
        services[service_id].days_to_update.append(days[engagement_id])
        # An engagement about two services of one commissioner counts once for it.
        if (commissioner_id, engagement_id) not in seen:
            seen.add((commissioner_id, engagement_id))
            commissioners[commissioner_id].days_to_update.append(days[engagement_id])

    since = on - timedelta(days=365)
    started = func.coalesce(Engagement.opens_on, Engagement.closes_on)
    cycle_rows = db.session.execute(
        select(Service.name, Engagement.stage, func.count(distinct(Engagement.id)))
        .select_from(engagement_service)
        .join(Engagement, Engagement.id == engagement_service.c.engagement_id)
        .join(Service, Service.id == engagement_service.c.service_id)
        .where(started >= since, started <= on)
        .group_by(Service.name, Engagement.stage)
    ).all()
    by_service: dict[str, dict[CommissioningStage, int]] = {
        figures.name: {} for figures in services.values()
    }
    for name, stage, count in cycle_rows:
        by_service[name][stage] = count
    return Dashboard(
        commissioners=list(commissioners.values()),
        services=list(services.values()),
        engagements=timings,
        stages=list(CommissioningStage),
        cycle=sorted(by_service.items()),
        since=since,
    )
