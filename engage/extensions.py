"""Extensions, created once and bound to the app in create_app."""

from collections.abc import Callable

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


# Rate limits -----------------------------------------------------------------------------
# One Limiter for the process. Views opt in with @rate_limit(SUBMIT_LIMIT); the limit strings
# live in config (RATELIMIT_SUBMIT, ...) so deployments and tests can change them.

SIGN_IN_LIMIT = "RATELIMIT_SIGN_IN"
SIGN_IN_ACCOUNT_LIMIT = "RATELIMIT_SIGN_IN_ACCOUNT"
SUBMIT_LIMIT = "RATELIMIT_SUBMIT"
RESUME_LIMIT = "RATELIMIT_RESUME"
RESET_LIMIT = "RATELIMIT_RESET"
RESET_ACCOUNT_LIMIT = "RATELIMIT_RESET_ACCOUNT"
EXPORT_LIMIT = "RATELIMIT_EXPORT"


def client_address() -> str:
    # Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so this is the client's IP.
    return request.remote_addr or "unknown"


def limits_off() -> bool:
    """True when this app runs without rate limits (tests, unless they switch them on)."""
    return not current_app.config.get("RATE_LIMITS_ON", not current_app.testing)


limiter = Limiter(key_func=client_address)


def rate_limit(
    setting: str,
    *,
    key_func: Callable[[], str] | None = None,
    methods: list[str] | None = None,
    scope: str | None = None,
) -> Callable:
    """Decorate a view with the limit named by a config key, e.g. @rate_limit(SUBMIT_LIMIT).

    Over the limit the visitor gets the GOV.UK "Too many attempts" page, status 429 and a
    Retry-After header. `methods` limits only those methods (e.g. ["POST"]).
    """
    return limiter.limit(
        lambda: current_app.config[setting],
        key_func=key_func,
        methods=methods,
        exempt_when=limits_off,
        scope=scope,
    )


def is_rate_limited(app, endpoint: str) -> bool:
    """Whether a view carries a @rate_limit (for tests that check the required ones do)."""
    view = app.view_functions.get(endpoint)
    if view is None:
        return False
    from flask_limiter.util import get_qualified_name

    # There is no public lookup: Flask-Limiter keys decorated limits by this name.
    return get_qualified_name(view) in limiter.limit_manager._decorated_limits
