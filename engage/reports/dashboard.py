"""Commissioner dashboard figures, counted in SQL: responses by group, themes, actions,
loop closure and days from survey close to the first published update, per commissioner
organisation and per service; satisfaction and feeling listened to per service by quarter;
actions by status; which services had engagement at each commissioning stage in the last
12 months; and the charts of these figures (engage.reports.charts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from statistics import mean

from sqlalchemy import and_, case, distinct, func, select, union

from engage.ask.models import Question, Survey
from engage.extensions import db
from engage.improve.actions import CLOSED_STATUSES, overdue_clause, today
from engage.improve.models import STATUS_LABELS, Action, ActionStatus, action_theme
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    Organisation,
    Service,
    engagement_service,
)
from engage.learn.cache import cached
from engage.learn.charts import ChartData
from engage.learn.models import CodingTally
from engage.learn.results import POSITIVE_CHOICES, SCALE_KINDS
from engage.listen.models import (
    AnsweredHow,
    AnswerTally,
    RespondentGroup,
    Response,
    ResponseTally,
)
from engage.listen.tally import ALL_TIME, ANSWERED
from engage.reports import charts
from engage.respond.models import Update, UpdateStatus, update_action

# Young people answering themselves or with help: their own voice, as the results pages count
# it. Answers given on a young person's behalf, or that do not say how they were given, are
# counted with "other", not as the young person's own.
OWN_VOICE = (AnsweredHow.OWN, AnsweredHow.WITH_HELP)
YOUNG_OWN_VOICE = and_(
    Response.respondent_group == RespondentGroup.YOUNG_PERSON,
    Response.answered_how.in_(OWN_VOICE),
)
PARENTS = Response.respondent_group == RespondentGroup.PARENT_CARER


def days_text(days: int | None) -> str:
    """Days from a survey's close to an update, for people: an update published before the
    close is "before close", never a negative number."""
    if days is None:
        return "–"
    return "before close" if days < 0 else str(days)


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
        # An update published before the close counts as 0 days, not as a negative number.
        return mean(max(0, days) for days in self.days_to_update) if self.days_to_update else None


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

    @property
    def days_text(self) -> str:
        return days_text(self.days)


# Two years of quarters: the same span as the 12 months and the 12 before.
QUARTERS = 8
QUARTER_MONTHS = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")


@dataclass(frozen=True)
class QuarterShares:
    """Positive and all answers per quarter, for each service with any answers."""

    quarters: tuple[str, ...]
    services: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]
    chart: ChartData


@dataclass
class Dashboard:
    commissioners: list[Figures]
    services: list[Figures]
    engagements: list[EngagementTiming]
    stages: list[CommissioningStage]
    # service name -> stage -> number of engagements in the last 12 months
    cycle: list[tuple[str, dict[CommissioningStage, int]]]
    since: date
    # status label -> (actions, overdue ones), every action
    actions_by_status: dict[str, tuple[int, int]] = field(default_factory=dict)
    satisfied_by_quarter: QuarterShares | None = None
    listened_by_quarter: QuarterShares | None = None

    @property
    def loop_closure_chart(self) -> ChartData:
        rows = self.commissioners
        return charts.loop_closure(
            [row.name for row in rows],
            [row.themes for row in rows],
            [row.themes_closed for row in rows],
        )

    @property
    def own_voice_chart(self) -> ChartData:
        rows = self.services
        return charts.own_voice_share(
            [row.name for row in rows],
            [row.young_people for row in rows],
            [row.responses for row in rows],
        )

    @property
    def actions_chart(self) -> ChartData:
        return charts.actions_by_status(self.actions_by_status)


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


def _survey_engagements() -> dict[int, int]:
    return dict(db.session.execute(select(Survey.id, Survey.engagement_id)).all())


def _responses_per_engagement(engagement_of: dict[int, int]) -> dict[int, tuple[int, int, int]]:
    """(young people in their own voice, parents, all) submitted responses per engagement, from
    the running counts' all-time rows (a response belongs to one engagement)."""
    rows = db.session.execute(
        select(
            ResponseTally.survey_id,
            ResponseTally.respondent_group,
            ResponseTally.answered_how,
            func.sum(ResponseTally.responses),
        )
        .where(ResponseTally.day == ALL_TIME)
        .group_by(
            ResponseTally.survey_id, ResponseTally.respondent_group, ResponseTally.answered_how
        )
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for survey_id, group, how, number in rows:
        number = int(number)
        figures = totals[engagement_of[survey_id]]
        if group == RespondentGroup.YOUNG_PERSON and how in OWN_VOICE:
            figures[0] += number
        elif group == RespondentGroup.PARENT_CARER:
            figures[1] += number
        figures[2] += number
    return {engagement_id: tuple(values) for engagement_id, values in totals.items()}


def _themes_per_engagement(engagement_of: dict[int, int]) -> dict[int, set[int]]:
    """The themes coded on submitted answers, per engagement."""
    # From the all-time running counts of codings, which hold only submitted answers' codings.
    rows = db.session.execute(
        select(CodingTally.survey_id, CodingTally.theme_id)
        .where(CodingTally.day == ALL_TIME, CodingTally.codings > 0)
        .distinct()
    )
    themes: dict[int, set[int]] = defaultdict(set)
    for survey_id, theme_id in rows:
        themes[engagement_of[survey_id]].add(theme_id)
    return themes


# Which Figures field each (listened-to question?, in the last 12 months?) adds to.
_SCALE_FIELDS = {
    (False, True): ("satisfied",),
    (False, False): ("satisfied_before",),
    (True, True): ("satisfied", "listened"),
    (True, False): ("satisfied_before", "listened_before"),
}


def _survey_years(on: date) -> tuple[dict[int, bool], list[int]]:
    """Surveys whose responses all fall in the last 12 months (True) or all in the 12 before
    (False); and those with responses on both sides of an edge of the two years. From each
    survey's first and last day in the running counts of responses (a few rows per day)."""
    year_ago, two_years_ago = on - timedelta(days=365), on - timedelta(days=730)
    whole: dict[int, bool] = {}
    spanning: list[int] = []
    for survey_id, first, last in db.session.execute(
        select(ResponseTally.survey_id, func.min(ResponseTally.day), func.max(ResponseTally.day))
        .where(ResponseTally.day > ALL_TIME)
        .group_by(ResponseTally.survey_id)
    ):
        if last < two_years_ago or first > on:
            continue
        if year_ago <= first and last <= on:
            whole[survey_id] = True
        elif two_years_ago <= first and last < year_ago:
            whole[survey_id] = False
        else:
            spanning.append(survey_id)
    return whole, spanning


def _scales_per_engagement(
    engagement_of: dict[int, int], on: date
) -> dict[int, dict[str, tuple[int, int]]]:
    """Positive and all answers to feelings and agree scales (learn's definition), and to the
    'listened to' questions among them, submitted in the last 12 months and the 12 before
    (whole UTC days): from the running counts, not the answers themselves."""
    scale_questions = dict(
        db.session.execute(
            select(Question.id, Question.key).where(
                Question.kind.in_(sorted(SCALE_KINDS, key=lambda kind: kind.value))
            )
        ).all()
    )
    if not scale_questions:
        return {}
    whole, spanning = _survey_years(on)
    answers = AnswerTally.answers
    positive = func.sum(case((AnswerTally.value.in_(sorted(POSITIVE_CHOICES)), answers), else_=0))
    scale_answers = (
        AnswerTally.question_id.in_(sorted(scale_questions)),
        AnswerTally.value != ANSWERED,
    )
    rows = []
    if whole:
        # A survey within one of the two years: its all-time rows, a few per question.
        rows += [
            (question_id, survey_id, whole[survey_id], good, number)
            for question_id, survey_id, good, number in db.session.execute(
                select(AnswerTally.question_id, AnswerTally.survey_id, positive, func.sum(answers))
                .where(
                    *scale_answers,
                    AnswerTally.day == ALL_TIME,
                    AnswerTally.survey_id.in_(sorted(whole)),
                )
                .group_by(AnswerTally.question_id, AnswerTally.survey_id)
            )
        ]
    if spanning:
        # Across an edge: the rows per day (day > ALL_TIME) of the two years.
        recent = case((AnswerTally.day >= on - timedelta(days=365), 1), else_=0)
        rows += db.session.execute(
            select(
                AnswerTally.question_id, AnswerTally.survey_id, recent, positive, func.sum(answers)
            )
            .where(
                *scale_answers,
                AnswerTally.survey_id.in_(sorted(spanning)),
                AnswerTally.day > ALL_TIME,
                AnswerTally.day >= on - timedelta(days=730),
                AnswerTally.day <= on,
            )
            .group_by(AnswerTally.question_id, AnswerTally.survey_id, recent)
        ).all()
    shares: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for question_id, survey_id, in_last_year, good, number in rows:
        # The same test as learn's key_contains (LIKE, case-insensitive on SQLite).
        listened = "listened" in (scale_questions[question_id] or "").lower()
        for name in _SCALE_FIELDS[(listened, bool(in_last_year))]:
            counts = shares[engagement_of[survey_id]][name]
            counts[0] += int(good or 0)
            counts[1] += int(number)
    return {
        engagement_id: {name: (pair[0], pair[1]) for name, pair in names.items()}
        for engagement_id, names in shares.items()
    }


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


def _roll_up(
    figures: Figures,
    engagements: set[int],
    responses: dict[int, tuple[int, int, int]],
    themes: dict[int, set[int]],
    closed: set[int],
    scales: dict[int, dict[str, tuple[int, int]]],
) -> None:
    """Add up the figures of the engagements concerning a service or a commissioner: each
    engagement counts once, as each response or answer did when counted DISTINCT in SQL."""
    raised: set[int] = set()
    for engagement_id in engagements:
        young, parents, total = responses.get(engagement_id, (0, 0, 0))
        figures.young_people += young
        figures.parents += parents
        figures.responses += total
        raised |= themes.get(engagement_id, set())
        for name, (positive, answered) in scales.get(engagement_id, {}).items():
            before = getattr(figures, name)
            setattr(figures, name, (before[0] + positive, before[1] + answered))
    figures.themes = len(raised)
    figures.themes_closed = len(raised & closed)


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


def _quarters_to(on: date) -> list[tuple[int, int]]:
    year, quarter = _quarter(on)
    found = []
    for _ in range(QUARTERS):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter else (year - 1, 3)
    return found[::-1]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _scales_per_quarter(
    engagement_of: dict[int, int], on: date
) -> dict[str, dict[int, dict[tuple[int, int], list[int]]]]:
    """{"satisfied" or "listened": {engagement: {quarter: [positive, answers]}}} over the last
    QUARTERS quarters, from the running counts per day (the same answers, and the same
    'listened' rule, as the 12-month figures)."""
    found: dict[str, dict[int, dict[tuple[int, int], list[int]]]] = {
        "satisfied": defaultdict(lambda: defaultdict(lambda: [0, 0])),
        "listened": defaultdict(lambda: defaultdict(lambda: [0, 0])),
    }
    scale_questions = dict(
        db.session.execute(
            select(Question.id, Question.key).where(
                Question.kind.in_(sorted(SCALE_KINDS, key=lambda kind: kind.value))
            )
        ).all()
    )
    if not scale_questions:
        return found
    year, quarter = _quarters_to(on)[0]
    start = date(year, 3 * quarter + 1, 1)
    answers = AnswerTally.answers
    positive = func.sum(case((AnswerTally.value.in_(sorted(POSITIVE_CHOICES)), answers), else_=0))
    rows = db.session.execute(
        select(
            AnswerTally.survey_id,
            AnswerTally.question_id,
            AnswerTally.day,
            positive,
            func.sum(answers),
        )
        .where(
            AnswerTally.question_id.in_(sorted(scale_questions)),
            AnswerTally.value != ANSWERED,
            AnswerTally.day > ALL_TIME,
            AnswerTally.day >= start,
            AnswerTally.day <= on,
        )
        .group_by(AnswerTally.survey_id, AnswerTally.question_id, AnswerTally.day)
    )
    for survey_id, question_id, day, good, number in rows:
        kinds = ["satisfied"]
        if "listened" in (scale_questions[question_id] or "").lower():
            kinds.append("listened")
        for kind in kinds:
            counts = found[kind][engagement_of[survey_id]][_quarter(_as_date(day))]
            counts[0] += int(good or 0)
            counts[1] += int(number)
    return found


def _quarter_shares(
    kind: str,
    per_engagement: dict[int, dict[tuple[int, int], list[int]]],
    services: dict[int, Figures],
    reach: dict[tuple[str, int], set[int]],
    on: date,
) -> QuarterShares:
    """Each service's quarters (an engagement about two services counts for both), from the
    first quarter with any answers to this one."""
    quarters = _quarters_to(on)
    by_service = []
    for service_id, figures in services.items():
        pairs = []
        for quarter in quarters:
            positive = answered = 0
            for engagement_id in reach["service", service_id]:
                got = per_engagement.get(engagement_id, {}).get(quarter, (0, 0))
                positive, answered = positive + got[0], answered + got[1]
            pairs.append((positive, answered))
        if any(answered for _positive, answered in pairs):
            by_service.append((figures.name, pairs))
    first = min(
        (i for _name, pairs in by_service for i, (_p, answered) in enumerate(pairs) if answered),
        default=len(quarters) - 1,
    )
    labels = tuple(f"{QUARTER_MONTHS[q]} {year}" for year, q in quarters[first:])
    rows = tuple((name, tuple(pairs[first:])) for name, pairs in by_service)
    if kind == "satisfied":
        title = "Satisfaction per service, by quarter"
        description = (
            "Per cent of answers to feelings and agree scales that were positive (very happy or "
            "happy; strongly agree or agree), each quarter. The key gives each service's "
            "number of answers; the table each quarter's."
        )
    else:
        title = "Felt listened to, per service, by quarter"
        description = (
            "Per cent of answers to the 'listened to' questions that were positive, each "
            "quarter. The key gives each service's number of answers; the table each quarter's."
        )
    return QuarterShares(labels, rows, charts.share_over_quarters(title, description, labels, rows))


def _actions_by_status(on: date) -> dict[str, tuple[int, int]]:
    counted = {
        status: (int(number), int(overdue))
        for status, number, overdue in db.session.execute(
            select(
                Action.status, func.count(), func.count(case((overdue_clause(on), Action.id)))
            ).group_by(Action.status)
        )
    }
    return {label: counted.get(status, (0, 0)) for status, label in STATUS_LABELS.items()}


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


def build(on: date | None = None, *, use_cache: bool = True) -> Dashboard:
    """The dashboard as on a day; from the cache until any data under it change."""
    on = on or today()
    if not use_cache:
        return _build(on)
    return cached(("dashboard", on), partial(_build, on))


def _build(on: date) -> Dashboard:
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
    links = db.session.execute(
        select(engagement_service.c.engagement_id, Service.id, Service.commissioner_id).join(
            Service, Service.id == engagement_service.c.service_id
        )
    ).all()
    # Each engagement's figures are counted once, then added up to its services and to their
    # commissioners (the same totals as counting per scope in SQL, in one pass, not eight).
    engagement_of = _survey_engagements()
    responses = _responses_per_engagement(engagement_of)
    themes = _themes_per_engagement(engagement_of)
    closed = set(db.session.scalars(select(closed_themes().c.theme_id)))
    scales = _scales_per_engagement(engagement_of, on)
    reach: dict[tuple[str, int], set[int]] = defaultdict(set)
    for engagement_id, service_id, commissioner_id in links:
        reach["service", service_id].add(engagement_id)
        reach["commissioner", commissioner_id].add(engagement_id)
    for kind, figures in (("service", services), ("commissioner", commissioners)):
        for scope_id, row in figures.items():
            _roll_up(row, reach[kind, scope_id], responses, themes, closed, scales)
    for figures, scope in ((services, Service.id), (commissioners, Service.commissioner_id)):
        _fill(
            figures,
            db.session.execute(_actions_by(scope, on)),
            ("actions_open", "actions_overdue", "actions_done"),
        )

    timings = engagement_timings()
    days = {timing.id: timing.days for timing in timings if timing.days is not None}
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
    per_quarter = _scales_per_quarter(engagement_of, on)
    return Dashboard(
        commissioners=list(commissioners.values()),
        services=list(services.values()),
        engagements=timings,
        stages=list(CommissioningStage),
        cycle=sorted(by_service.items()),
        since=since,
        actions_by_status=_actions_by_status(on),
        satisfied_by_quarter=_quarter_shares(
            "satisfied", per_quarter["satisfied"], services, reach, on
        ),
        listened_by_quarter=_quarter_shares(
            "listened", per_quarter["listened"], services, reach, on
        ),
    )
