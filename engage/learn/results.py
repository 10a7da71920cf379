"""Results: what submitted responses add up to, counted in SQL (GROUP BY), for the results pages.

Only submitted responses count; drafts never do. Every function takes the same Scope (which
surveys) and Filters (group, service, dates, channel), so a filter applies to the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true

from engage.ask.kinds import STANDARD_OPTIONS
from engage.ask.models import Question, QuestionKind, Survey
from engage.extensions import db
from engage.inform.models import Engagement, Service, engagement_service
from engage.learn.cache import cached
from engage.learn.charts import ChartData, Series
from engage.learn.models import Coding, Sentiment, SentimentLabel, Theme
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
)

GROUP_LABELS = {
    RespondentGroup.YOUNG_PERSON: "Children and young people",
    RespondentGroup.PARENT_CARER: "Parents and carers",
    RespondentGroup.PROFESSIONAL: "Professionals",
    RespondentGroup.OTHER: "Someone else",
    RespondentGroup.NOT_SAID: "Not said",
}
CHANNEL_LABELS = {
    Channel.ONLINE: "Online",
    Channel.EASY_READ_ONLINE: "Easy read online",
    Channel.PAPER: "Paper",
    Channel.FOCUS_GROUP: "Focus group",
    Channel.PHONE: "Phone",
}
HOW_LABELS = {
    AnsweredHow.OWN: "On their own",
    AnsweredHow.WITH_HELP: "With help",
    AnsweredHow.ON_BEHALF: "Someone answered for them",
    AnsweredHow.NOT_SAID: "Not said",
}
SENTIMENT_LABELS = {
    SentimentLabel.POSITIVE: "Positive",
    SentimentLabel.NEUTRAL: "Neutral",
    SentimentLabel.NEGATIVE: "Negative",
}
CHOICE_KINDS = {
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.FEELINGS_SCALE,
    QuestionKind.AGREE_SCALE,
    QuestionKind.YES_NO,
    QuestionKind.RESPONDENT_GROUP,
    QuestionKind.AGE_BAND,
    QuestionKind.ANSWERED_HOW,
}
SCALE_KINDS = {QuestionKind.FEELINGS_SCALE, QuestionKind.AGREE_SCALE}
POSITIVE_CHOICES = {"very_happy", "happy", "strongly_agree", "agree"}
MAX_TREND_BUCKETS = 156
AUTO_MONTHS_AFTER_DAYS = 26 * 7


class FilterError(ValueError):
    """A filter value in the address cannot be used."""


@dataclass(frozen=True)
class Filters:
    group: RespondentGroup | None = None
    service_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    channel: Channel | None = None

    @property
    def active(self) -> bool:
        return any(
            v is not None
            for v in (self.group, self.service_id, self.date_from, self.date_to, self.channel)
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them."""
        args = {
            "group": self.group.value if self.group else None,
            "service": str(self.service_id) if self.service_id else None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "channel": self.channel.value if self.channel else None,
        }
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class Scope:
    """Which surveys a page covers: one survey, an engagement's, a service's, or all."""

    survey_ids: tuple[int, ...]


def survey_scope(survey: Survey) -> Scope:
    return Scope((survey.id,))


def engagement_scope(engagement: Engagement) -> Scope:
    return Scope(tuple(survey.id for survey in engagement.surveys))


def service_scope(service: Service) -> Scope:
    ids = db.session.scalars(
        select(Survey.id)
        .join(engagement_service, engagement_service.c.engagement_id == Survey.engagement_id)
        .where(engagement_service.c.service_id == service.id)
        .order_by(Survey.id)
    ).all()
    return Scope(tuple(ids))


def response_conditions(scope: Scope, filters: Filters) -> list[ColumnElement[bool]]:
    """WHERE clauses on Response shared by every count on a page."""
    conditions: list[ColumnElement[bool]] = [
        Response.status == ResponseStatus.SUBMITTED,
        Response.survey_id.in_(scope.survey_ids),
    ]
    if filters.group is not None:
        conditions.append(Response.respondent_group == filters.group)
    if filters.channel is not None:
        conditions.append(Response.channel == filters.channel)
    if filters.date_from is not None:
        conditions.append(Response.submitted_at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        conditions.append(Response.submitted_at < end)
    if filters.service_id is not None:
        # A response concerns the services of its survey's engagement.
        conditions.append(
            Response.survey_id.in_(
                select(Survey.id)
                .join(
                    engagement_service,
                    engagement_service.c.engagement_id == Survey.engagement_id,
                )
                .where(engagement_service.c.service_id == filters.service_id)
            )
        )
    return conditions


# --- response counts ---------------------------------------------------------------------


@dataclass
class ResponseCounts:
    total: int = 0
    by_group: dict[RespondentGroup, int] = field(default_factory=dict)
    by_channel: dict[Channel, int] = field(default_factory=dict)
    by_how: dict[AnsweredHow, int] = field(default_factory=dict)
    # (group, how) -> count: a young person's own voice kept apart from a parent's.
    by_group_and_how: dict[tuple[RespondentGroup, AnsweredHow], int] = field(default_factory=dict)

    def group_chart(self) -> ChartData:
        groups = [g for g in RespondentGroup if self.by_group.get(g)]
        return ChartData(
            title="Responses by who answered",
            description="Number of submitted responses from each group.",
            categories=tuple(GROUP_LABELS[g] for g in groups),
            series=(Series("Responses", tuple(self.by_group[g] for g in groups)),),
            category_heading="Group",
        )

    def channel_chart(self) -> ChartData:
        channels = [c for c in Channel if self.by_channel.get(c)]
        return ChartData(
            title="Responses by channel",
            description="Number of submitted responses by how they reached us.",
            categories=tuple(CHANNEL_LABELS[c] for c in channels),
            series=(Series("Responses", tuple(self.by_channel[c] for c in channels)),),
            category_heading="Channel",
        )

    def voice_chart(self) -> ChartData:
        """Each group split by how it was answered: own voice, with help, or on their behalf."""
        groups = [g for g in RespondentGroup if self.by_group.get(g)]
        hows = [h for h in AnsweredHow if self.by_how.get(h)]
        return ChartData(
            title="How each group answered",
            description=(
                "Submitted responses from each group, split by whether they answered on their "
                "own, with help, or someone answered for them."
            ),
            categories=tuple(GROUP_LABELS[g] for g in groups),
            series=tuple(
                Series(HOW_LABELS[h], tuple(self.by_group_and_how.get((g, h), 0) for g in groups))
                for h in hows
            ),
            category_heading="Group",
        )

    @property
    def young_people_own_voice(self) -> int:
        return self.by_group_and_how.get((RespondentGroup.YOUNG_PERSON, AnsweredHow.OWN), 0) + (
            self.by_group_and_how.get((RespondentGroup.YOUNG_PERSON, AnsweredHow.WITH_HELP), 0)
        )


def response_counts(scope: Scope, filters: Filters) -> ResponseCounts:
    rows = db.session.execute(
        select(Response.respondent_group, Response.channel, Response.answered_how, func.count())
        .where(*response_conditions(scope, filters))
        .group_by(Response.respondent_group, Response.channel, Response.answered_how)
    ).all()
    counts = ResponseCounts()
    for group, channel, how, number in rows:
        counts.total += number
        counts.by_group[group] = counts.by_group.get(group, 0) + number
        counts.by_channel[channel] = counts.by_channel.get(channel, 0) + number
        counts.by_how[how] = counts.by_how.get(how, 0) + number
        key = (group, how)
        counts.by_group_and_how[key] = counts.by_group_and_how.get(key, 0) + number
    return counts


# --- per-question charts -----------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int
    chart: ChartData | None  # None for free text: its words are in the quotes browser


def _json_array_values(column):
    """A table of the values of a JSON array column (multiple-choice answers)."""
    if db.engine.dialect.name == "postgresql":
        return func.json_array_elements_text(column).table_valued("value"), (
            func.json_typeof(column) == "array"
        )
    return func.json_each(column).table_valued("value"), func.json_type(column) == "array"


def question_results(survey: Survey, filters: Filters) -> list[QuestionResult]:
    return _attach_questions(survey, question_figures(survey, filters))


# (question id, people who answered, chart): plain data that a cache may keep across requests.
QuestionFigures = tuple[tuple[int, int, ChartData | None], ...]


def _attach_questions(survey: Survey, figures: QuestionFigures) -> list[QuestionResult]:
    questions = {question.id: question for question in survey.questions}
    return [
        QuestionResult(questions[question_id], answered, chart)
        for question_id, answered, chart in figures
        if question_id in questions
    ]


def question_figures(survey: Survey, filters: Filters) -> QuestionFigures:
    scope = survey_scope(survey)
    answered_in_scope = and_(
        Answer.response_id == Response.id,
        *response_conditions(scope, filters),
        Answer.skipped.is_(False),
    )
    # One pass for the choices and for how many people answered each question: a free-text or
    # multiple-choice answer has no choice, so it is counted by its text or choices.
    answered_otherwise = and_(
        Answer.choice.is_(None),
        or_(
            and_(Answer.text.is_not(None), Answer.text != ""),
            and_(Answer.choices.is_not(None), _not_json_null(Answer.choices)),
        ),
    )
    rows = db.session.execute(
        select(
            Answer.question_id,
            Answer.choice,
            func.count(),
            func.sum(case((answered_otherwise, 1), else_=0)),
        )
        .select_from(Answer)
        .join(Response, answered_in_scope)
        .group_by(Answer.question_id, Answer.choice)
    ).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    people: dict[int, int] = defaultdict(int)
    for question_id, choice, number, otherwise in rows:
        if choice is None:
            people[question_id] += int(otherwise or 0)
        else:
            counts[question_id][choice] = number
            people[question_id] += number

    multiple_ids = [q.id for q in survey.questions if q.kind == QuestionKind.MULTIPLE_CHOICE]
    if multiple_ids:
        values, is_array = _json_array_values(Answer.choices)
        multiple = db.session.execute(
            select(Answer.question_id, values.c.value, func.count())
            .select_from(Answer)
            .join(Response, answered_in_scope)
            .join(values, true())
            .where(Answer.question_id.in_(multiple_ids), Answer.choices.is_not(None), is_array)
            .group_by(Answer.question_id, values.c.value)
        ).all()
        for question_id, choice, number in multiple:
            counts[question_id][str(choice)] = number

    results = []
    for question in survey.questions:
        answered = people.get(question.id, 0)
        if question.kind == QuestionKind.FREE_TEXT:
            results.append((question.id, answered, None))
            continue
        options = [(o.value, o.text) for o in question.options] or [
            (o.value, o.text) for o in STANDARD_OPTIONS.get(question.kind, ())
        ]
        known = {value for value, _text in options}
        # Values no longer offered (an option removed after people chose it) still count.
        options += [(value, value) for value in sorted(counts[question.id]) if value not in known]
        description = (
            f"{answered} people answered."
            if question.kind != QuestionKind.MULTIPLE_CHOICE
            else f"{answered} people answered; each could choose more than one."
        )
        chart = ChartData(
            title=question.text,
            description=description,
            categories=tuple(text for _value, text in options),
            series=(Series("Responses", tuple(counts[question.id].get(v, 0) for v, _ in options)),),
        )
        results.append((question.id, answered, chart))
    return tuple(results)


def _not_json_null(column) -> ColumnElement[bool]:
    if db.engine.dialect.name == "postgresql":
        return func.json_typeof(column) != "null"
    return func.json_type(column) != "null"


# --- themes and sentiment ----------------------------------------------------------------


def effective_sentiment():
    """What staff confirmed, else what the analyser said."""
    return func.coalesce(Sentiment.confirmed_label, Sentiment.label)


def overall_sentiment(scope: Scope, filters: Filters) -> dict[SentimentLabel, int]:
    label = effective_sentiment()
    rows = db.session.execute(
        select(label, func.count())
        .select_from(Sentiment)
        .join(Answer, Answer.id == Sentiment.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(scope, filters))
        .group_by(label)
    ).all()
    return {_sentiment(value): number for value, number in rows}


def _sentiment(value) -> SentimentLabel:
    return value if isinstance(value, SentimentLabel) else SentimentLabel(value)


def sentiment_by_theme(scope: Scope, filters: Filters) -> ChartData:
    label = effective_sentiment()
    rows = db.session.execute(
        select(Theme.name, label, func.count())
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Sentiment, Sentiment.answer_id == Answer.id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name, label)
    ).all()
    table: dict[str, dict[SentimentLabel, int]] = defaultdict(dict)
    for theme, value, number in rows:
        table[theme][_sentiment(value)] = number
    themes = sorted(table, key=lambda name: (-sum(table[name].values()), name))
    return ChartData(
        title="Sentiment by theme",
        description=(
            "Free-text answers coded to each theme, by sentiment (confirmed by staff where "
            "they have reviewed it, otherwise as analysed)."
        ),
        categories=tuple(themes),
        series=tuple(
            Series(SENTIMENT_LABELS[s], tuple(table[t].get(s, 0) for t in themes))
            for s in SentimentLabel
        ),
        category_heading="Theme",
    )


def themes_by_group(scope: Scope, filters: Filters) -> ChartData:
    rows = db.session.execute(
        select(Theme.name, Response.respondent_group, func.count())
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name, Response.respondent_group)
    ).all()
    table: dict[str, dict[RespondentGroup, int]] = defaultdict(dict)
    for theme, group, number in rows:
        table[theme][group] = number
    themes = sorted(table, key=lambda name: (-sum(table[name].values()), name))
    groups = [g for g in RespondentGroup if any(table[t].get(g) for t in themes)]
    return ChartData(
        title="Themes by group",
        description="Free-text answers coded to each theme, by who answered.",
        categories=tuple(themes),
        series=tuple(
            Series(GROUP_LABELS[g], tuple(table[t].get(g, 0) for t in themes)) for g in groups
        ),
        category_heading="Theme",
    )


def top_themes(scope: Scope, filters: Filters, limit: int = 5) -> list[tuple[str, int]]:
    number = func.count(Coding.id)
    rows = db.session.execute(
        select(Theme.name, number)
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*response_conditions(scope, filters))
        .group_by(Theme.name)
        .order_by(number.desc(), Theme.name)
        .limit(limit)
    ).all()
    return [(name, count) for name, count in rows]


# --- over time ---------------------------------------------------------------------------


def _day(column):
    """The UTC calendar day of a timestamp, in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _buckets(first: date, last: date, by: str) -> list[date]:
    step = week_start if by == "week" else month_start
    bucket, end, out = step(first), step(last), []
    while bucket <= end and len(out) < MAX_TREND_BUCKETS:
        out.append(bucket)
        bucket = bucket + timedelta(days=7) if by == "week" else _next_month(bucket)
    return out


def _label(bucket: date, by: str) -> str:
    return f"w/c {bucket:%d %b %Y}" if by == "week" else f"{bucket:%b %Y}"


def responses_over_time(scope: Scope, filters: Filters, by: str = "week") -> ChartData:
    """Responses per week or month; "auto" picks months once the span passes half a year."""
    day = _day(Response.submitted_at)
    rows = db.session.execute(
        select(day, func.count()).where(*response_conditions(scope, filters)).group_by(day)
    ).all()
    if by == "auto":
        days = [_as_date(value) for value, _number in rows]
        by = "month" if days and (max(days) - min(days)).days > AUTO_MONTHS_AFTER_DAYS else "week"
    step = week_start if by == "week" else month_start
    per_bucket: dict[date, int] = defaultdict(int)
    for value, number in rows:
        per_bucket[step(_as_date(value))] += number
    buckets = _buckets(min(per_bucket), max(per_bucket), by) if per_bucket else []
    return ChartData(
        title="Responses per week" if by == "week" else "Responses per month",
        description="Submitted responses in each "
        + ("week (weeks begin on Monday)." if by == "week" else "month."),
        categories=tuple(_label(b, by) for b in buckets),
        series=(Series("Responses", tuple(per_bucket.get(b, 0) for b in buckets)),),
        category_heading="Week" if by == "week" else "Month",
        shape="column",
    )


@dataclass
class ShareOverTime:
    """Share of positive answers per month, with the numbers behind each percentage."""

    chart: ChartData
    positives: tuple[int, ...]
    answers: tuple[int, ...]


def positive_share_over_time(
    scope: Scope, filters: Filters, *, title: str, description: str, key_contains: str | None = None
) -> ShareOverTime:
    day = _day(Response.submitted_at)
    positive = func.sum(case((Answer.choice.in_(sorted(POSITIVE_CHOICES)), 1), else_=0))
    query = (
        select(day, func.count(), positive)
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            *response_conditions(scope, filters),
            Question.kind.in_(sorted(SCALE_KINDS, key=lambda k: k.value)),
            Answer.choice.is_not(None),
        )
        .group_by(day)
    )
    if key_contains:
        query = query.where(Question.key.contains(key_contains, autoescape=True))
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for value, number, good in db.session.execute(query).all():
        bucket = month_start(_as_date(value))
        totals[bucket][0] += int(good or 0)
        totals[bucket][1] += number
    buckets = _buckets(min(totals), max(totals), "month") if totals else []
    positives = tuple(totals[b][0] if b in totals else 0 for b in buckets)
    answers = tuple(totals[b][1] if b in totals else 0 for b in buckets)
    shares = tuple(round(100 * p / n) if n else 0 for p, n in zip(positives, answers, strict=True))
    chart = ChartData(
        title=title,
        description=description,
        categories=tuple(_label(b, "month") for b in buckets),
        series=(Series("Per cent positive", shares),),
        category_heading="Month",
        shape="column",
    )
    return ShareOverTime(chart, positives, answers)


# --- whole pages -------------------------------------------------------------------------


@dataclass
class ResultsPage:
    counts: ResponseCounts
    questions: list[tuple[Survey, list[QuestionResult]]]
    sentiment: dict[SentimentLabel, int]
    sentiment_by_theme: ChartData
    themes_by_group: ChartData
    trend: ChartData


@dataclass(frozen=True)
class _ResultsFigures:
    counts: ResponseCounts
    questions: dict[int, QuestionFigures]
    sentiment: dict[SentimentLabel, int]
    sentiment_by_theme: ChartData
    themes_by_group: ChartData
    trend: ChartData


def _results_figures(surveys: list[Survey], scope: Scope, filters: Filters) -> _ResultsFigures:
    return _ResultsFigures(
        counts=response_counts(scope, filters),
        questions={survey.id: question_figures(survey, filters) for survey in surveys},
        sentiment=overall_sentiment(scope, filters),
        sentiment_by_theme=sentiment_by_theme(scope, filters),
        themes_by_group=themes_by_group(scope, filters),
        trend=responses_over_time(scope, filters, by="auto"),
    )


def results_page(surveys: list[Survey], filters: Filters, *, use_cache: bool = True) -> ResultsPage:
    """Everything on a survey's or an engagement's results page, under one set of filters.

    The figures come from the cache until any data under them change (engage.learn.cache);
    the surveys and questions are this request's own objects.
    """
    scope = Scope(tuple(survey.id for survey in surveys))
    compute = partial(_results_figures, surveys, scope, filters)
    figures = cached(("results", scope, filters), compute) if use_cache else compute()
    return ResultsPage(
        counts=figures.counts,
        questions=[
            (survey, _attach_questions(survey, figures.questions[survey.id])) for survey in surveys
        ],
        sentiment=figures.sentiment,
        sentiment_by_theme=figures.sentiment_by_theme,
        themes_by_group=figures.themes_by_group,
        trend=figures.trend,
    )


@dataclass
class ServicePage:
    surveys: list[Survey]
    counts: ResponseCounts
    responses: ChartData
    satisfaction: ShareOverTime
    listened: ShareOverTime
    top_themes: list[tuple[str, int]]


def service_page(service: Service, filters: Filters, *, use_cache: bool = True) -> ServicePage:
    """For contract monitoring: a service's responses, satisfaction and feeling listened to."""
    scope = service_scope(service)
    surveys = list(
        db.session.scalars(
            select(Survey).where(Survey.id.in_(scope.survey_ids)).order_by(Survey.title)
        )
    )
    compute = partial(_service_figures, scope, filters)
    figures = cached(("service", scope, filters), compute) if use_cache else compute()
    return replace(figures, surveys=surveys)


def _service_figures(scope: Scope, filters: Filters) -> ServicePage:
    return ServicePage(
        surveys=[],
        counts=response_counts(scope, filters),
        responses=responses_over_time(scope, filters, by="month"),
        satisfaction=positive_share_over_time(
            scope,
            filters,
            title="Satisfaction per month",
            description=(
                "Per cent of answers to feelings and agree scales that were positive (very "
                "happy or happy; strongly agree or agree)."
            ),
        ),
        listened=positive_share_over_time(
            scope,
            filters,
            title="Felt listened to, per month",
            description="Per cent of answers to the 'listened to' questions that were positive.",
            key_contains="listened",
        ),
        top_themes=top_themes(scope, filters),
    )


# --- what the filter menus offer ---------------------------------------------------------


def services_for_filters() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.name)))


def submitted_per_survey() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Response.survey_id, func.count())
            .where(Response.status == ResponseStatus.SUBMITTED)
            .group_by(Response.survey_id)
        ).all()
    )


def surveys_with_counts(*, use_cache: bool = True) -> list[tuple[Survey, int]]:
    counts = cached(("submitted",), submitted_per_survey) if use_cache else submitted_per_survey()
    surveys = db.session.scalars(select(Survey).order_by(Survey.title, Survey.id))
    return [(survey, counts.get(survey.id, 0)) for survey in surveys]


def select_submitted(scope: Scope, filters: Filters) -> Select:
    """Submitted response ids in scope, for callers that page through responses."""
    return select(Response.id).where(*response_conditions(scope, filters))


@dataclass
class ResultsIndex:
    surveys: list[tuple[Survey, int]]
    engagements: list[Engagement]
    services: list[Service]


def results_index(*, use_cache: bool = True) -> ResultsIndex:
    return ResultsIndex(
        surveys=surveys_with_counts(use_cache=use_cache),
        engagements=list(db.session.scalars(select(Engagement).order_by(Engagement.title))),
        services=services_for_filters(),
    )
