"""test_audit_log_events: sign-in success and failure, access denied and sign-out are each
one UTC event; admins read them newest first; logs carry no secrets and no forged lines."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.errors import encode_log_value
from engage.extensions import db
from tests.conftest import PASSWORD, sign_in


def _events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_each_security_event_is_recorded_once_with_who_what_and_utc_time(app, client, make_user):
    email = make_user(Role.VIEWER)
    before = datetime.now(UTC)
    sign_in(client, email, "wrong password here")
    sign_in(client, email)
    client.get("/staff/audit")  # viewer: access denied
    client.post("/staff/sign-out")
    for action in ("login_failed", "login", "access_denied", "logout"):
        events = _events(app, action)
        assert len(events) == 1, action
        event = events[0]
        assert event.at.tzinfo is not None and event.at.utcoffset().total_seconds() == 0
        assert before <= event.at <= datetime.now(UTC)
        assert event.user_id is not None, action
    assert _events(app, "access_denied")[0].object_id == "accounts.audit_log"


def test_unknown_account_failure_is_recorded_without_the_typed_email(app, client):
    sign_in(client, "someone-secret@example.org", "typed password 123")
    event = _events(app, "login_failed")[0]
    assert event.user_id is None
    assert "someone-secret" not in (event.detail or "")


def test_no_password_reaches_the_audit_log_or_the_logs(app, client, make_user, caplog):
    email = make_user(Role.ADMIN)
    with caplog.at_level(logging.DEBUG):
        sign_in(client, email, "my-wrong-Password-123")
        sign_in(client, email)
    with app.app_context():
        details = " ".join(str(e.detail) for e in db.session.scalars(select(AuditEvent)))
    assert "my-wrong-Password-123" not in details and PASSWORD not in details
    assert "my-wrong-Password-123" not in caplog.text and PASSWORD not in caplog.text


def test_admin_reads_the_audit_log_newest_first_and_filters_by_action(app, staff_client, make_user):
    email = make_user(Role.VIEWER)
    other = app.test_client()
    sign_in(other, email, "wrong password here")
    sign_in(other, email)
    admin = staff_client(Role.ADMIN)
    cell = '<td class="govuk-table__cell">{}</td>'
    page = admin.get("/staff/audit").get_data(as_text=True)
    assert email in page
    # Newest first: the viewer's sign-in comes before their failed attempt.
    assert page.index(cell.format("login")) < page.index(cell.format("login_failed"))
    filtered = admin.get("/staff/audit?action=login_failed").get_data(as_text=True)
    assert cell.format("login_failed") in filtered and cell.format("login") not in filtered


def test_only_admins_read_the_audit_log(staff_client):
    for role in (Role.COMMISSIONER, Role.VIEWER, Role.SAFEGUARDING_LEAD):
        assert staff_client(role).get("/staff/audit").status_code == 403


def test_log_values_cannot_forge_lines_or_leak_secrets(caplog):
    forged = "bob\r\n2026-01-01 INFO login ok user=admin"
    with caplog.at_level(logging.INFO, logger="engage.test"):
        logging.getLogger("engage.test").info("search for %s", forged)
        logging.getLogger("engage.test").info("GET /resume?token=abc123SECRET&x=1")
        logging.getLogger("engage.test").info("form %s", "password=hunter2hunter2")
    lines = caplog.text.splitlines()
    assert len(lines) == 3
    assert "\\r\\n" in lines[0]
    assert "abc123SECRET" not in caplog.text and "hunter2hunter2" not in caplog.text
    assert encode_log_value("a\x00b\x1b[31m") == "a\\x00b\\x1b[31m"
