"""Running counts of sentiments and theme codings of submitted answers, for the results pages
(engage.learn.models SentimentTally and CodingTally).

They work as listen's running counts do (engage.listen.tally): before a flush that touches a
sentiment, a coding, an answer or a submitted response, what the answers concerned count for
is read from the database; after the flush it is read again and the difference added, in the
same transaction. Every sentiment and coding is written through the ORM, so no caller needs
to remember. Each is counted on its response's day and on ALL_TIME.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import bindparam, delete, inspect, select
from sqlalchemy.orm import Session

from engage.database import listen_to_session
from engage.extensions import db
from engage.learn.models import Coding, CodingTally, Sentiment, SentimentTally
from engage.listen import tally as listen_tally
from engage.listen.models import Answer, Response, ResponseStatus

ALL_TIME = listen_tally.ALL_TIME
NO_SENTIMENT = ""
_PENDING = "engage_learn_tally_pending"
_SEEN = "engage_learn_tally_seen"


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


_ANSWERS = (
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
    .where(
        Answer.id.in_(bindparam("ids", expanding=True)),
        Response.status == ResponseStatus.SUBMITTED,
        Response.submitted_at.is_not(None),
    )
)
_CODINGS = select(Coding.answer_id, Coding.theme_id).where(
    Coding.answer_id.in_(bindparam("ids", expanding=True))
)


def contributions(answer_ids: Iterable[int], connection=None) -> Counts:
    """What these answers' sentiments and codings count for now (only submitted answers)."""
    connection = connection or db.session.connection()
    counts = Counts()
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
        ) in connection.execute(_ANSWERS, {"ids": batch}):
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


# --- noticing ORM writes ------------------------------------------------------------------


def _touched(session: Session) -> tuple[set[int], set[int], list]:
    """Answer ids, response ids and new objects whose keys are known only after the flush."""
    answer_ids: set[int] = set()
    response_ids: set[int] = set()
    new: list = []
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, Sentiment | Coding):
            found = inspect(instance).dict.get("answer_id")
            if found is None:
                new.append(instance)
            else:
                answer_ids.add(found)
        elif isinstance(instance, Answer):
            response = listen_tally.response_of(session, instance)
            if response is not None and listen_tally.is_draft(response):
                continue
            identity = inspect(instance).identity
            if identity:
                answer_ids.add(identity[0])
        elif isinstance(instance, Response):
            if listen_tally.is_draft(instance):
                continue
            identity = inspect(instance).identity
            if identity:
                response_ids.add(identity[0])
    return answer_ids, response_ids, new


def _answers_of(connection, response_ids: set[int]) -> set[int]:
    found: set[int] = set()
    for batch in listen_tally.batches(response_ids):
        found.update(
            connection.execute(select(Answer.id).where(Answer.response_id.in_(batch))).scalars()
        )
    return found


def _fresh_counts(session: Session, first: set[int]) -> tuple[Counts, set[int]]:
    """What answers submitted in this transaction, touched by this flush for the first time,
    will count for after it: nothing was stored about them before, so it is what this flush
    adds (no query). Returns the counts and the answers they cover; an answer whose new rows
    are not all known yet is left to be read after the flush."""
    fresh = session.info[listen_tally.FRESH_ANSWERS]
    labels: dict[int, object] = {}
    themes: dict[int, list[int]] = {}
    unknown: set[int] = set()
    for instance in session.new:
        if not isinstance(instance, Sentiment | Coding):
            continue
        state = inspect(instance).dict
        answer_id = state.get("answer_id")
        if answer_id not in first:
            continue
        if isinstance(instance, Sentiment):
            confirmed = state.get("confirmed_label")
            labels[answer_id] = confirmed if confirmed is not None else state.get("label")
            if labels[answer_id] is None:
                unknown.add(answer_id)
        elif state.get("theme_id") is None:
            unknown.add(answer_id)
        else:
            themes.setdefault(answer_id, []).append(state["theme_id"])
    covered = first - unknown
    return _fresh_answer_counts(fresh, covered, labels, themes), covered


def _fresh_answer_counts(
    fresh: dict, answer_ids: Iterable[int], labels: dict, themes: dict[int, list[int]]
) -> Counts:
    counts = Counts()
    for answer_id in answer_ids:
        survey_id, day, group, channel = fresh[answer_id]
        label = labels.get(answer_id)
        mark = NO_SENTIMENT if label is None else _label(label)
        for when in (day, ALL_TIME):
            if label is not None:
                counts.sentiments[(survey_id, when, group, channel, label)] += 1
            for theme_id in themes.get(answer_id, ()):
                counts.codings[(survey_id, when, group, channel, theme_id, mark)] += 1
    return counts


def dimensions(response: Response) -> tuple:
    """What a submitted response's answers are counted under: (survey id, day, group,
    channel)."""
    return (
        response.survey_id,
        listen_tally.day_of(response.submitted_at),
        response.respondent_group,
        response.channel,
    )


def _labels_and_themes(sentiments: list[dict], codings: list[dict]) -> tuple[dict, dict]:
    labels = {row["answer_id"]: row.get("confirmed_label") or row["label"] for row in sentiments}
    themes: dict[int, list[int]] = {}
    for row in codings:
        themes.setdefault(row["answer_id"], []).append(row["theme_id"])
    return labels, themes


def count_new_rows(dimensions_by_answer: dict[int, tuple], sentiments, codings) -> None:
    """Count sentiment and coding rows about to be inserted by bulk statement for answers
    with none stored yet (what they counted for before is nothing). dimensions_by_answer
    holds the answers of submitted responses; any other answer counts nowhere."""
    labels, themes = _labels_and_themes(sentiments, codings)
    apply(_fresh_answer_counts(dimensions_by_answer, dimensions_by_answer, labels, themes))


def count_inserted(sentiments: list[dict], codings: list[dict]) -> bool:
    """Count sentiment and coding rows about to be inserted by bulk statement, for answers
    submitted in this transaction about which nothing is stored yet (no query). False, and
    nothing counted, if any answer is not one of those: write through the ORM instead, and
    the flush counts them."""
    session = db.session()
    fresh = session.info.get(listen_tally.FRESH_ANSWERS, {})
    seen = session.info.setdefault(_SEEN, set())
    answer_ids = {row["answer_id"] for row in chain(sentiments, codings)}
    if not answer_ids <= fresh.keys() or answer_ids & seen:
        return False
    labels, themes = _labels_and_themes(sentiments, codings)
    # From now on these answers have rows: a later change reads what they counted for.
    seen.update(answer_ids)
    counts = _fresh_answer_counts(fresh, answer_ids, labels, themes)
    listen_tally.write_at_commit(SentimentTally, "answers", counts.sentiments)
    listen_tally.write_at_commit(CodingTally, "codings", counts.codings)
    return True


def _before_flush(session: Session, _context, _instances) -> None:
    # What a failed flush (in a savepoint) left behind must not be applied by the next one.
    session.info.pop(_PENDING, None)
    answer_ids, response_ids, new = _touched(session)
    if not (answer_ids or response_ids or new):
        return
    connection = session.connection()
    if response_ids:
        answer_ids |= _answers_of(connection, response_ids)
    # Answers of a response submitted in this transaction had nothing stored about them
    # until this transaction's first flush that touched them: nothing to read for those.
    fresh = session.info.get(listen_tally.FRESH_ANSWERS, {})
    seen = session.info.setdefault(_SEEN, set())
    first = {answer_id for answer_id in answer_ids if answer_id in fresh and answer_id not in seen}
    seen.update(answer_ids)
    counted, covered = _fresh_counts(session, first) if first else (Counts(), set())
    before = contributions(answer_ids - first, connection)
    session.info[_PENDING] = (answer_ids - covered, new, before, counted, covered)


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    answer_ids, new, before, counted, covered = pending
    for instance in new:
        found = inspect(instance).dict.get("answer_id")
        if found is not None:
            answer_ids.add(found)
    if answer_ids & covered:
        # A row for a counted answer was known only by its object: read them all instead.
        answer_ids |= covered
        counted = Counts()
    connection = session.connection()
    change = contributions(answer_ids, connection) - before if answer_ids else Counts()
    change.sentiments.update(counted.sentiments)
    change.codings.update(counted.codings)
    apply(change, connection)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_SEEN, None)


def install() -> None:
    listen_to_session(
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("after_transaction_end", _after_transaction_end),
    )
