"""Shared fixtures: an app on a real database (a temporary SQLite file, or the PostgreSQL
named by DATABASE_URL), clients, staff users per role, and client_request (pages by endpoint
name, parsed: tests/helpers/pages.py)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from sqlalchemy import JSON, event, text

from engage import create_app
from engage.accounts.auth import create_user
from engage.accounts.models import Role
from engage.config import database_url
from engage.extensions import db
from engage.learn import worker
from engage.listen import tally
from tests.helpers.pages import ClientRequest
from tests.helpers.staff import PASSWORD, sign_in

REPO = Path(__file__).resolve().parent.parent


def test_database_uri(tmp_path_factory) -> str:
    if os.environ.get("DATABASE_URL"):
        return database_url("")
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "engage-test.db")


def make_app(uri: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    return test_database_uri(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_uri):
    app = make_app(database_uri)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        # Whatever the test wrote, the running counts must still agree with the responses.
        drift = [line for module in tally.registered() for line in module.differences()]
        db.session.rollback()
        _empty_tables()
        assert not drift, "running counts differ from the responses:\n" + "\n".join(drift)
        db.session.remove()


@pytest.fixture
def analyse_waiting(app):
    """Runs the analysis worker once over what is waiting (as `engage worker` does within
    seconds of a submit); returns how many answers it analysed."""

    def _analyse() -> int:
        with app.app_context():
            return worker.drain()

    return _analyse


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def short_busy_timeout(app):
    """SQLite connections wait 100 ms for the write lock, not the app's 5 s: tests that hold
    the lock from outside see the app give up without sleeping for seconds."""

    def wait_briefly(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=100")

    with app.app_context():
        event.listen(db.engine, "connect", wait_briefly)
        db.engine.dispose()  # new connections take the shorter wait
    yield 100
    with app.app_context():
        event.remove(db.engine, "connect", wait_briefly)
        db.engine.dispose()  # no 100 ms connection outlives the test


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_client(app, database_uri):
    """A client on an app with CSRF protection on, as in production."""
    csrf_app = make_app(database_uri, WTF_CSRF_ENABLED=True)
    return csrf_app.test_client()


@pytest.fixture
def make_user(app):
    def _make(role: Role = Role.ADMIN, email: str | None = None):
        with app.app_context():
            user = create_user(
                email or f"{role.value}-{secrets.token_hex(3)}@engage.example",
                role.value.title(),
                PASSWORD,
                role,
            )
            db.session.commit()
            return user.email

    return _make


@pytest.fixture
def staff_client(app, make_user):
    """A client signed in with the given role: staff_client(Role.VIEWER)."""

    def _client(role: Role = Role.ADMIN):
        client = app.test_client()
        response = sign_in(client, make_user(role))
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return _client


@pytest.fixture
def client_request(app, make_user):
    """Pages by endpoint name, status checked and parsed: client_request.get("learn.results")
    (tests/helpers/pages.py). Signed out until client_request.sign_in(Role.VIEWER)."""
    return ClientRequest(app, make_user=make_user)


@pytest.fixture
def staff_request(app, make_user):
    """A new client_request signed in with the given role: staff_request(Role.VIEWER)."""

    def _request(role: Role = Role.ADMIN) -> ClientRequest:
        return ClientRequest(app, make_user=make_user).sign_in(role)

    return _request


@pytest.fixture
def csrf_client_request(app, database_uri, make_user):
    """client_request on an app with CSRF protection on, as in production: a post sends the
    token of the page fetched before it, unless told _csrf=False."""
    csrf_app = make_app(database_uri, WTF_CSRF_ENABLED=True)
    return ClientRequest(csrf_app, make_user=make_user)


@pytest.fixture
def demo(app):
    from engage import demo as demo_data

    with app.app_context():
        report = demo_data.load(REPO / "surveys")
        db.session.commit()
    return report


@pytest.fixture(scope="session")
def _living_demo_rows(app) -> dict[str, list[dict]]:
    """`engage demo` (with its year of history) run once per session, kept as rows."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = {
            table.name: [dict(row._mapping) for row in db.session.execute(table.select())]
            for table in db.metadata.sorted_tables
        }
        _empty_tables()
        db.session.remove()
    return rows


def _restore(rows: dict[str, list[dict]]) -> None:
    for table in db.metadata.sorted_tables:
        if table.name == "figures_version":
            continue  # the writes below make a fresh token, as any change does
        # A JSON column left out holds SQL NULL; given None it would hold JSON 'null'.
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
        groups: dict[tuple[str, ...], list[dict]] = {}
        for row in rows[table.name]:
            kept = {k: v for k, v in row.items() if not (k in json_columns and v is None)}
            groups.setdefault(tuple(kept), []).append(kept)
        for group in groups.values():
            db.session.execute(table.insert(), group)
        if db.engine.dialect.name == "postgresql" and "id" in table.columns and rows[table.name]:
            db.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), :top)"),
                {"top": max(row["id"] for row in rows[table.name])},
            )
    db.session.commit()


@pytest.fixture
def living_demo(app, _living_demo_rows):
    """The living demo's database, restored from the session's one load."""
    with app.app_context():
        _restore(_living_demo_rows)
        db.session.remove()
    return _living_demo_rows
