"""Backups that are consistent while the app runs, and a check that a backup restores whole.

SQLite is copied with its online backup API (never by copying the file, which can catch a
write half-done); PostgreSQL with pg_dump's custom format.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - fixed argument lists, no shell
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, select, text

from engage.extensions import db


class BackupError(RuntimeError):
    """The backup could not be made or does not match the live database."""


@dataclass(frozen=True)
class TableSummary:
    rows: int
    checksum: str


def summarise(engine: Engine, metadata: MetaData | None = None) -> dict[str, TableSummary]:
    """Row count and a checksum of every table's rows, ordered by primary key."""
    metadata = metadata or db.metadata
    summary: dict[str, TableSummary] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            count = 0
            for row in connection.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            summary[table.name] = TableSummary(count, digest.hexdigest())
    return summary


def backup_sqlite(engine: Engine, target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name")
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)
        finally:
            destination.close()
    finally:
        raw.close()


def _pg_args(url) -> tuple[list[str], dict[str, str]]:
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def backup_postgresql(engine: Engine, target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed: install the PostgreSQL client tools")
    url = engine.url
    args, env = _pg_args(url)
    result = subprocess.run(  # noqa: S603 - fixed program and arguments
        [pg_dump, *args, "--format=custom", "--no-owner", "--file", str(target), url.database],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")


def backup(target: Path, engine: Engine | None = None) -> None:
    engine = engine or db.engine
    target = Path(target)
    if engine.dialect.name == "sqlite":
        backup_sqlite(engine, target)
    elif engine.dialect.name == "postgresql":
        backup_postgresql(engine, target)
    else:
        raise BackupError(f"No backup method for {engine.dialect.name}")


def restored_engine_sqlite(path: Path) -> Engine:
    return create_engine("sqlite:///" + str(path))


def restore_postgresql(path: Path, engine: Engine, scratch_database: str) -> Engine:
    """Restore a pg_dump file into a new scratch database on the same server."""
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise BackupError("pg_restore is not installed: install the PostgreSQL client tools")
    url = engine.url
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{scratch_database}"'))  # noqa: S608 - our name
    args, env = _pg_args(url)
    result = subprocess.run(  # noqa: S603 - fixed program and arguments
        [pg_restore, *args, "--no-owner", "--dbname", scratch_database, str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
    return create_engine(url.set(database=scratch_database))


def drop_scratch_postgresql(engine: Engine, scratch_database: str) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch_database}" WITH (FORCE)'))  # noqa: S608


def differences(live: dict[str, TableSummary], restored: dict[str, TableSummary]) -> list[str]:
    problems = []
    for name, summary in live.items():
        other = restored.get(name)
        if other is None:
            problems.append(f"{name}: missing from the backup")
        elif other != summary:
            problems.append(f"{name}: {summary.rows} rows live, {other.rows} in the backup")
    return problems


def verify(target: Path, engine: Engine | None = None) -> dict[str, TableSummary]:
    """Restore the backup to a scratch database and compare every table; raise if different."""
    engine = engine or db.engine
    live = summarise(engine)
    if engine.dialect.name == "sqlite":
        restored_engine = restored_engine_sqlite(target)
        try:
            restored = summarise(restored_engine)
        finally:
            restored_engine.dispose()
    else:
        scratch = f"engage_restore_check_{hashlib.sha256(str(target).encode()).hexdigest()[:8]}"
        drop_scratch_postgresql(engine, scratch)
        restored_engine = restore_postgresql(target, engine, scratch)
        try:
            restored = summarise(restored_engine)
        finally:
            restored_engine.dispose()
            drop_scratch_postgresql(engine, scratch)
    problems = differences(live, restored)
    if problems:
        raise BackupError("; ".join(problems))
    return live
