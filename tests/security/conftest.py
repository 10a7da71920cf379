"""Fixtures for the security bar: apps with production settings or with rate limits on."""

from __future__ import annotations

import secrets

import pytest
import redis as redis_client

from engage.extensions import limiter
from tests.conftest import make_app

REDIS_URI = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return bool(redis_client.Redis.from_url(REDIS_URI, socket_connect_timeout=1).ping())
    except redis_client.RedisError:
        return False


def production_settings(**overrides) -> dict:
    settings = {
        "ENV_NAME": "production",
        "TESTING": False,
        "SECRET_KEY": secrets.token_hex(32),
        # Shared storage is required in production; errors are swallowed so these tests do
        # not depend on Redis running (test_rate_limits checks Redis itself).
        "RATELIMIT_STORAGE_URI": REDIS_URI,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "PROPAGATE_EXCEPTIONS": False,
        "WTF_CSRF_ENABLED": False,
        "TRUSTED_HOSTS": ["localhost"],
    }
    settings.update(overrides)
    return settings


@pytest.fixture
def production_app(app, database_uri):
    """The app as deployed: production config on the test database (tables from `app`)."""
    production = make_app(database_uri, **production_settings())
    yield production
    limiter.reset()


@pytest.fixture
def limited_app(app, database_uri):
    """The app with rate limits on, in memory, and small limits so tests stay short."""
    limited = make_app(
        database_uri,
        RATE_LIMITS_ON=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_SIGN_IN="3 per minute",
        RATELIMIT_SIGN_IN_ACCOUNT="5 per minute",
    )
    limiter.reset()
    yield limited
    limiter.reset()
