"""test_production_config: the production app refuses to start with unsafe settings."""

from __future__ import annotations

import pytest

from engage import create_app
from engage.config import DEFAULT_SECRET_KEY, ConfigError
from tests.security.conftest import production_settings


def _start(database_uri, **overrides):
    settings = production_settings(SQLALCHEMY_DATABASE_URI=database_uri)
    settings.update(overrides)
    return create_app(settings)


def test_production_starts_with_safe_settings(database_uri):
    app = _start(database_uri)
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.debug is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": True}, "DEBUG"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
        ({"RATE_LIMITS_ON": False}, "Rate limits"),
        ({"TRUSTED_HOSTS": None}, "ENGAGE_TRUSTED_HOSTS"),
        ({"TRUSTED_HOSTS": [""]}, "ENGAGE_TRUSTED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(database_uri, overrides, message):
    with pytest.raises(ConfigError, match=message):
        _start(database_uri, **overrides)


def test_production_cannot_turn_off_secure_cookies(database_uri):
    app = _start(database_uri, SESSION_COOKIE_SECURE=False, SESSION_COOKIE_NAME="session")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_production_from_the_environment(monkeypatch, database_uri):
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_uri})
