"""Figures over time for the results pages: responses per week or month, and the share of
positive answers to the scale questions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from engage.ask.models import Question
from engage.extensions import db
from engage.learn.charts import ChartData, Series
from engage.learn.scope import POSITIVE_CHOICES, SCALE_KINDS, Filters, Scope, tally_sums
from engage.listen.models import AnswerTally, ResponseTally
from engage.listen.tally import ANSWERED

MAX_TREND_BUCKETS = 156
AUTO_MONTHS_AFTER_DAYS = 26 * 7


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
    rows = tally_sums(ResponseTally, scope, filters, ("day",), by_day=True)
    if by == "auto":
        days = [_as_date(value) for value, _number in rows]
        by = "month" if days and (max(days) - min(days)).days > AUTO_MONTHS_AFTER_DAYS else "week"
    step = week_start if by == "week" else month_start
    per_bucket: dict[date, int] = defaultdict(int)
    for value, number in rows:
        per_bucket[step(_as_date(value))] += int(number)
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
    rows = tally_sums(
        AnswerTally,
        scope,
        filters,
        ("day", "value"),
        by_day=True,
        only={"question_id": _scale_questions(scope, key_contains)},
    )
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, value, number in rows:
        if value == ANSWERED:
            continue
        bucket = month_start(_as_date(day))
        totals[bucket][0] += number if value in POSITIVE_CHOICES else 0
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


def positive_share(
    scope: Scope, filters: Filters, *, key_contains: str | None = None
) -> tuple[int, int]:
    """(positive, all) answers to the scale questions (or to those whose key contains the
    words), over the whole span: the same answers as the share per month."""
    rows = tally_sums(
        AnswerTally,
        scope,
        filters,
        ("value",),
        only={"question_id": _scale_questions(scope, key_contains)},
    )
    chosen = [(value, number) for value, number in rows if value != ANSWERED]
    positive = sum(number for value, number in chosen if value in POSITIVE_CHOICES)
    return positive, sum(number for _value, number in chosen)


def _scale_questions(scope: Scope, key_contains: str | None) -> set[int]:
    """The feelings and agree scale questions of the scope's surveys (or those whose key
    contains the words)."""
    query = select(Question.id).where(
        Question.survey_id.in_(scope.survey_ids),
        Question.kind.in_(sorted(SCALE_KINDS, key=lambda k: k.value)),
    )
    if key_contains:
        query = query.where(Question.key.contains(key_contains, autoescape=True))
    return set(db.session.scalars(query))
