"""test_session_security: cookie flags, new session on sign-in, replay after sign-out,
idle (30 min) and absolute (12 h) time-outs."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time

from engage.accounts.models import Role
from tests.conftest import PASSWORD, sign_in

HTTPS = "https://localhost"


def _session_cookie_header(response, name: str) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    assert cookies, response.headers
    return cookies[-1]


def test_production_cookie_is_host_prefixed_secure_httponly_lax(production_app, make_user):
    email = make_user(Role.ADMIN)
    client = production_app.test_client()
    response = client.post(
        "/staff/sign-in", data={"email": email, "password": PASSWORD}, base_url=HTTPS
    )
    assert response.status_code == 303
    header = _session_cookie_header(response, "__Host-session")
    flags = [part.strip().lower() for part in header.split(";")]
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags
    assert "path=/" in flags
    assert not any(flag.startswith("domain=") for flag in flags)
    assert client.get("/staff/", base_url=HTTPS).status_code == 200


def test_development_still_works_over_plain_http(client, make_user):
    # `make run` serves http://127.0.0.1: no Secure flag there, or nobody could sign in.
    response = sign_in(client, make_user(Role.VIEWER))
    assert "secure" not in _session_cookie_header(response, "session").lower()
    assert client.get("/staff/").status_code == 200


def test_sign_in_issues_a_new_session_and_drops_a_planted_one(app, client, make_user):
    email = make_user(Role.ADMIN)
    with client.session_transaction() as planted:
        planted["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    sign_in(client, email)
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as current:
        assert "planted" not in current
        first_id = current["session_id"]
    # The planted cookie is still anonymous after the victim signs in.
    attacker = app.test_client()
    attacker.set_cookie("session", before)
    assert attacker.get("/staff/").status_code == 302
    # Signing in again gives yet another session id.
    second = app.test_client()
    sign_in(second, email)
    with second.session_transaction() as other:
        assert other["session_id"] != first_id


def test_replay_after_sign_out_goes_to_sign_in(app, client, make_user):
    sign_in(client, make_user(Role.COMMISSIONER))
    stolen = client.get_cookie("session").value
    client.post("/staff/sign-out")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/staff/")
    assert response.status_code == 302
    assert "/staff/sign-in" in response.headers["Location"]


def test_sign_out_ends_sessions_on_other_devices_too(app, make_user):
    email = make_user(Role.VIEWER)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email)
    sign_in(phone, email)
    laptop.post("/staff/sign-out")
    assert phone.get("/staff/").status_code == 302


def test_idle_for_30_minutes_means_signing_in_again(client, make_user):
    email = make_user(Role.ADMIN)
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, email)
        clock.tick(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        clock.tick(timedelta(minutes=29))  # active 29 minutes ago: still fine
        assert client.get("/staff/").status_code == 200
        clock.tick(timedelta(minutes=31))
        response = client.get("/staff/")
        assert response.status_code == 302
        assert "/staff/sign-in" in response.headers["Location"]
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "You were signed out to keep your account safe" in page
        assert client.get("/staff/").status_code == 302


def test_twelve_hours_after_sign_in_even_when_active(client, make_user):
    email = make_user(Role.ADMIN)
    with freeze_time("2026-03-02 08:00:00") as clock:
        sign_in(client, email)
        for _ in range(35):  # a page every 20 minutes for 11 h 40 min
            clock.tick(timedelta(minutes=20))
            assert client.get("/staff/").status_code == 200
        clock.tick(timedelta(minutes=21))
        assert client.get("/staff/").status_code == 302


def test_timed_out_staff_can_still_open_public_pages(client, make_user):
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.VIEWER))
        clock.tick(timedelta(hours=1))
        response = client.get("/")
        assert response.status_code == 200
        assert "Signed in as" not in response.get_data(as_text=True)


def test_turning_an_account_off_ends_its_session(app, staff_client, make_user):
    from sqlalchemy import select

    from engage.accounts.models import User
    from engage.extensions import db

    email = make_user(Role.VIEWER)
    victim = app.test_client()
    sign_in(victim, email)
    admin = staff_client(Role.ADMIN)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    assert admin.post(f"/staff/users/{user_id}/active", data={"active": "no"}).status_code == 303
    assert victim.get("/staff/").status_code == 302
    assert sign_in(app.test_client(), email).status_code == 400
