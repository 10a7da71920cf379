"""Error pages: clear words, an incident id, never a traceback; and log values made safe."""

from __future__ import annotations

import logging
import re
import secrets

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from engage.extensions import db

log = logging.getLogger("engage.errors")

MESSAGES = {
    400: (_l("There is a problem with that request"), _l("Go back and try again.")),
    403: (_l("You cannot see this page"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    409: (
        _l("Someone else changed this at the same time"),
        _l("Nothing was saved this time. Go back, check the page and try again."),
    ),
    410: (_l("This link has expired"), _l("Links like this only work for a limited time.")),
    413: (_l("What you sent was too long"), _l("Go back, shorten your answers and try again.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes and try again.")),
    503: (
        _l("Sorry, the service is busy"),
        _l("Nothing has been lost. Wait a few seconds, then go back and try again."),
    ),
}
# A busy database (503): when to try again.
RETRY_AFTER = {"Retry-After": "5"}


def _render(status: int, incident: str | None = None):
    title, body = MESSAGES.get(
        status, (_l("Sorry, there is a problem with the service"), _l("Try again later."))
    )
    try:
        page = render_template("errors/error.html", title=title, body=body, incident=incident)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        # The layout reads the signed-in user, which needs the database that may be down.
        log.exception("error page could not be rendered for incident %s", incident)
        page = (
            f"<!DOCTYPE html><html lang='en'><title>{escape(title)}</title>"
            f"<h1>{escape(title)}</h1><p>{escape(body)}</p>"
            + (f"<p>Quote incident {escape(incident)}.</p>" if incident else "")
            + "</html>"
        )
    headers = RETRY_AFTER if status == 503 else {}
    return page, status, headers


def is_unavailable(error: BaseException) -> bool:
    """The database is busy or the connection was lost: try again, nothing is wrong with the
    request (SECURITY.md §4: 503 with Retry-After, never a bare 500)."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    message = str(error.orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    # psycopg raises OperationalError only for connection-level failures.
    return error.orig.__class__.__module__.startswith("psycopg")


def init_app(app: Flask) -> None:
    install_log_encoding()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        incident = secrets.token_hex(4).upper()
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - a dead connection cannot even roll back
            log.warning("rollback failed for incident %s", incident)
        if is_unavailable(error):
            log.warning("incident %s: database unavailable (%s)", incident, type(error).__name__)
            return _render(503, incident)
        if isinstance(error, IntegrityError):
            # Two people saving the same thing at once (a title's slug, say): a conflict, not
            # a fault (SECURITY.md section 4: IntegrityError is 409, never a bare 500).
            log.warning("incident %s: conflicting write (%s)", incident, type(error).__name__)
            return _render(409, incident)
        log.exception("incident %s", incident)
        return _render(500, incident)


# Log values -------------------------------------------------------------------------------
# ASVS 16.4.1: a value with CR/LF could forge a second log line; ASVS 16.2.5: never a password
# or token. Applied to every record through the log record factory, whatever the handler.

_SECRET_PAIR = re.compile(
    r"(?i)\b(password|passwd|pwd|token|secret|code|csrf_token|session|authorization)"
    r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s&,;]+)"
)


def encode_log_value(value: str) -> str:
    """CR, LF and other control characters shown as escapes; secret=... pairs masked."""
    value = _SECRET_PAIR.sub(lambda match: match.group(1) + match.group(2) + "[redacted]", value)
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode()
        for char in value
    )


def _safe_args(args):
    if isinstance(args, dict):
        return {key: _safe_arg(value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(_safe_arg(value) for value in args)
    return args


def _safe_arg(value):
    return encode_log_value(value) if isinstance(value, str) else value


_installed = False


def install_log_encoding() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = encode_log_value(record.msg) if not record.args else record.msg
        if record.args:
            record.args = _safe_args(record.args)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
