"""Error pages: clear words, an incident id, never a traceback."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

log = logging.getLogger("engage.errors")

MESSAGES = {
    400: ("There is a problem with that request", "Go back and try again."),
    403: ("You cannot see this page", "Your account does not have access to this page."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Page not found", "If you typed the web address, check it is correct."),
    410: ("This link has expired", "Links like this only work for a limited time."),
    413: ("What you sent was too long", "Go back, shorten your answers and try again."),
    429: ("Too many attempts", "Wait a few minutes and try again."),
}


def _render(status: int, incident: str | None = None):
    title, body = MESSAGES.get(
        status, ("Sorry, there is a problem with the service", "Try again later.")
    )
    return (
        render_template("errors/error.html", title=title, body=body, incident=incident),
        status,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        incident = secrets.token_hex(4).upper()
        log.exception("incident %s", incident)
        return _render(500, incident)
