"""test_postgres_reconnect: the database drops every app connection between two requests and
the next request still succeeds; /readyz reports the database, 503 when it cannot reach it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from engage.extensions import db
from tests.conftest import make_app


def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_when_the_database_is_unreachable(app, tmp_path):
    unreachable = make_app("sqlite:///" + str(tmp_path / "missing-dir" / "engage.db"))
    response = unreachable.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["database"] == "unreachable"


def test_postgres_reconnect(app, client, make_user, demo):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip(reason="PostgreSQL only: this run uses SQLite")
        url = db.engine.url
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 200
    # Another connection ends every backend of this database, as a failover or restart would.
    killer = create_engine(url, isolation_level="AUTOCOMMIT")
    with killer.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    killer.dispose()
    assert ended >= 1
    assert client.get("/").status_code == 200
    assert client.get("/readyz").status_code == 200
