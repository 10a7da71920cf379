"""test_sqlite_pragmas_concurrency: WAL, busy_timeout and foreign keys on every connection, and
8 threads x 50 writes through the app's engine with no error and no lost row."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from engage.accounts.models import AuditEvent
from engage.extensions import db
from tests.helpers.respondent import EASY, answer, begin

THREADS = 8
WRITES = 50


@pytest.fixture
def sqlite_app(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip(reason="SQLite only: this run uses PostgreSQL")
    return app


def test_pragmas_on_every_connection(sqlite_app):
    with sqlite_app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA synchronous")).scalar() in (1, 2)  # NORMAL/FULL


def test_write_transactions_begin_immediate(sqlite_app):
    # A second writer waits for the first instead of failing on the lock upgrade.
    with sqlite_app.app_context(), db.engine.connect() as connection:
        connection.execute(select(1))
        assert connection.connection.dbapi_connection.in_transaction
        with db.engine.connect() as other:
            other_raw = other.connection.dbapi_connection
            other_raw.execute("PRAGMA busy_timeout=50")
            try:
                with pytest.raises(Exception, match="locked"):
                    other.execute(select(1))
            finally:
                other.invalidate()  # never return the 50 ms connection to the pool


def test_a_write_waits_for_the_lock_no_longer_than_its_busy_timeout(sqlite_app):
    """A connection told to wait 100 ms gives up after about that, not after the 5 s default,
    and keeps its setting."""
    import sqlite3
    import time

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    path = make_url(sqlite_app.config["SQLALCHEMY_DATABASE_URI"]).database
    holder = sqlite3.connect(path, isolation_level=None)
    with sqlite_app.app_context(), db.engine.connect() as connection:
        connection.connection.dbapi_connection.execute("PRAGMA busy_timeout=100")
        try:
            holder.execute("BEGIN IMMEDIATE")
            started = time.monotonic()
            with pytest.raises(OperationalError, match="locked"):
                connection.execute(select(1))  # outside a request: begins as a writer
            waited = time.monotonic() - started
            holder.execute("ROLLBACK")
            connection.rollback()
            assert 0.1 <= waited < 2
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 100
        finally:
            holder.close()
            connection.invalidate()  # never return the 100 ms connection to the pool


def test_eight_threads_fifty_writes_each(app):
    """Runs on PostgreSQL too: the same engine options must hold under concurrent writers."""
    sqlite_app = app
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        with sqlite_app.app_context():
            try:
                start.wait()
                for index in range(WRITES):
                    # Read then write in one transaction: the pattern that fails without
                    # BEGIN IMMEDIATE under WAL.
                    db.session.scalar(select(func.count()).select_from(AuditEvent))
                    db.session.add(
                        AuditEvent(action="concurrency_test", object_id=f"{number}-{index}")
                    )
                    db.session.commit()
            except BaseException as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite_app.app_context():
        rows = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "concurrency_test")
        )
        distinct = db.session.scalar(select(func.count(AuditEvent.object_id.distinct())))
    assert rows == THREADS * WRITES
    assert distinct == THREADS * WRITES


def test_write_lock_held_past_the_busy_timeout_is_a_503_not_a_500(
    sqlite_app, demo, short_busy_timeout
):
    """Another process keeps the write lock longer than busy_timeout: the respondent gets the
    'busy, nothing lost' page with Retry-After, and can carry on afterwards."""
    import sqlite3

    from sqlalchemy.engine import make_url

    client = sqlite_app.test_client()
    begin(client, EASY)
    path = make_url(sqlite_app.config["SQLALCHEMY_DATABASE_URI"]).database
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        busy = answer(client, EASY, "get_help", {"get_help": "yes"})
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "5"
        assert "Nothing has been lost" in busy.get_data(as_text=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer(client, EASY, "get_help", {"get_help": "yes"}).status_code == 303
