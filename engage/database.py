"""Database engine set-up: SQLite pragmas, model registry and row-level helpers."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from engage.extensions import db


def import_models() -> None:
    from engage import content_translations as _content  # noqa: F401
    from engage import figures as _figures  # noqa: F401
    from engage.accounts import models as _accounts  # noqa: F401
    from engage.ask import models as _ask  # noqa: F401
    from engage.improve import models as _improve  # noqa: F401
    from engage.inform import models as _inform  # noqa: F401
    from engage.learn import models as _learn  # noqa: F401
    from engage.listen import models as _listen  # noqa: F401
    from engage.respond import models as _respond  # noqa: F401


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work during a write; SQLite leaves foreign keys off unless asked.
    # (busy_timeout, the wait for a lock, is pysqlite's timeout: engine_options in config.py.)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # pysqlite opens transactions itself, late and deferred; take that over (below).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start, waiting up to busy_timeout. A deferred
    # transaction that reads and then writes can instead fail at once with "database is locked"
    # when another writer committed in between, whatever the timeout (SQLite's WAL rules).
    # Pages that only read (GET, HEAD) start deferred, so readers never queue for the write
    # lock; form posts and commands take it at once, except for what they read first.
    if _reading_first.get() or (has_request_context() and request.method in READ_ONLY_METHODS):
        connection.exec_driver_sql("BEGIN")
    else:
        try:
            _begin_immediate(connection.connection.driver_connection)
        except sqlite3.OperationalError as error:
            # Raised outside SQLAlchemy's own calls, so wrap it as SQLAlchemy would: the error
            # pages know a locked database (503, answers kept) only in that form.
            raise OperationalError("BEGIN IMMEDIATE", None, error) from error


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_reading_first: ContextVar[bool] = ContextVar("engage_reading_first", default=False)
# How often a writer asks for the lock again while another process holds it.
LOCK_POLL_SECONDS = 0.0005


def _begin_immediate(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting up to the connection's busy_timeout, asking every 0.5 ms. SQLite's
    own busy handler waits in steps growing to 100 ms: a writer slept long after the other
    worker's lock was free, and two gunicorn workers submitted fewer responses a second than one."""
    timeout_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                # SQLITE_BUSY; the caller gets it (a 503 page) after busy_timeout, as before.
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(LOCK_POLL_SECONDS)
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")


@contextmanager
def reading_first() -> Iterator[None]:
    """What a writing request reads (and works out) before it writes, in a transaction of its
    own that begins deferred: on SQLite it neither waits for nor holds the one write lock, so
    the write that follows holds the lock for the write alone.

    The transaction is rolled back at the end: anything written inside is lost, and objects
    loaded inside are expired. Inside a transaction already begun, the reads join it.
    """
    if db.session().in_transaction():
        yield
        return
    token = _reading_first.set(True)
    try:
        yield
    finally:
        _reading_first.reset(token)
        db.session.rollback()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
