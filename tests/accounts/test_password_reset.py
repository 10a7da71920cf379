"""Forgotten password: the link by email, through the real pages, to a new password."""

from __future__ import annotations

import re
import socket
import threading
from datetime import timedelta
from email import message_from_string
from email.policy import default as email_policy

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from engage.accounts.models import AuditEvent, PasswordResetToken, Role, User
from engage.extensions import db, limiter
from tests.conftest import make_app, sign_in

NEW_PASSWORD = "a kettle on the windowsill"  # noqa: S105 - test value
SAME_MESSAGE = "If an account exists for that address, we have sent a link"
LINK = re.compile(r"http://localhost(/staff/reset-password/[A-Za-z0-9_-]+)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback; the list fills with (recipients, message)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    received: list[tuple[list[str], str]] = []

    class Keep(Sink):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            received.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    port = _free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    old = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    controller.stop()
    app.config.update(MAIL_SERVER=old[0], MAIL_PORT=old[1])


def _ask(client, email: str):
    # buffered: close the response as a WSGI server does once it is sent; the email goes then.
    return client.post("/staff/forgot-password", data={"email": email}, buffered=True)


def _body(message: str) -> str:
    return message_from_string(message, policy=email_policy).get_content()


def _link_from(message: str) -> str:
    return LINK.search(_body(message)).group(1)


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_forgotten_password_journey_through_the_real_pages(app, client, make_user, mailbox):
    email = make_user(Role.COMMISSIONER)
    sign_in_page = client.get("/staff/sign-in").get_data(as_text=True)
    assert 'href="/staff/forgot-password"' in sign_in_page
    assert "Forgotten your password?" in sign_in_page
    form_page = client.get("/staff/forgot-password").get_data(as_text=True)
    assert "Reset your password" in form_page and "Email address" in form_page

    asked = _ask(client, email.upper())  # the address as typed, in any case
    assert asked.status_code == 303
    sent_page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert SAME_MESSAGE in sent_page

    [(recipients, message)] = mailbox
    assert recipients == [email]
    body = _body(message)
    # The link and no other personal data: no address, no name, no role.
    assert "@" not in body and "Commissioner" not in body
    path = _link_from(message)

    opened = client.get(path)
    assert opened.status_code == 303
    # The token is traded for a session value; the page to type into has a clean URL.
    assert opened.headers["Location"] == "/staff/reset-password"
    page = client.get("/staff/reset-password")
    assert page.status_code == 200
    assert "Choose a new password" in page.get_data(as_text=True)

    weak = client.post("/staff/reset-password", data={"new_password": "password1234"})
    assert weak.status_code == 400
    assert "too easy to guess" in weak.get_data(as_text=True)
    short = client.post("/staff/reset-password", data={"new_password": "short one"})
    assert "Password must be at least 12 characters" in short.get_data(as_text=True)

    done = client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
    assert done.status_code == 303
    assert done.headers["Location"] == "/staff/sign-in"
    signed_out = client.get("/staff/sign-in").get_data(as_text=True)
    assert "Your password has been changed. Sign in with your new password." in signed_out
    assert client.get("/staff/").status_code == 302  # not signed in by the link itself

    assert sign_in(app.test_client(), email).status_code == 400  # old password gone
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 303


def test_unknown_address_gets_the_same_message_and_no_email(app, client, mailbox):
    asked = _ask(client, "nobody@engage.example")
    assert asked.status_code == 303
    assert SAME_MESSAGE in client.get(asked.headers["Location"]).get_data(as_text=True)
    assert mailbox == []
    with app.app_context():
        assert db.session.scalar(select(PasswordResetToken)) is None


def test_turned_off_account_gets_the_same_message_and_no_email(app, client, make_user, mailbox):
    email = make_user(Role.VIEWER)
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).active = False
        db.session.commit()
    asked = _ask(client, email)
    assert asked.status_code == 303
    assert SAME_MESSAGE in client.get(asked.headers["Location"]).get_data(as_text=True)
    assert mailbox == []


def test_empty_address_is_asked_for(client):
    response = client.post("/staff/forgot-password", data={"email": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Enter your email address" in page


def test_only_a_hash_of_the_token_is_stored(app, client, make_user, mailbox):
    email = make_user(Role.ADMIN)
    _ask(client, email)
    token = _link_from(mailbox[0][1]).rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    with app.app_context():
        [stored] = db.session.scalars(select(PasswordResetToken)).all()
        assert stored.token_hash != token
        assert len(stored.token_hash) == 64
        assert stored.expires_at - stored.created_at == timedelta(hours=1)
        # Nowhere in the database: not in the token table, not in the audit log.
        dump = repr([db.session.execute(select(t)).all() for t in db.metadata.sorted_tables])
    assert token not in dump


def test_a_link_works_once(app, client, make_user, mailbox):
    email = make_user(Role.VIEWER)
    _ask(client, email)
    path = _link_from(mailbox[0][1])
    client.get(path)
    used = client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
    assert used.status_code == 303
    again = app.test_client()
    again.get(path)
    refused = again.get("/staff/reset-password")
    assert refused.status_code == 410
    page = refused.get_data(as_text=True)
    assert "This link has already been used" in page
    assert "Choose a new password" not in page
    posted = again.post("/staff/reset-password", data={"new_password": "another fine passphrase"})
    assert posted.status_code == 410
    assert sign_in(app.test_client(), email, "another fine passphrase").status_code == 400


def test_the_same_browser_cannot_reuse_the_page_after_the_reset(app, client, make_user, mailbox):
    email = make_user(Role.VIEWER)
    _ask(client, email)
    client.get(_link_from(mailbox[0][1]))
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)  # copy of the cookie
    client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
    refused = thief.post("/staff/reset-password", data={"new_password": "the thief's passphrase"})
    assert refused.status_code == 410
    assert "This link has already been used" in refused.get_data(as_text=True)


def test_a_link_expires_after_an_hour(app, client, make_user, mailbox):
    email = make_user(Role.VIEWER)
    with freeze_time("2026-03-02 09:00:00") as clock:
        _ask(client, email)
        path = _link_from(mailbox[0][1])
        clock.tick(timedelta(minutes=59))
        client.get(path)
        assert client.get("/staff/reset-password").status_code == 200
        clock.tick(timedelta(minutes=2))
        late = client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
        assert late.status_code == 410
        assert "This link has expired" in late.get_data(as_text=True)
        fresh = app.test_client()
        fresh.get(path)
        assert "This link has expired" in fresh.get("/staff/reset-password").get_data(as_text=True)
    assert sign_in(app.test_client(), email).status_code == 303  # password unchanged


def test_a_made_up_link_is_refused(client):
    opened = client.get("/staff/reset-password/not-a-real-token-at-all")
    assert opened.headers["Location"] == "/staff/reset-password"
    refused = client.get("/staff/reset-password")
    assert refused.status_code == 404
    assert "This link does not work" in refused.get_data(as_text=True)
    assert client.get("/staff/reset-password").status_code == 404  # no session at all


def test_using_a_link_voids_the_others_and_changing_password_voids_all(
    app, client, make_user, mailbox
):
    email = make_user(Role.VIEWER)
    _ask(client, email)
    _ask(client, email)
    first, second = (_link_from(message) for _, message in mailbox)
    client.get(second)
    client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
    other = app.test_client()
    other.get(first)
    assert "This link has already been used" in other.get("/staff/reset-password").get_data(
        as_text=True
    )

    # A link asked for, then the password changed the ordinary way: the link is void.
    _ask(client, email)
    third = _link_from(mailbox[2][1])
    staff = app.test_client()
    sign_in(staff, email, NEW_PASSWORD)
    staff.post(
        "/staff/password",
        data={"current_password": NEW_PASSWORD, "new_password": "yet another passphrase"},
    )
    late = app.test_client()
    late.get(third)
    assert late.get("/staff/reset-password").status_code == 410


def test_reset_signs_out_other_sessions_and_lifts_the_lock(app, client, make_user, mailbox):
    email = make_user(Role.ADMIN)
    laptop = app.test_client()
    assert sign_in(laptop, email).status_code == 303
    for _ in range(10):
        sign_in(app.test_client(), email, "wrong password again")
    assert sign_in(app.test_client(), email).status_code == 400  # locked

    _ask(client, email)
    client.get(_link_from(mailbox[0][1]))
    client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})

    assert laptop.get("/staff/").status_code == 302  # the session elsewhere has ended
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.failed_logins == 0
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 303


def test_reset_still_asks_for_the_second_factor(app, client, make_user, mailbox):
    from engage.accounts import totp

    email = make_user(Role.ADMIN)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.totp_secret = totp.new_secret()
        db.session.commit()
    _ask(client, email)
    client.get(_link_from(mailbox[0][1]))
    client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
    response = sign_in(app.test_client(), email, NEW_PASSWORD)
    assert response.headers["Location"].endswith("/staff/sign-in/code")


def test_reset_is_audited_without_address_or_token(app, client, make_user, mailbox):
    email = make_user(Role.VIEWER)
    _ask(client, "nobody@engage.example")
    _ask(client, email)
    path = _link_from(mailbox[0][1])
    client.get(path)
    client.post("/staff/reset-password", data={"new_password": NEW_PASSWORD})
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("password_reset%"))
        ).all()
        rows = [(e.action, e.detail, e.user_id is not None) for e in events]
        text = " ".join(f"{e.object_id} {e.detail}" for e in events)
    assert rows == [
        ("password_reset_requested", "unknown account", False),
        ("password_reset_requested", "link sent", True),
        ("password_reset", None, True),
    ]
    assert "@" not in text and path.rsplit("/", 1)[1] not in text


def test_mail_failure_shows_the_same_page(app, client, make_user, caplog):
    email = make_user(Role.VIEWER)
    old = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nothing listening
    try:
        asked = _ask(client, email)
    finally:
        app.config.update(MAIL_SERVER=old[0], MAIL_PORT=old[1])
    assert asked.status_code == 303
    assert SAME_MESSAGE in client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "password reset email not sent" in caplog.text
    assert email not in caplog.text


@pytest.fixture
def limited_app(app, database_uri):
    limited = make_app(
        database_uri,
        RATE_LIMITS_ON=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_RESET="3 per minute",
        RATELIMIT_RESET_ACCOUNT="2 per hour",
    )
    limiter.reset()
    yield limited
    limiter.reset()


def _ask_from(client, email: str, address: str):
    return client.post(
        "/staff/forgot-password", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def test_asking_is_limited_per_address_with_retry_after(limited_app):
    client = limited_app.test_client()
    statuses = [
        _ask_from(client, f"person{n}@engage.example", "203.0.113.9").status_code for n in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    over = _ask_from(client, "person9@engage.example", "203.0.113.9")
    assert int(over.headers["Retry-After"]) > 0
    assert "Too many attempts" in over.get_data(as_text=True)
    assert _ask_from(client, "person9@engage.example", "203.0.113.10").status_code == 303


def test_asking_is_limited_per_email_address_across_ip_addresses(limited_app):
    client = limited_app.test_client()
    statuses = [
        _ask_from(client, "someone@engage.example", f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [303, 303, 429]
    assert _ask_from(client, "other@engage.example", "198.51.100.7").status_code == 303


def test_a_forged_host_header_cannot_redirect_the_emailed_link(database_uri, app, make_user):
    # Password-reset poisoning: the link in the email is built from the request's Host.
    pinned = make_app(database_uri, TRUSTED_HOSTS=["engage.example"])
    email = make_user(Role.VIEWER)
    client = pinned.test_client()
    forged = client.post(
        "/staff/forgot-password", data={"email": email}, base_url="http://evil.example"
    )
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(PasswordResetToken)) is None


def test_links_older_than_a_day_are_deleted_at_the_next_request(app, client, make_user, mailbox):
    email = make_user(Role.VIEWER)
    with freeze_time("2026-03-02 09:00:00") as clock:
        _ask(client, email)
        clock.tick(timedelta(hours=2))
        _ask(client, email)
        clock.tick(timedelta(hours=23))
        _ask(client, email)
    with app.app_context():
        kept = db.session.scalars(
            select(PasswordResetToken.created_at).order_by(PasswordResetToken.id)
        ).all()
    assert [at.hour for at in kept] == [11, 10]


def test_two_requests_racing_with_one_link_cannot_both_set_a_password(
    app, client, make_user, mailbox
):
    email = make_user(Role.VIEWER)
    _ask(client, email)
    client.get(_link_from(mailbox[0][1]))
    cookie = client.get_cookie("session").value
    passwords = [f"racing passphrase number {n}" for n in range(4)]
    results: dict[str, int] = {}

    def post(password: str) -> None:
        other = app.test_client()
        other.set_cookie("session", cookie)
        response = other.post("/staff/reset-password", data={"new_password": password})
        results[password] = response.status_code

    threads = [threading.Thread(target=post, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [303, 410, 410, 410]
    [winner] = [p for p, status in results.items() if status == 303]
    for password in passwords:
        expected = 303 if password == winner else 400
        assert sign_in(app.test_client(), email, password).status_code == expected
