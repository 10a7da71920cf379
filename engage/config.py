"""Settings, read from the environment in one place."""

from __future__ import annotations

import os
from pathlib import Path

from engage.languages import parse_languages

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below
DEFAULT_LANGUAGES = "en,pl,ro,ur,ar,so"


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
        # Opening and closing dates are read in the area's time zone (IANA name).
        "TIMEZONE": env("ENGAGE_TIMEZONE", "Europe/London"),
        # The area's own question bank entries (YAML, as engage/ask/question_bank.yaml).
        "QUESTION_BANK_FILE": env("ENGAGE_QUESTION_BANK_FILE", ""),
        # The public address links in downloaded files start with (a governance report is
        # read offline, away from the site); empty: the address the request came to.
        "SITE_URL": env("ENGAGE_SITE_URL", "").strip().rstrip("/"),
        # The area's schools, settings and places, which a quote must not name before it is
        # approved (YAML: schools_and_settings, places); empty: the demo area's list.
        "PLACES_FILE": env("ENGAGE_PLACES_FILE", ""),
        "SERVICE_NAME": "Engage",
        # The languages public pages are offered in, English first (the source of every text).
        "LANGUAGES": parse_languages(env("ENGAGE_LANGUAGES", DEFAULT_LANGUAGES)),
        "CONTACT_EMAIL": env("ENGAGE_CONTACT_EMAIL", "send.engagement@northmoor.example"),
        "CONTACT_PHONE": env("ENGAGE_CONTACT_PHONE", "0300 123 4567"),
        # Hours a new safeguarding flag may wait for a decision before it is escalated.
        "SAFEGUARDING_SLA_HOURS": float(env("ENGAGE_SAFEGUARDING_SLA_HOURS", "4")),
        # The area's own safeguarding words and phrases, added to the built-in list (the
        # format of engage/learn/text/data/safeguarding_phrases.txt); re-read when it changes.
        "SAFEGUARDING_PHRASES_FILE": env("ENGAGE_SAFEGUARDING_PHRASES_FILE", ""),
        "MASH_PHONE": env("ENGAGE_MASH_PHONE", "0300 123 4000"),
        "MAIL_SERVER": env("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(env("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_USERNAME": env("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env("MAIL_PASSWORD", ""),
        "MAIL_FROM": env("MAIL_FROM", "engage@northmoor.example"),
        # smtp, or a development sink: console (printed) or file (printed and appended to
        # MAIL_SINK_FILE). Empty: file in development, smtp in production and under tests.
        "MAIL_BACKEND": env("MAIL_BACKEND", "").strip().lower(),
        "MAIL_SINK_FILE": env("MAIL_SINK_FILE", str(Path(instance_path) / "mail-outbox.txt")),
        "SESSION_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE")),
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "DRAFT_RESUME_DAYS": int(env("ENGAGE_DRAFT_RESUME_DAYS", "28")),
        "REQUIRE_TOTP": _bool(env("ENGAGE_REQUIRE_TOTP")),
        # Host names the site answers to (Flask refuses others with 400), so a forged Host
        # header cannot put another site's address into an emailed password reset link.
        **(
            {"TRUSTED_HOSTS": [h.strip() for h in env("ENGAGE_TRUSTED_HOSTS", "").split(",")]}
            if env("ENGAGE_TRUSTED_HOSTS")
            else {}
        ),
        **(
            {"RATE_LIMITS_ON": _bool(env("ENGAGE_RATE_LIMITS"))}
            if env("ENGAGE_RATE_LIMITS")
            else {}
        ),
    }


# HTTPS-only: the __Host- prefix makes browsers refuse the cookie unless it is Secure, has
# Path=/ and no Domain, so a sibling subdomain cannot plant or read it.
PRODUCTION_COOKIES = {
    "SESSION_COOKIE_NAME": "__Host-session",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_PATH": "/",
    "SESSION_COOKIE_DOMAIN": None,
}

# Staff sessions (ASVS 7.3.1-2): re-authenticate after 30 idle minutes or 12 hours in all.
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# The session cookie names a respondent's draft. Children answer on shared school devices, so
# it lasts no longer than a staff sign-in; after that a draft is reached with its resume code,
# which works all through the grace period after a close.
SESSION_COOKIE_SECONDS = SESSION_ABSOLUTE_SECONDS

BASE = {
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    # Free-text answers are capped per field; this bounds a whole request.
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en_GB",
    "PERMANENT_SESSION_LIFETIME": SESSION_COOKIE_SECONDS,
    "SESSION_IDLE_SECONDS": SESSION_IDLE_SECONDS,
    "SESSION_ABSOLUTE_SECONDS": SESSION_ABSOLUTE_SECONDS,
    "REQUIRE_TOTP": False,
    # Flask-Limiter stays switched on; RATE_LIMITS_ON (default: on unless TESTING) decides
    # whether Engage's limits apply, so one process can hold apps with and without limits.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_KEY_PREFIX": "engage",
    # Limit strings (https://limits.readthedocs.io): per client IP unless said otherwise.
    "RATELIMIT_SIGN_IN": "10 per minute",
    "RATELIMIT_SIGN_IN_ACCOUNT": "10 per 5 minutes",
    # Per address: a whole class on one school network may send its answers in the same minute.
    "RATELIMIT_SUBMIT": "120 per minute",
    "RATELIMIT_RESUME": "10 per minute",
    # Forgotten password: per IP, and per email address asked about (so no inbox is flooded).
    "RATELIMIT_RESET": "5 per minute",
    "RATELIMIT_RESET_ACCOUNT": "3 per hour",
    "RATELIMIT_EXPORT": "30 per hour",
}


def engine_options(uri: str) -> dict:
    if uri.startswith("postgresql"):
        return {
            "pool_pre_ping": True,
            "pool_recycle": 300,
            "connect_args": {"connect_timeout": 5, "options": "-c statement_timeout=30000"},
        }
    if uri.startswith("sqlite"):
        # Threads in one process share the file; pysqlite's timeout sets busy_timeout, the
        # longest a write waits for the lock (engage/database.py).
        return {"connect_args": {"timeout": 5, "check_same_thread": False}}
    return {}


MAIL_BACKENDS = ("smtp", "console", "file")


def choose_mail_backend(config: dict) -> None:
    """Where e-mail goes: a local sink in development, so resume codes and updates can be
    tried without an SMTP server; SMTP in production, and in tests (they run SMTP sinks)."""
    backend = str(config.get("MAIL_BACKEND") or "").strip().lower()
    if not backend:
        production = config.get("ENV_NAME") == "production"
        backend = "smtp" if production or config.get("TESTING") else "file"
    if backend not in MAIL_BACKENDS:
        raise ConfigError(f"MAIL_BACKEND must be one of {', '.join(MAIL_BACKENDS)}, not {backend}")
    config["MAIL_BACKEND"] = backend


def check_production(config: dict) -> None:
    """Refuse to run in production with unsafe settings."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters")
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production")
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.startswith("memory://"):
        # memory:// counts per process: N workers would allow N times each limit.
        raise ConfigError(
            "RATELIMIT_STORAGE_URI must name shared storage (e.g. redis://) in production"
        )
    if config.get("RATE_LIMITS_ON") is False:
        raise ConfigError("Rate limits cannot be switched off in production")
    if config.get("MAIL_BACKEND") != "smtp":
        # A sink would keep resume codes in a file and tell no one who asked to hear back.
        raise ConfigError("MAIL_BACKEND must be smtp in production")
    if not [host for host in config.get("TRUSTED_HOSTS") or () if host]:
        # Emailed links (password reset, resume) are built from the request's Host header.
        raise ConfigError("ENGAGE_TRUSTED_HOSTS must name this site's host names in production")
    # Not a choice in production: the service is only ever served over HTTPS.
    config.update(PRODUCTION_COOKIES)
