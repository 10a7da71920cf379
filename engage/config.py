"""Settings, read from the environment in one place."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below


class ConfigError(RuntimeError):
    """The configuration cannot be used."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "engage.db")
    # Heroku-style URLs and bare postgresql:// both go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def from_environment(instance_path: str) -> dict:
    env = os.environ.get
    return {
        "ENV_NAME": env("ENGAGE_ENV", "development"),
        "SECRET_KEY": env("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "AREA_NAME": env("ENGAGE_AREA_NAME", "Northmoor"),
        "SERVICE_NAME": "Engage",
        "CONTACT_EMAIL": env("ENGAGE_CONTACT_EMAIL", "send.engagement@northmoor.example"),
        "CONTACT_PHONE": env("ENGAGE_CONTACT_PHONE", "0300 123 4567"),
        "MAIL_SERVER": env("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(env("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_USERNAME": env("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env("MAIL_PASSWORD", ""),
        "MAIL_FROM": env("MAIL_FROM", "engage@northmoor.example"),
        "SESSION_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE")),
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "DRAFT_RESUME_DAYS": int(env("ENGAGE_DRAFT_RESUME_DAYS", "28")),
    }


BASE = {
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    # Free-text answers are capped per field; this bounds a whole request.
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en_GB",
    "PERMANENT_SESSION_LIFETIME": 12 * 60 * 60,
}


def engine_options(uri: str) -> dict:
    if uri.startswith("postgresql"):
        return {
            "pool_pre_ping": True,
            "pool_recycle": 300,
            "connect_args": {"connect_timeout": 5, "options": "-c statement_timeout=30000"},
        }
    if uri.startswith("sqlite"):
        # Threads in one process share the file; busy_timeout does the waiting.
        return {"connect_args": {"timeout": 5, "check_same_thread": False}}
    return {}


def check_production(config: dict) -> None:
    """Refuse to run in production with unsafe settings."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters")
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production")
