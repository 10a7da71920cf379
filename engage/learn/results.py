"""Results: what submitted responses add up to, counted in SQL (GROUP BY), for the results pages.

The counting rules and labels are in engage.learn.scope, sentiment and themes in
engage.learn.theme_results, figures over time in engage.learn.trends; this module counts
responses and answers per question and puts whole pages together (cached until the data
change, engage.learn.cache).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial

from sqlalchemy import Select, func, select

from engage.ask.kinds import STANDARD_OPTIONS
from engage.ask.models import Question, QuestionKind, Survey
from engage.extensions import db
from engage.inform.models import Engagement, Service
from engage.learn.cache import cached
from engage.learn.charts import ChartData, Series
from engage.learn.models import SentimentLabel
from engage.learn.scope import (  # noqa: F401  (the results API other modules import from here)
    CHOICE_KINDS,
    POSITIVE_CHOICES,
    SCALE_KINDS,
    SENTIMENT_LABELS,
    FilterError,
    Filters,
    Scope,
    engagement_scope,
    response_conditions,
    service_scope,
    survey_scope,
    tally_conditions,
    tally_sums,
)
from engage.learn.theme_results import (  # noqa: F401
    effective_sentiment,
    overall_sentiment,
    sentiment_by_theme,
    theme_charts,
    themes_by_group,
    top_themes,
)
from engage.learn.trends import (  # noqa: F401
    ShareOverTime,
    month_start,
    positive_share,
    positive_share_over_time,
    responses_over_time,
    week_start,
)
from engage.listen.models import (
    CHANNEL_LABELS,
    GROUP_LABELS,
    HOW_LABELS,
    AnsweredHow,
    AnswerTally,
    Channel,
    RespondentGroup,
    Response,
    ResponseTally,
)
from engage.listen.tally import ALL_TIME, ANSWERED

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

    def groups(self) -> list[tuple[str, int]]:
        """(label, responses) for each group that answered, in the usual order."""
        return [
            (GROUP_LABELS[g], self.by_group[g]) for g in RespondentGroup if self.by_group.get(g)
        ]

    def channels(self) -> list[tuple[str, int]]:
        return [(CHANNEL_LABELS[c], self.by_channel[c]) for c in Channel if self.by_channel.get(c)]

    @property
    def own_voice_share(self) -> str:
        """Young people in their own words, as a per cent of all responses."""
        return f"{round(100 * self.young_people_own_voice / self.total)}%" if self.total else "–"

    @property
    def young_people_own_voice(self) -> int:
        return self.by_group_and_how.get((RespondentGroup.YOUNG_PERSON, AnsweredHow.OWN), 0) + (
            self.by_group_and_how.get((RespondentGroup.YOUNG_PERSON, AnsweredHow.WITH_HELP), 0)
        )


def response_counts(scope: Scope, filters: Filters) -> ResponseCounts:
    rows = tally_sums(
        ResponseTally, scope, filters, ("respondent_group", "channel", "answered_how")
    )
    counts = ResponseCounts()
    for group, channel, how, number in rows:
        number = int(number)
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
    # From the running counts: how many people answered each question (value ANSWERED) and
    # how many chose each option (each option of a multiple choice counts on its own).
    rows = tally_sums(AnswerTally, survey_scope(survey), filters, ("question_id", "value"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    people: dict[int, int] = defaultdict(int)
    for question_id, value, number in rows:
        if value == ANSWERED:
            people[question_id] = int(number)
        else:
            counts[question_id][value] = int(number)

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


# --- whole pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeSummary:
    """A theme in the results summary: written answers coded to it, and their sentiment."""

    name: str
    answers: int
    positive: int
    neutral: int
    negative: int


@dataclass
class ResultsPage:
    counts: ResponseCounts
    questions: list[tuple[Survey, list[QuestionResult]]]
    sentiment: dict[SentimentLabel, int]
    sentiment_by_theme: ChartData
    themes_by_group: ChartData
    trend: ChartData
    # (positive, all) answers to the feelings and agree scales, and to 'listened to' ones.
    satisfied: tuple[int, int] = (0, 0)
    listened: tuple[int, int] = (0, 0)

    @staticmethod
    def share(counts: tuple[int, int]) -> int | None:
        positive, answered = counts
        return round(100 * positive / answered) if answered else None

    def top_themes(self, limit: int = 5) -> list[ThemeSummary]:
        """The themes with the most written answers (the order of the themes-by-group chart),
        each with the sentiment of those answers."""
        by_sentiment = {
            category: dict(
                zip((s.name for s in self.sentiment_by_theme.series), values, strict=True)
            )
            for category, values, _total in self.sentiment_by_theme.rows()
        }
        found = []
        for name, _values, total in self.themes_by_group.rows()[:limit]:
            feelings = by_sentiment.get(name, {})
            found.append(
                ThemeSummary(
                    name,
                    total,
                    feelings.get(SENTIMENT_LABELS[SentimentLabel.POSITIVE], 0),
                    feelings.get(SENTIMENT_LABELS[SentimentLabel.NEUTRAL], 0),
                    feelings.get(SENTIMENT_LABELS[SentimentLabel.NEGATIVE], 0),
                )
            )
        return found


@dataclass(frozen=True)
class _ResultsFigures:
    counts: ResponseCounts
    questions: dict[int, QuestionFigures]
    sentiment: dict[SentimentLabel, int]
    sentiment_by_theme: ChartData
    themes_by_group: ChartData
    trend: ChartData
    satisfied: tuple[int, int]
    listened: tuple[int, int]


def _results_figures(surveys: list[Survey], scope: Scope, filters: Filters) -> _ResultsFigures:
    by_theme, by_group = theme_charts(scope, filters)
    return _ResultsFigures(
        counts=response_counts(scope, filters),
        questions={survey.id: question_figures(survey, filters) for survey in surveys},
        sentiment=overall_sentiment(scope, filters),
        sentiment_by_theme=by_theme,
        themes_by_group=by_group,
        trend=responses_over_time(scope, filters, by="auto"),
        satisfied=positive_share(scope, filters),
        listened=positive_share(scope, filters, key_contains="listened"),
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
        satisfied=figures.satisfied,
        listened=figures.listened,
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
    # Only the all-time rows: each response is also counted once more on its own day.
    return {
        survey_id: int(number)
        for survey_id, number in db.session.execute(
            select(ResponseTally.survey_id, func.sum(ResponseTally.responses))
            .where(ResponseTally.day == ALL_TIME)
            .group_by(ResponseTally.survey_id)
        )
    }


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
    # Archived ones are out of the lists above, and their results still a link away.
    archived_surveys: list[tuple[Survey, int]] = field(default_factory=list)
    archived_engagements: list[Engagement] = field(default_factory=list)


def results_index(*, use_cache: bool = True) -> ResultsIndex:
    surveys = surveys_with_counts(use_cache=use_cache)
    engagements = list(db.session.scalars(select(Engagement).order_by(Engagement.title)))
    return ResultsIndex(
        surveys=[(survey, n) for survey, n in surveys if survey.archived_at is None],
        engagements=[e for e in engagements if e.archived_at is None],
        services=services_for_filters(),
        archived_surveys=[(survey, n) for survey, n in surveys if survey.archived_at is not None],
        archived_engagements=[e for e in engagements if e.archived_at is not None],
    )
