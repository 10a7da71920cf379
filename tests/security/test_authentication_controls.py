"""test_authentication_controls: weak, breached and long passwords; lock-out after 10
failures with the same message; scrypt; single-use TOTP codes; TOTP required by config."""

from __future__ import annotations

import hashlib
import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from engage.accounts import totp
from engage.accounts.auth import (
    LOCK_AFTER_FAILURES,
    SIGN_IN_FAILED,
    AccountError,
    check_password_rules,
    create_user,
)
from engage.accounts.models import AuditEvent, Role, User
from engage.extensions import db
from tests.conftest import PASSWORD, sign_in

needs_totp_columns = pytest.mark.skipif(
    not hasattr(User, "totp_secret"),
    reason="User.totp_secret and User.totp_last_step columns not added yet",
)


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "elevenchars",
        "password1234",  # a common password with digits on the end
        "qazwsxedcrfv",
        "PeanutButter",
        "passwordpassword",
        "aaaaaaaaaaaaaaaa",
        "iloveyou2024!",
        "1q2w3e4r5t6y",
        "x" * 257,
    ],
)
def test_weak_breached_and_overlong_passwords_are_refused(password):
    with pytest.raises(AccountError):
        check_password_rules(password)


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,  # lower case and spaces only: no composition rules
        "purple tractor umbrella 1987",
        "ThisIsA64CharacterPassphraseWithNoParticularRulesAtAllJustLength1",
        "žluťoučký kůň úpí",
        "w" * 100 + "z" * 156,
    ],
)
def test_long_passphrases_without_composition_rules_are_accepted(password):
    check_password_rules(password)


def test_breached_list_is_bundled_and_large(app):
    from engage.accounts.passwords import common_passwords

    assert len(common_passwords()) >= 10_000


def test_passwords_are_stored_with_scrypt(app_context):
    user = create_user("hash@engage.example", "Hash", PASSWORD, Role.VIEWER)
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def _message(response) -> str:
    page = response.get_data(as_text=True)
    found = re.search(r'<p id="password-error" class="govuk-error-message">(.*?)</p>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def test_unknown_wrong_and_locked_accounts_get_the_same_message(app, client, make_user):
    email = make_user(Role.VIEWER)
    unknown = sign_in(client, "nobody@engage.example", "wrong password here")
    wrong = sign_in(client, email, "wrong password here")
    for _ in range(LOCK_AFTER_FAILURES):
        sign_in(client, email, "wrong password here")
    locked = sign_in(client, email, PASSWORD)
    assert unknown.status_code == wrong.status_code == locked.status_code == 400
    assert _message(unknown) == _message(wrong) == _message(locked)
    assert SIGN_IN_FAILED in _message(locked)


def test_ten_failures_lock_the_account_until_an_admin_unlocks_it(
    app, client, staff_client, make_user
):
    email = make_user(Role.COMMISSIONER)
    for _ in range(LOCK_AFTER_FAILURES):
        assert sign_in(client, email, "not the password!!").status_code == 400
    assert sign_in(client, email).status_code == 400  # right password, but locked
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user_id = user.id
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(user_id))
        ).all()
        assert actions.count("account_locked") == 1
    admin = staff_client(Role.ADMIN)
    users_page = admin.get("/staff/users").get_data(as_text=True)
    assert "Locked" in users_page and email in users_page
    assert admin.post(f"/staff/users/{user_id}/unlock").status_code == 303
    assert sign_in(client, email).status_code == 303


def test_only_admins_can_unlock(app, staff_client, make_user):
    email = make_user(Role.VIEWER)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    for role in (Role.COMMISSIONER, Role.VIEWER, Role.SAFEGUARDING_LEAD):
        assert staff_client(role).post(f"/staff/users/{user_id}/unlock").status_code == 403


# RFC 6238 Appendix B, SHA-1, 8 digits, secret "12345678901234567890".
RFC_6238_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("at", "expected"), RFC_6238_VECTORS)
def test_totp_matches_rfc_6238(at, expected):
    assert totp.hotp(b"12345678901234567890", at // 30, digits=8, digest=hashlib.sha1) == expected


def test_totp_code_is_single_use_and_window_is_one_step():
    secret = totp.new_secret()
    now = 1_800_000_000
    code = totp.code_at(secret, now)
    step = totp.verify(secret, code, None, at=now)
    assert step == totp.time_step(now)
    assert totp.verify(secret, code, step, at=now) is None  # replay refused
    assert totp.verify(secret, totp.code_at(secret, now - 30), None, at=now) is not None
    assert totp.verify(secret, totp.code_at(secret, now - 90), None, at=now) is None
    assert totp.verify(secret, "12345", None, at=now) is None
    assert len(secret) == 32  # 160 bits in base32


def _enrol(app, client, email) -> str:
    sign_in(client, email)
    page = client.get("/staff/two-step").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(
        "/staff/two-step", data={"password": PASSWORD, "code": totp.code_at(secret)}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return secret


@needs_totp_columns
def test_totp_second_step_and_replayed_code_refused(app, make_user):
    email = make_user(Role.SAFEGUARDING_LEAD)
    with freeze_time("2026-03-02 09:00:00") as clock:
        secret = _enrol(app, app.test_client(), email)
        clock.tick(60)
        client = app.test_client()
        response = sign_in(client, email)
        assert response.headers["Location"].endswith("/staff/sign-in/code")
        assert client.get("/staff/").status_code == 302  # not signed in yet
        code = totp.code_at(secret)
        assert client.post("/staff/sign-in/code", data={"code": code}).status_code == 303
        assert client.get("/staff/").status_code == 200
        # Same code again, within its 30 seconds, on another device: refused.
        thief = app.test_client()
        sign_in(thief, email)
        replay = thief.post("/staff/sign-in/code", data={"code": code})
        assert replay.status_code == 400
        assert "Enter the 6-digit code" in replay.get_data(as_text=True)
        assert thief.get("/staff/").status_code == 302


@needs_totp_columns
def test_totp_enrolment_asks_for_the_password_again(app, client, make_user):
    sign_in(client, make_user(Role.ADMIN))
    page = client.get("/staff/two-step").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(
        "/staff/two-step", data={"password": "not my password!", "code": totp.code_at(secret)}
    )
    assert response.status_code == 400
    assert "Enter your correct password" in response.get_data(as_text=True)


def test_required_totp_sends_staff_to_set_it_up_first(app, database_uri, make_user):
    from tests.conftest import make_app

    strict = make_app(database_uri, REQUIRE_TOTP=True)
    client = strict.test_client()
    sign_in(client, make_user(Role.ADMIN))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/two-step")
    assert "Set up two-step sign in" in client.get("/staff/two-step").get_data(as_text=True)


def test_no_default_accounts_exist_after_setup(app_context):
    assert db.session.scalar(select(User).limit(1)) is None


def test_changing_the_password_needs_the_old_one_and_ends_other_sessions(app, make_user):
    email = make_user(Role.COMMISSIONER)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email)
    sign_in(phone, email)
    wrong = laptop.post(
        "/staff/password",
        data={"current_password": "not my password", "new_password": "a brand new passphrase"},
    )
    assert wrong.status_code == 400
    assert "Enter your correct current password" in wrong.get_data(as_text=True)
    weak = laptop.post(
        "/staff/password", data={"current_password": PASSWORD, "new_password": "password1234"}
    )
    assert weak.status_code == 400
    assert "too easy to guess" in weak.get_data(as_text=True)
    done = laptop.post(
        "/staff/password",
        data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert done.status_code == 303
    assert laptop.get("/staff/").status_code == 200  # this session carries on
    assert phone.get("/staff/").status_code == 302  # the other one ends
    assert sign_in(app.test_client(), email).status_code == 400
    assert sign_in(app.test_client(), email, "a brand new passphrase").status_code == 303
