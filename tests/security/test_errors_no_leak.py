"""test_errors_no_leak: under the production config a forced exception or database error
shows a generic GOV.UK page with an incident id, never a traceback or SQL."""

from __future__ import annotations

import logging
import re

from sqlalchemy import text

from engage.accounts.access import public
from engage.extensions import db
from tests.conftest import make_app
from tests.security.conftest import production_settings

LEAKS = ("Traceback", "RuntimeError", "secret internals", "SELECT", "no_such_table", "sqlalchemy")


def _app_with_failures(database_uri):
    app = make_app(database_uri, **production_settings())

    @app.route("/test-only/exception")
    @public
    def exception_page():
        raise RuntimeError("secret internals")

    @app.route("/test-only/database")
    @public
    def database_page():
        db.session.execute(text("SELECT secret FROM no_such_table"))
        return "unreachable"

    @app.route("/test-only/locked")
    @public
    def locked_page():
        import sqlite3

        from sqlalchemy.exc import OperationalError

        raise OperationalError(
            "UPDATE response", {}, sqlite3.OperationalError("database is locked")
        )

    @app.route("/test-only/conflict")
    @public
    def conflict_page():
        from engage.inform.models import Organisation, OrganisationKind

        for _ in range(2):
            db.session.add(Organisation(name="secret internals", kind=OrganisationKind.COUNCIL))
            db.session.flush()
        return "unreachable"

    return app


def _assert_generic(response, status):
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert re.search(r"quote incident [0-9A-F]{8}", page)
    assert "govuk-heading-xl" in page
    for leak in LEAKS:
        assert leak not in page, leak
    assert response.headers["Cache-Control"] == "no-store"


def test_forced_exception_shows_incident_and_no_traceback(app, database_uri, caplog):
    failing = _app_with_failures(database_uri)
    with caplog.at_level(logging.ERROR, logger="engage.errors"):
        response = failing.test_client().get("/test-only/exception", base_url="https://localhost")
    _assert_generic(response, 500)
    incident = re.search(r"quote incident ([0-9A-F]{8})", response.get_data(as_text=True)).group(1)
    # The incident id ties the page to the full record in the server log.
    assert any(incident in record.getMessage() for record in caplog.records)


def test_forced_database_error_shows_no_sql(app, database_uri):
    failing = _app_with_failures(database_uri)
    response = failing.test_client().get("/test-only/database", base_url="https://localhost")
    _assert_generic(response, 500)


def test_locked_database_is_503_with_retry_after(app, database_uri):
    failing = _app_with_failures(database_uri)
    response = failing.test_client().get("/test-only/locked", base_url="https://localhost")
    _assert_generic(response, 503)
    assert response.headers["Retry-After"] == "5"
    assert "Nothing has been lost" in response.get_data(as_text=True)


def test_debug_is_off_in_production(app, database_uri):
    assert _app_with_failures(database_uri).debug is False


def test_conflicting_write_is_409_with_nothing_saved(app, database_uri):
    from engage.inform.models import Organisation

    failing = _app_with_failures(database_uri)
    response = failing.test_client().get("/test-only/conflict", base_url="https://localhost")
    _assert_generic(response, 409)
    assert "Someone else changed this at the same time" in response.get_data(as_text=True)
    with failing.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0
