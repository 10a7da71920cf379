"""test_backup_restore: `engage backup` writes a consistent copy; restored to a scratch
database it has the same row counts and checksums for every table."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from engage import backup
from engage.accounts.models import AuditEvent
from engage.extensions import db


def _command(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_backup_restore(app, demo, make_user, tmp_path):
    make_user()
    target = tmp_path / ("engage.db" if _dialect(app) == "sqlite" else "engage.dump")
    if _dialect(app) == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip(reason="pg_dump is not installed")
    result = _command(app, "backup", str(target), "--verify")
    assert result.exit_code == 0, result.output
    assert "Verified:" in result.output
    with app.app_context():
        live = backup.summarise(db.engine)
    assert live["question"].rows > 10 and live["user"].rows >= 1
    if _dialect(app) == "sqlite":
        restored = backup.restored_engine_sqlite(target)
        try:
            assert backup.summarise(restored) == live
        finally:
            restored.dispose()


def test_a_changed_database_no_longer_matches_its_backup(app, demo, tmp_path):
    if _dialect(app) != "sqlite":
        pytest.skip(reason="checked on SQLite; PostgreSQL uses the same comparison")
    target = tmp_path / "before.db"
    with app.app_context():
        backup.backup(target)
        db.session.add(AuditEvent(action="after_backup"))
        db.session.commit()
        with pytest.raises(backup.BackupError, match="audit_event"):
            backup.verify(target)
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "after_backup"))


def test_backup_refuses_to_overwrite(app, tmp_path):
    if _dialect(app) != "sqlite":
        pytest.skip(reason="SQLite only")
    target = tmp_path / "exists.db"
    target.write_text("precious")
    result = _command(app, "backup", str(target))
    assert result.exit_code == 1
    assert target.read_text() == "precious"


def _dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name
