"""Running counts of submitted responses and answers, for results pages that must not read
every answer (engage.listen.models ResponseTally and AnswerTally).

The counts change in the same transaction as the rows they count, so they are never ahead of
or behind the answers:

- ORM writes are covered by session events: before a flush that touches a submitted (or
  newly submitted) response or its answers, what those responses count for is read from the
  database; after the flush it is read again and the difference is added. Every write path
  is covered without each one remembering to, as with the figures cache.
- Bulk statements bypass the flush, so their callers say what they touched: the submit hook
  (one response becomes submitted), `recount` around the retention purge, `add` after the
  synthetic bulk inserts.

`differences()` compares the stored counts with counts made afresh from the rows; the test
suite checks it after every test, and `engage tally check` / `engage tally rebuild` do the
same for an installation (after editing the database by hand, say).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from itertools import chain, islice

from sqlalchemy import bindparam, delete, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from engage.database import listen_to_session
from engage.extensions import db
from engage.listen.models import (
    Answer,
    AnswerTally,
    Response,
    ResponseStatus,
    ResponseTally,
)

# "" in AnswerTally.value: people who answered the question, whatever they chose.
ANSWERED = ""
# Every response is counted twice: on its day, and on this day, which stands for all time,
# so that a page without a date filter reads a few hundred rows per survey, not one per day.
ALL_TIME = date(1, 1, 1)
_BATCH = 500
_PENDING = "engage_tally_pending"
# Answer id -> (survey id, day, respondent group, channel) of answers submitted just now.
FRESH_ANSWERS = "engage_fresh_answers"
_AT_COMMIT = "engage_tally_at_commit"

ResponseKey = tuple  # (survey_id, day, respondent_group, channel, answered_how)
AnswerKey = tuple  # (survey_id, day, respondent_group, channel, question_id, value)


@dataclass
class Counts:
    responses: Counter = field(default_factory=Counter)
    answers: Counter = field(default_factory=Counter)

    def __sub__(self, other: Counts) -> Counts:
        result = Counts(Counter(self.responses), Counter(self.answers))
        result.responses.subtract(other.responses)
        result.answers.subtract(other.answers)
        return result

    def __bool__(self) -> bool:
        return any(self.responses.values()) or any(self.answers.values())


def day_of(moment: datetime) -> date:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def answer_values(choice, choices, text, skipped) -> list[str]:
    """What one answer counts for: ANSWERED if the person answered, and each value chosen.

    The same rules as counting from the answers themselves: a skipped answer counts for
    nothing; a choice, any words, or a list of choices count as answering.
    """
    if skipped:
        return []
    values = []
    if choice is not None or (text is not None and text != "") or choices is not None:
        values.append(ANSWERED)
    if choice is not None and choice != ANSWERED:
        values.append(choice)
    if isinstance(choices, list):
        values.extend(str(value) for value in choices)
    return values


def count_responses(counts: Counts, rows: Iterable[tuple[tuple, Iterable]]) -> None:
    """Add what each (response row, its answer rows) counts for: on its day, then on ALL_TIME.

    Keys are gathered in lists and counted by Counter in one call each, and the all-time
    rows summed from the day rows: bulk loads count millions of answers."""
    response_keys: list[tuple] = []
    answer_keys: list[tuple] = []
    for (survey_id, submitted_at, group, channel, how), answer_rows in rows:
        base = (survey_id, day_of(submitted_at), group, channel)
        response_keys.append((*base, how))
        answer_keys.extend(
            (*base, question_id, value)
            for question_id, choice, choices, text, skipped in answer_rows
            for value in answer_values(choice, choices, text, skipped)
        )
    for keys, target in ((response_keys, counts.responses), (answer_keys, counts.answers)):
        by_day = Counter(keys)
        target.update(by_day)
        all_time: Counter = Counter()
        for key, amount in by_day.items():
            all_time[(key[0], ALL_TIME, *key[2:])] += amount
        target.update(all_time)


def count_response(counts: Counts, response_row, answer_rows: Iterable) -> None:
    count_responses(counts, [(response_row, answer_rows)])


def of_response(response: Response) -> Counts:
    """What a submitted response counts for, from the objects as loaded (no query)."""
    counts = Counts()
    if response.status != ResponseStatus.SUBMITTED or response.submitted_at is None:
        return counts
    count_response(
        counts,
        (
            response.survey_id,
            response.submitted_at,
            response.respondent_group,
            response.channel,
            response.answered_how,
        ),
        (
            (answer.question_id, answer.choice, answer.choices, answer.text, answer.skipped)
            for answer in response.answers
        ),
    )
    return counts


def batches(ids: Iterable[int]) -> Iterator[list[int]]:
    it = iter(sorted(set(ids)))
    while batch := list(islice(it, _BATCH)):
        yield batch


_RESPONSES = select(
    Response.id,
    Response.survey_id,
    Response.submitted_at,
    Response.respondent_group,
    Response.channel,
    Response.answered_how,
).where(
    Response.id.in_(bindparam("ids", expanding=True)),
    Response.status == ResponseStatus.SUBMITTED,
    Response.submitted_at.is_not(None),
)
_ANSWERS = select(
    Answer.response_id,
    Answer.question_id,
    Answer.choice,
    Answer.choices,
    Answer.text,
    Answer.skipped,
).where(Answer.response_id.in_(bindparam("ids", expanding=True)))


def contributions(ids: Iterable[int], connection=None) -> Counts:
    """What these responses count for now, read from the database (drafts count nothing)."""
    connection = connection or db.session.connection()
    counts = Counts()
    for batch in batches(ids):
        responses = {row[0]: row[1:] for row in connection.execute(_RESPONSES, {"ids": batch})}
        if not responses:
            continue
        answers: dict[int, list] = {response_id: [] for response_id in responses}
        for row in connection.execute(_ANSWERS, {"ids": list(responses)}):
            answers[row[0]].append(row[1:])
        for response_id, response_row in responses.items():
            count_response(counts, response_row, answers[response_id])
    return counts


# --- writing the counts -------------------------------------------------------------------


_STATEMENTS: dict[tuple, tuple[str, str]] = {}


def _statements(connection, model, number: str) -> tuple[str, str]:
    """The upsert and the delete of emptied rows for a table of counts, as the driver's own
    SQL, built once: the submit and bulk loads run them for thousands of rows, and SQLAlchemy's
    per-row work cost more than the database's. The same SQL runs on SQLite and PostgreSQL."""
    dialect = connection.dialect
    found = _STATEMENTS.get((dialect.name, model, number))
    if found is None:
        table = model.__table__.name
        names = key_names(model)
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        columns = ", ".join((*names, number))
        # Names come from the models, values are always bound: nothing typed reaches the SQL.
        upsert = (
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join([mark] * (len(names) + 1))}) "  # noqa: S608  # nosec B608
            f"ON CONFLICT ({', '.join(names)}) "
            f"DO UPDATE SET {number} = {table}.{number} + excluded.{number}"
        )
        emptied = (
            f"DELETE FROM {table} WHERE "  # noqa: S608  # nosec B608
            + " AND ".join(f"{name} = {mark}" for name in names)
            + f" AND {number} <= 0"
        )
        found = _STATEMENTS[(dialect.name, model, number)] = (upsert, emptied)
    return found


def _driver_value(value, sqlite_dates: bool):
    if isinstance(value, Enum):
        return value.value
    if sqlite_dates and isinstance(value, date):
        return value.isoformat()  # as SQLAlchemy's Date stores it on SQLite
    return value


class _DriverKeys(dict):
    """Keys of counts as the driver takes them, kept: each submit writes about 30 keys that
    earlier submits (same survey, day and answers) wrote too."""

    def __init__(self, sqlite_dates: bool) -> None:
        super().__init__()
        self.sqlite_dates = sqlite_dates

    def __missing__(self, key: tuple) -> tuple:
        if len(self) >= _DRIVER_KEYS_KEPT:
            self.clear()
        row = self[key] = tuple(_driver_value(part, self.sqlite_dates) for part in key)
        return row


_DRIVER_KEYS_KEPT = 20_000
_DRIVER_KEYS = {True: _DriverKeys(True), False: _DriverKeys(False)}


def key_names(model) -> tuple[str, ...]:
    return tuple(column.name for column in model.__table__.primary_key.columns)


def _sort_key(key: tuple) -> tuple:
    return tuple(part.value if hasattr(part, "value") else part for part in key)


def write_counts(connection, model, number: str, counter: Counter) -> None:
    """Add a counter of (key tuple in primary-key order) -> amount to a table of counts;
    rows that fall to nothing are deleted (they would stretch the date range of a chart)."""
    driver_keys = _DRIVER_KEYS[connection.dialect.name == "sqlite"]
    # Sorted, so that two transactions on PostgreSQL lock shared rows in the same order.
    rows = sorted((*driver_keys[key], amount) for key, amount in counter.items() if amount)
    if not rows:
        return
    upsert, emptied = _statements(connection, model, number)
    connection.exec_driver_sql(upsert, rows)
    fallen = [row[:-1] for row in rows if row[-1] < 0]
    if fallen:
        # Only the rows this change lowered, found by their key.
        connection.exec_driver_sql(emptied, fallen)


def write_at_commit(model, number: str, counter: Counter) -> None:
    """Like write_counts, just before this transaction commits. Every submit adds to the same
    all-time rows; on PostgreSQL a row written stays locked until commit, so writing it last
    keeps the other workers' submits waiting the least. In a savepoint, written at once (its
    rollback must take the counts with it)."""
    session = db.session()
    if session.in_nested_transaction():
        write_counts(session.connection(), model, number, counter)
        return
    session.info.setdefault(_AT_COMMIT, {}).setdefault((model, number), Counter()).update(counter)


def _write_deferred(session: Session) -> None:
    pending = session.info.pop(_AT_COMMIT, None)
    if pending:
        connection = session.connection()
        for (model, number), counter in pending.items():
            write_counts(connection, model, number, counter)


def read_counts(connection, model, number: str) -> Counter:
    # Counts this transaction has yet to write are part of what it reads.
    _write_deferred(db.session())
    table = model.__table__
    counter: Counter = Counter()
    for *key, amount in connection.execute(
        select(*(table.c[name] for name in key_names(model)), table.c[number])
    ):
        counter[tuple(key)] += amount
    return counter


def describe_differences(kind: str, change: Counter) -> list[str]:
    return [
        f"{kind} {_sort_key(key)}: stored {'+' if amount > 0 else ''}{amount} against the rows"
        for key, amount in sorted(change.items(), key=lambda item: _sort_key(item[0]))
        if amount
    ]


def apply(change: Counts, connection=None) -> None:
    """Add these counts (negative to take away) to the stored ones."""
    if not change:
        return
    connection = connection or db.session.connection()
    write_counts(connection, ResponseTally, "responses", change.responses)
    write_counts(connection, AnswerTally, "answers", change.answers)


def add(ids: Iterable[int]) -> None:
    """Count responses written by bulk statements (they were not counted before)."""
    apply(contributions(ids))


@contextlib.contextmanager
def recount(ids: Iterable[int]) -> Iterator[None]:
    """Around bulk statements that change these responses or their answers."""
    ids = list(ids)
    before = contributions(ids)
    yield
    apply(contributions(ids) - before)


def record_submitted(response: Response) -> None:
    """The draft has just become a submitted response (called by the submit)."""
    counts = of_response(response)
    write_at_commit(ResponseTally, "responses", counts.responses)
    write_at_commit(AnswerTally, "answers", counts.answers)
    # Nothing can be stored about a draft's answers yet: later steps' counts may skip
    # reading what these answers counted for before, and take what they count under from
    # here (engage.learn.tally).
    dimensions = (
        response.survey_id,
        day_of(response.submitted_at),
        response.respondent_group,
        response.channel,
    )
    db.session.info.setdefault(FRESH_ANSWERS, {}).update(
        (answer.id, dimensions) for answer in response.answers if answer.id is not None
    )


# --- checking -----------------------------------------------------------------------------


def _all_submitted_ids(connection) -> list[int]:
    return list(
        connection.execute(
            select(Response.id).where(Response.status == ResponseStatus.SUBMITTED)
        ).scalars()
    )


def stored(connection=None) -> Counts:
    connection = connection or db.session.connection()
    return Counts(
        read_counts(connection, ResponseTally, "responses"),
        read_counts(connection, AnswerTally, "answers"),
    )


def differences(limit: int = 10) -> list[str]:
    """Where the stored counts differ from counting the rows afresh (empty when they agree)."""
    connection = db.session.connection()
    expected = contributions(_all_submitted_ids(connection), connection)
    change = stored(connection) - expected
    found = describe_differences("responses", change.responses) + describe_differences(
        "answers", change.answers
    )
    return found[:limit]


def rebuild() -> Counts:
    """Count everything afresh (after editing the database by hand)."""
    connection = db.session.connection()
    connection.execute(delete(ResponseTally))
    connection.execute(delete(AnswerTally))
    counts = contributions(_all_submitted_ids(connection), connection)
    apply(counts, connection)
    return counts


def register(app, module) -> None:
    """A module with differences() and rebuild() for `engage tally` (later steps add theirs)."""
    app.extensions.setdefault("engage_tallies", []).append(module)


def registered() -> list:
    from flask import current_app

    return current_app.extensions.get("engage_tallies", [])


# --- noticing ORM writes ------------------------------------------------------------------


def is_draft(response) -> bool:
    """A response that is a draft and was one before this flush: drafts count nowhere."""
    if response is None:
        return False
    if response.status not in (None, ResponseStatus.DRAFT):
        return False
    before = inspect(response).attrs.status.history.deleted
    return all(value in (None, ResponseStatus.DRAFT) for value in before)


def response_of(session: Session, answer):
    loaded = inspect(answer).attrs.response.loaded_value
    if loaded is not NO_VALUE and loaded is not None:
        return loaded
    if answer.response_id is None:
        return None
    return session.identity_map.get(
        inspect(Response).identity_key_from_primary_key([answer.response_id])
    )


def _touched(session: Session) -> list:
    """Responses (objects) and answers whose response is unknown, that this flush may change."""
    touched = []
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, Response):
            if not is_draft(instance):
                touched.append(instance)
        elif isinstance(instance, Answer):
            response = response_of(session, instance)
            if response is None:
                touched.append(instance)
            elif not is_draft(response):
                touched.append(response)
    return touched


def _identity(instance) -> int | None:
    identity = inspect(instance).identity
    return identity[0] if identity else None


def _before_flush(session: Session, _context, _instances) -> None:
    # What a failed flush (in a savepoint) left behind must not be applied by the next one.
    session.info.pop(_PENDING, None)
    touched = _touched(session)
    if not touched:
        return
    ids: set[int] = set()
    new = []
    for instance in touched:
        if isinstance(instance, Response):
            found = _identity(instance)
        else:
            found = instance.response_id
        if found is None:
            new.append(instance)
        else:
            ids.add(found)
    connection = session.connection()
    session.info[_PENDING] = (ids, new, contributions(ids, connection))


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    ids, new, before = pending
    for instance in new:
        # New rows have their keys by now, but not yet their identity in the session.
        state = inspect(instance)
        found = state.dict.get("id" if isinstance(instance, Response) else "response_id")
        if found is not None:
            ids.add(found)
    connection = session.connection()
    apply(contributions(ids, connection) - before, connection)


def _before_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        _write_deferred(session)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(FRESH_ANSWERS, None)
        session.info.pop(_AT_COMMIT, None)


def install() -> None:
    """Listen to db.session's flushes and commits (once per process)."""
    listen_to_session(
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    )
