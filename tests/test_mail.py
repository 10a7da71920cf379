"""The development mail sink: with MAIL_BACKEND=file or console, resume codes and "You said,
we did" emails are written out as a person reads them and never reach an SMTP server; the
default is the sink in development and SMTP in production (which refuses anything else)."""

from __future__ import annotations

import re

import pytest

from engage import create_app
from engage.config import ConfigError
from engage.extensions import db
from engage.mail import send_email
from engage.respond import outbox
from engage.respond.models import OutboxMessage
from tests.conftest import make_app
from tests.helpers.respondent import EASY, answer, begin
from tests.respond.smtp import smtp_server
from tests.security.conftest import production_settings


@pytest.fixture
def sink_app(app, database_uri, tmp_path):
    """The app as `engage run` starts it in development, on the test database; an SMTP
    server listens where MAIL_SERVER points, to show nothing is ever sent to it."""
    with smtp_server() as (server, port):
        sink = make_app(
            database_uri,
            TESTING=False,
            MAIL_BACKEND="",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            MAIL_SINK_FILE=str(tmp_path / "mail-outbox.txt"),
        )
        sink.smtp_messages = server.messages
        yield sink


def _sink(app) -> str:
    with open(app.config["MAIL_SINK_FILE"], encoding="utf-8") as sink:
        return sink.read()


def test_development_writes_a_resume_code_to_the_sink_not_smtp(sink_app, demo, capsys):
    assert sink_app.config["MAIL_BACKEND"] == "file"
    client = sink_app.test_client()
    begin(client, EASY)
    saved = answer(client, EASY, "get_help", {"get_help": "yes"}, action="save")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="resume-code">([0-9A-Z-]+)</strong>', page).group(1)
    sent = client.post(saved.headers["Location"], data={"email": "carer@example.com"})
    assert "We have emailed the code to carer@example.com" in sent.get_data(as_text=True)
    written = _sink(sink_app)
    assert "To: carer@example.com\n" in written
    assert f"From: {sink_app.config['MAIL_FROM']}\n" in written
    assert "Subject: Your code to carry on: " in written
    assert f"Your code to carry on is: {code}\n" in written
    # Printed to the console too, the same words.
    assert f"Your code to carry on is: {code}" in capsys.readouterr().err
    assert sink_app.smtp_messages == []


def test_the_sink_keeps_the_words_as_written(sink_app):
    body = "Café <b>&amp;</b> “quotes” — a line\nwith =3D and a long line " + "x" * 120
    with sink_app.app_context():
        send_email("parent@example.org", "Ünïcode & <subject>", body)
        send_email("second@example.org", "Second", "Another")
    written = _sink(sink_app)
    # Plain text, not quoted-printable or base64: a developer reads exactly what was sent.
    assert body in written
    assert "Subject: Ünïcode & <subject>\n" in written
    assert "Content-Transfer-Encoding" not in written and "=C3=A9" not in written
    # Appended, one message after another, each marked as not sent.
    assert written.count("Not sent (development mail sink)") == 2
    assert written.index("parent@example.org") < written.index("second@example.org")
    assert sink_app.smtp_messages == []


def test_send_updates_marks_sink_messages_sent(sink_app):
    with sink_app.app_context():
        db.session.add(OutboxMessage(to="hear@example.org", subject="You said, we did", body="Hi"))
        db.session.commit()
        report = outbox.send_pending(sink_app.config)
        assert (report.sent, report.failed) == (1, 0)
    assert "To: hear@example.org\n" in _sink(sink_app)
    assert sink_app.smtp_messages == []


def test_console_backend_prints_and_writes_no_file(app, database_uri, tmp_path, capsys):
    console = make_app(
        database_uri, MAIL_BACKEND="console", MAIL_SINK_FILE=str(tmp_path / "outbox.txt")
    )
    with console.app_context():
        send_email("carer@example.com", "Hello", "Your code is ABCD-2345")
    printed = capsys.readouterr().err
    assert "To: carer@example.com" in printed and "Your code is ABCD-2345" in printed
    assert not (tmp_path / "outbox.txt").exists()


def test_tests_and_production_use_smtp(app, database_uri):
    assert app.config["MAIL_BACKEND"] == "smtp"
    production = create_app(production_settings(SQLALCHEMY_DATABASE_URI=database_uri))
    assert production.config["MAIL_BACKEND"] == "smtp"


@pytest.mark.parametrize("backend", ["file", "console"])
def test_production_refuses_the_sink(database_uri, backend):
    settings = production_settings(SQLALCHEMY_DATABASE_URI=database_uri, MAIL_BACKEND=backend)
    with pytest.raises(ConfigError, match="MAIL_BACKEND must be smtp in production"):
        create_app(settings)


def test_an_unknown_backend_is_refused(database_uri):
    with pytest.raises(ConfigError, match="MAIL_BACKEND must be one of smtp, console, file"):
        make_app(database_uri, MAIL_BACKEND="pigeon")
