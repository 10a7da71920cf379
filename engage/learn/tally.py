"""Running counts of sentiments and theme codings of submitted answers, for the results pages
(engage.learn.models SentimentTally and CodingTally).

They change in the same transaction as the rows they count, by explicit calls where
sentiments and codings are written: `add_new_rows` for answers analysed for the first time,
`recount(answer ids)` around re-analysis and staff review, and listen's `recount(response ids)`
(erasure, purge), which calls `recount_responses` here. Each renews the figures token. Each
answer is counted on its response's day and on ALL_TIME.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, select

from engage import figures
from engage.extensions import db
from engage.learn.models import Coding, CodingTally, Sentiment, SentimentTally
from engage.listen import tally as listen_tally
from engage.listen.models import Answer, Response, ResponseStatus

ALL_TIME = listen_tally.ALL_TIME
NO_SENTIMENT = ""


@dataclass
class Counts:
    sentiments: Counter = field(default_factory=Counter)
    codings: Counter = field(default_factory=Counter)

    def __sub__(self, other: Counts) -> Counts:
        result = Counts(Counter(self.sentiments), Counter(self.codings))
        result.sentiments.subtract(other.sentiments)
        result.codings.subtract(other.codings)
        return result

    def __bool__(self) -> bool:
        return any(self.sentiments.values()) or any(self.codings.values())


def _label(value) -> str:
    return value.value if hasattr(value, "value") else value


_SELECT_ANSWERS = (
    select(
        Answer.id,
        Response.survey_id,
        Response.submitted_at,
        Response.respondent_group,
        Response.channel,
        Sentiment.label,
        Sentiment.confirmed_label,
    )
    .join(Response, Response.id == Answer.response_id)
    .outerjoin(Sentiment, Sentiment.answer_id == Answer.id)
    .where(Response.status == ResponseStatus.SUBMITTED, Response.submitted_at.is_not(None))
)
_ANSWERS = _SELECT_ANSWERS.where(Answer.id.in_(bindparam("ids", expanding=True)))
_ANSWERS_OF_RESPONSES = _SELECT_ANSWERS.where(
    Answer.response_id.in_(bindparam("ids", expanding=True))
)
_CODINGS = select(Coding.answer_id, Coding.theme_id).where(
    Coding.answer_id.in_(bindparam("ids", expanding=True))
)


def contributions(answer_ids: Iterable[int], connection=None, of_responses=False) -> Counts:
    """What these answers' sentiments and codings count for now (only submitted answers);
    of_responses: the answers of these responses."""
    connection = connection or db.session.connection()
    counts = Counts()
    query = _ANSWERS_OF_RESPONSES if of_responses else _ANSWERS
    for batch in listen_tally.batches(answer_ids):
        answers = {}
        for (
            answer_id,
            survey_id,
            submitted_at,
            group,
            channel,
            analysed,
            confirmed,
        ) in connection.execute(query, {"ids": batch}):
            label = confirmed if confirmed is not None else analysed
            days = (listen_tally.day_of(submitted_at), ALL_TIME)
            answers[answer_id] = (survey_id, days, group, channel, label)
            if label is not None:
                for day in days:
                    counts.sentiments[(survey_id, day, group, channel, label)] += 1
        if not answers:
            continue
        for answer_id, theme_id in connection.execute(_CODINGS, {"ids": list(answers)}):
            survey_id, days, group, channel, label = answers[answer_id]
            mark = NO_SENTIMENT if label is None else _label(label)
            for day in days:
                counts.codings[(survey_id, day, group, channel, theme_id, mark)] += 1
    return counts


def apply(change: Counts, connection=None) -> None:
    if not change:
        return
    connection = connection or db.session.connection()
    listen_tally.write_counts(connection, SentimentTally, "answers", change.sentiments)
    listen_tally.write_counts(connection, CodingTally, "codings", change.codings)


def _all_submitted_answer_ids(connection) -> list[int]:
    return list(
        connection.execute(
            select(Answer.id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.status == ResponseStatus.SUBMITTED)
        ).scalars()
    )


def differences(limit: int = 10) -> list[str]:
    connection = db.session.connection()
    expected = contributions(_all_submitted_answer_ids(connection), connection)
    stored = Counts(
        listen_tally.read_counts(connection, SentimentTally, "answers"),
        listen_tally.read_counts(connection, CodingTally, "codings"),
    )
    change = stored - expected
    found = listen_tally.describe_differences(
        "sentiments", change.sentiments
    ) + listen_tally.describe_differences("codings", change.codings)
    return found[:limit]


def rebuild() -> Counts:
    connection = db.session.connection()
    connection.execute(delete(SentimentTally))
    connection.execute(delete(CodingTally))
    counts = contributions(_all_submitted_answer_ids(connection), connection)
    apply(counts, connection)
    return counts


# --- explicit calls where sentiments and codings are written -----------------------------


@contextlib.contextmanager
def recount(answer_ids: Iterable[int]) -> Iterator[None]:
    """Around changes to these answers' sentiments or codings (re-analysis, staff review)."""
    answer_ids = sorted(set(answer_ids))
    if not answer_ids:
        yield
        return
    db.session.flush()
    before = contributions(answer_ids)
    yield
    db.session.flush()
    apply(contributions(answer_ids) - before)
    figures.renew()


@contextlib.contextmanager
def recount_responses(response_ids: list[int]) -> Iterator[None]:
    """For listen's recount (erasure, purge): these responses' answers, before and after."""
    before = contributions(response_ids, of_responses=True)
    yield
    apply(contributions(response_ids, of_responses=True) - before)


def dimensions(response: Response) -> tuple:
    """What a submitted response's answers are counted under: (survey id, day, group,
    channel)."""
    return (
        response.survey_id,
        listen_tally.day_of(response.submitted_at),
        response.respondent_group,
        response.channel,
    )


def add_new_rows(dimensions_by_answer: dict[int, tuple], sentiments, codings) -> None:
    """Count sentiment and coding rows about to be inserted by bulk statement for answers
    with none stored yet (what they counted for before is nothing; no query).
    dimensions_by_answer holds the answers of submitted responses; any other counts nowhere."""
    labels = {row["answer_id"]: row.get("confirmed_label") or row["label"] for row in sentiments}
    themes: dict[int, list[int]] = {}
    for row in codings:
        themes.setdefault(row["answer_id"], []).append(row["theme_id"])
    counts = Counts()
    for answer_id, (survey_id, day, group, channel) in dimensions_by_answer.items():
        label = labels.get(answer_id)
        mark = NO_SENTIMENT if label is None else _label(label)
        for when in (day, ALL_TIME):
            if label is not None:
                counts.sentiments[(survey_id, when, group, channel, label)] += 1
            for theme_id in themes.get(answer_id, ()):
                counts.codings[(survey_id, when, group, channel, theme_id, mark)] += 1
    apply(counts)
    figures.renew()
