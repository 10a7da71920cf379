"""Running counts of submitted responses and answers, for results pages that must not read
every answer (engage.listen.models ResponseTally and AnswerTally).

The counts change in the same transaction as the rows they count, by an explicit call at each
place that writes them; each call also renews the figures token (engage.figures):

- `add_submitted(response)`: the submit (one draft became a submitted response);
- `add(ids)`: responses written submitted by bulk statement (synthetic data);
- `recount(ids)`: around any other change to submitted responses or their answers (erasure,
  the retention purge). It recounts every registered step's counts of those responses, so
  learn's counts of sentiments and codings follow an erased answer too.

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
from functools import cache
from itertools import islice

from flask import current_app
from sqlalchemy import and_, bindparam, delete, select

from engage import figures
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


def key_names(model) -> tuple[str, ...]:
    return tuple(column.name for column in model.__table__.primary_key.columns)


def _sort_key(key: tuple) -> tuple:
    return tuple(part.value if hasattr(part, "value") else part for part in key)


@cache
def _statements(dialect: str, model, number: str):
    """The upsert adding to a table of counts, and the delete of rows fallen to nothing."""
    table = model.__table__
    names = key_names(model)
    insert = figures.upsert(dialect, table)
    upsert = insert.on_conflict_do_update(
        index_elements=list(names), set_={number: table.c[number] + insert.excluded[number]}
    )
    emptied = delete(table).where(
        and_(*(table.c[name] == bindparam(f"key_{name}") for name in names)),
        table.c[number] <= 0,
    )
    return upsert, emptied


def write_counts(connection, model, number: str, counter: Counter) -> None:
    """Add a counter of (key tuple in primary-key order) -> amount to a table of counts;
    rows that fall to nothing are deleted (they would stretch the date range of a chart)."""
    # Sorted, so that two transactions on PostgreSQL lock shared rows in the same order.
    changed = sorted(
        ((key, amount) for key, amount in counter.items() if amount),
        key=lambda item: _sort_key(item[0]),
    )
    if not changed:
        return
    names = key_names(model)
    upsert, emptied = _statements(connection.dialect.name, model, number)
    connection.execute(
        upsert, [{**dict(zip(names, key, strict=True)), number: amount} for key, amount in changed]
    )
    fallen = [
        {f"key_{name}": part for name, part in zip(names, key, strict=True)}
        for key, amount in changed
        if amount < 0
    ]
    if fallen:
        # Only the rows this change lowered, found by their key.
        connection.execute(emptied, fallen)


def read_counts(connection, model, number: str) -> Counter:
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


def add_submitted(response: Response) -> None:
    """The draft has just become a submitted response: count it, from the objects as loaded
    (the submit; written last in its transaction, as the all-time rows every submit adds to
    stay locked on PostgreSQL until it commits)."""
    apply(of_response(response))
    figures.renew()


def add(ids: Iterable[int]) -> None:
    """Count responses written submitted by bulk statements (they were not counted before)."""
    apply(contributions(ids))
    figures.renew()


@contextlib.contextmanager
def recount_responses(ids: list[int]) -> Iterator[None]:
    """This step's counts of these responses, read before and after the change."""
    before = contributions(ids)
    yield
    apply(contributions(ids) - before)


@contextlib.contextmanager
def recount(ids: Iterable[int]) -> Iterator[None]:
    """Around any change to these submitted responses or their answers: every step's counts
    of them are read before and after, and the difference added."""
    ids = sorted(set(ids))
    db.session.flush()
    with contextlib.ExitStack() as steps:
        for module in registered():
            steps.enter_context(module.recount_responses(ids))
        yield
        db.session.flush()
    figures.renew()


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
    """A step's counts, for recount() and `engage tally`: a module with recount_responses(ids),
    differences() and rebuild() (later steps add theirs)."""
    app.extensions.setdefault("engage_tallies", []).append(module)


def registered() -> list:
    return current_app.extensions.get("engage_tallies", [])
