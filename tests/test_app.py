"""The app factory, configuration and the database engine."""

import pytest
from sqlalchemy import text

from engage import create_app
from engage.config import ConfigError, database_url
from engage.extensions import db


def test_factory_takes_test_config(app):
    assert app.config["TESTING"] is True
    assert "inform.home" in {rule.endpoint for rule in app.url_map.iter_rules()}


def test_home_page_names_service_and_area(client):
    page = client.get("/").get_data(as_text=True)
    assert "Engage – Northmoor" in page
    assert 'href="#main-content"' in page
    assert "/accessibility" in page and "/privacy" in page


def test_area_name_comes_from_config(database_uri):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "AREA_NAME": "Fenshire"})
    response = app.test_client().get("/accessibility")
    assert response.status_code == 200
    assert "Engage – Fenshire" in response.get_data(as_text=True)


def test_database_url_uses_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/engage")
    assert database_url("/tmp").startswith("postgresql+psycopg://")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/d")
    assert database_url("/tmp") == "postgresql+psycopg://u@h/d"
    monkeypatch.delenv("DATABASE_URL")
    assert database_url("/srv/instance") == "sqlite:////srv/instance/engage.db"


def test_production_refuses_default_secret_key(database_uri):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": database_uri})


def test_production_refuses_debug(database_uri):
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "x" * 40,
                "DEBUG": True,
                "SQLALCHEMY_DATABASE_URI": database_uri,
            }
        )


def test_sqlite_pragmas_are_set(app, app_context):
    if db.engine.dialect.name != "sqlite":
        pytest.skip(reason="SQLite only: this run uses PostgreSQL")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgres_pool_pre_pings(app, app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip(reason="PostgreSQL only: this run uses SQLite")
    assert db.engine.pool._pre_ping is True


def test_unexpected_error_shows_incident_not_traceback(database_uri):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():  # pragma: no cover - the body is the failure
        raise RuntimeError("secret internals")

    boom.is_public = True
    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "quote incident" in page
    assert "secret internals" not in page and "Traceback" not in page
