"""What a results figure counts: submitted responses of a scope of surveys, under the page's
filters (group, service, dates, channel, language); and the labels the results pages use.

Only submitted responses count; drafts never do. Every figure takes the same Scope and Filters,
so a filter applies to the whole page. Figures read the running counts (tally_sums), which are
not kept by language: under a language filter the same counts are made afresh from the rows of
the responses it picks, by the running counts' own rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select

from engage.ask.models import QuestionKind, Survey
from engage.extensions import db
from engage.inform.models import Engagement, Service, engagement_service
from engage.learn import tally as learn_tally
from engage.learn.models import CodingTally, SentimentLabel, SentimentTally
from engage.listen import tally as listen_tally
from engage.listen.models import (
    Answer,
    AnswerTally,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
    ResponseTally,
)
from engage.listen.tally import ALL_TIME

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


class FilterError(ValueError):
    """A filter value in the address cannot be used."""


@dataclass(frozen=True)
class Filters:
    group: RespondentGroup | None = None
    service_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    channel: Channel | None = None
    # The language responses were submitted in (the running counts are not kept by it:
    # tally_sums counts from the rows under it, and tally_conditions ignores it).
    language: str | None = None

    @property
    def active(self) -> bool:
        return any(
            v is not None
            for v in (
                self.group,
                self.service_id,
                self.date_from,
                self.date_to,
                self.channel,
                self.language,
            )
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links that keep them."""
        args = {
            "group": self.group.value if self.group else None,
            "service": str(self.service_id) if self.service_id else None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "channel": self.channel.value if self.channel else None,
            "language": self.language,
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
    if filters.language is not None:
        conditions.append(Response.language == filters.language)
    if filters.date_from is not None:
        conditions.append(Response.submitted_at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        conditions.append(Response.submitted_at < end)
    if filters.service_id is not None:
        # A response concerns the services of its survey's engagement.
        conditions.append(Response.survey_id.in_(_service_surveys(filters.service_id)))
    return conditions


def tally_conditions(
    tally, scope: Scope, filters: Filters, *, by_day: bool = False
) -> list[ColumnElement[bool]]:
    """The same choice of responses as response_conditions, on a table of running counts
    (engage.listen.models ResponseTally or AnswerTally), which only count submitted ones.

    Without a date filter the all-time rows are read, unless the caller needs each day."""
    conditions: list[ColumnElement[bool]] = [tally.survey_id.in_(scope.survey_ids)]
    if by_day or filters.date_from is not None or filters.date_to is not None:
        conditions.append(tally.day > ALL_TIME)
    else:
        conditions.append(tally.day == ALL_TIME)
    if filters.group is not None:
        conditions.append(tally.respondent_group == filters.group)
    if filters.channel is not None:
        conditions.append(tally.channel == filters.channel)
    if filters.date_from is not None:
        conditions.append(tally.day >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(tally.day <= filters.date_to)
    if filters.service_id is not None:
        conditions.append(tally.survey_id.in_(_service_surveys(filters.service_id)))
    return conditions


def _service_surveys(service_id: int):
    return (
        select(Survey.id)
        .join(engagement_service, engagement_service.c.engagement_id == Survey.engagement_id)
        .where(engagement_service.c.service_id == service_id)
    )


# What each table of running counts counts (the column summed).
_NUMBERS = {
    ResponseTally: "responses",
    AnswerTally: "answers",
    SentimentTally: "answers",
    CodingTally: "codings",
}


def tally_sums(
    tally,
    scope: Scope,
    filters: Filters,
    by: Sequence[str],
    *,
    by_day: bool = False,
    only: dict[str, Collection] | None = None,
    named: tuple[str, type] | None = None,
) -> list[tuple]:
    """A table of running counts summed by the key columns named in `by`: one (values of
    `by`..., sum) a combination, for the responses the scope and filters pick; `only` keeps
    the rows whose column is one of the values given; `named` ("theme_id", Theme) gives that
    column as the record's name (several records of one name are summed together). Rows
    summing to nothing are left out."""
    only = only or {}
    if filters.language is not None:
        return _named(_sums_from_rows(tally, scope, filters, by, only), by, named)
    number = getattr(tally, _NUMBERS[tally])
    columns = [getattr(tally, name) for name in by]
    if named:
        column, model = named
        columns[by.index(column)] = model.name
    query = select(*columns, func.sum(number)).select_from(tally)
    if named:
        query = query.join(model, model.id == getattr(tally, column))
    rows = db.session.execute(
        query.where(
            *tally_conditions(tally, scope, filters, by_day=by_day),
            *(getattr(tally, name).in_(sorted(values)) for name, values in only.items()),
        ).group_by(*columns)
    ).all()
    return [(*values, int(total)) for *values, total in rows if total]


def _named(rows: list[tuple], by: Sequence[str], named: tuple[str, type] | None) -> list[tuple]:
    if not named or not rows:
        return rows
    column, model = named
    at = by.index(column)
    ids = {row[at] for row in rows}
    query = select(model.id, model.name).where(model.id.in_(ids))
    names = {record_id: name for record_id, name in db.session.execute(query)}
    sums: Counter = Counter()
    for *values, total in rows:
        if values[at] in names:
            values[at] = names[values[at]]
            sums[tuple(values)] += total
    return [(*values, total) for values, total in sums.items()]


def _sums_from_rows(tally, scope: Scope, filters: Filters, by, only) -> list[tuple]:
    """What tally_sums reads from the table, counted afresh from the responses the filters
    pick (response_conditions takes every filter, the language too): fine for the few
    thousand responses of a survey, not for a whole area's history."""
    names = listen_tally.key_names(tally)
    day = names.index("day")
    positions = [names.index(name) for name in by]
    kept = [(names.index(name), set(values)) for name, values in only.items()]
    sums: Counter = Counter()
    for key, amount in _counted_afresh(tally, scope, filters).items():
        # Each row is counted on its day and on ALL_TIME: the days alone add up to it all.
        if key[day] == ALL_TIME or not all(key[at] in values for at, values in kept):
            continue
        sums[tuple(key[at] for at in positions)] += amount
    return [(*values, total) for values, total in sums.items() if total]


def _counted_afresh(tally, scope: Scope, filters: Filters) -> Counter:
    picked = select(Response.id).where(*response_conditions(scope, filters))
    if tally in (ResponseTally, AnswerTally):
        counts = listen_tally.contributions(db.session.scalars(picked).all())
        return counts.responses if tally is ResponseTally else counts.answers
    answers = db.session.scalars(select(Answer.id).where(Answer.response_id.in_(picked))).all()
    counts = learn_tally.contributions(answers)
    return counts.sentiments if tally is SentimentTally else counts.codings
