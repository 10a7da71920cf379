"""Database engine set-up: SQLite pragmas, model registry and row-level helpers."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from engage.extensions import db


def import_models() -> None:
    from engage.accounts import models as _accounts  # noqa: F401
    from engage.ask import models as _ask  # noqa: F401
    from engage.improve import models as _improve  # noqa: F401
    from engage.inform import models as _inform  # noqa: F401
    from engage.learn import models as _learn  # noqa: F401
    from engage.listen import models as _listen  # noqa: F401
    from engage.respond import models as _respond  # noqa: F401


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work during a write; busy_timeout waits instead of failing;
    # SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
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
    # lock; form posts and commands take it at once.
    if has_request_context() and request.method in READ_ONLY_METHODS:
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
