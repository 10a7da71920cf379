"""Staff sign-in, second factor, sign-out, lock-out and account creation."""

from __future__ import annotations

from functools import cache

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from engage.accounts import audit, totp
from engage.accounts.models import PasswordResetToken, Role, User
from engage.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    PasswordError,
)
from engage.accounts.passwords import check_password_rules as _password_rules
from engage.extensions import db
from engage.schema import utcnow

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH"]

# GOV.UK Notify's MAX_FAILED_LOGIN_COUNT: after this many wrong passwords or codes in a row the
# account is locked until an admin unlocks it.
LOCK_AFTER_FAILURES = 10
# Same message whether the account exists, is locked or the password is wrong: reveals nothing.
SIGN_IN_FAILED = "Enter a correct email address and password"
CODE_FAILED = "Enter the 6-digit code shown in your authenticator app"


class AccountError(ValueError):
    """An account could not be created or changed."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    try:
        _password_rules(password)
    except PasswordError as error:
        raise AccountError(str(error)) from error


def create_user(email: str, name: str, password: str, role: Role) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError("Enter an email address in the correct format, like name@example.com")
    check_password_rules(password)
    exists = db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    if exists:
        raise AccountError(f"A user with the email {email} already exists")
    user = User(email=email, name=name.strip() or email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", "user", user.id, detail=f"role={role.value}", user_id=None)
    return user


@cache
def _decoy_hash() -> str:
    # Checked when the account does not exist, so a missing account takes as long to refuse.
    return generate_password_hash("decoy password, never valid", method="scrypt")


def is_locked(user: User) -> bool:
    return user.failed_logins >= LOCK_AFTER_FAILURES


def _failed(user: User, why: str) -> None:
    user.failed_logins += 1
    audit.record("login_failed", "user", user.id, detail=why, user_id=user.id)
    if user.failed_logins == LOCK_AFTER_FAILURES:
        audit.record("account_locked", "user", user.id, user_id=user.id)


def check_credentials(email: str, password: str) -> User | None:
    """The user if the password is right and the account usable; None otherwise.

    This is the first step only: call complete_sign_in() once any second factor is checked.
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_decoy_hash(), password)
        audit.record("login_failed", "user", None, detail="unknown account")
        return None
    if not user.active or is_locked(user):
        check_password_hash(_decoy_hash(), password)
        audit.record("login_failed", "user", user.id, detail="locked or disabled", user_id=user.id)
        return None
    if not user.check_password(password):
        _failed(user, "wrong password")
        return None
    return user


def totp_enrolled(user: User) -> bool:
    return bool(getattr(user, "totp_secret", None))


def check_code(user: User, code: str) -> bool:
    """Check a second-factor code; each code works once. Wrong codes count towards lock-out."""
    if not user.active or is_locked(user) or not totp_enrolled(user):
        return False
    step = totp.verify(user.totp_secret, code, user.totp_last_step)
    if step is None:
        _failed(user, "wrong code")
        return False
    user.totp_last_step = step
    return True


def complete_sign_in(user: User) -> None:
    user.failed_logins = 0
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, user_id=user.id)


def authenticate(email: str, password: str) -> User | None:
    """Password-only sign-in (accounts without a second factor)."""
    user = check_credentials(email, password)
    if user is not None:
        complete_sign_in(user)
    return user


def enrol_totp(user: User, secret: str, code: str) -> None:
    """Turn on the second factor once the user proves their app shows the right codes."""
    if not hasattr(User, "totp_secret"):
        raise AccountError("The second factor needs the totp_secret and totp_last_step columns")
    step = totp.verify(secret, code, None)
    if step is None:
        raise AccountError(CODE_FAILED)
    user.totp_secret = secret
    user.totp_last_step = step
    # Other sessions were set up without the new factor: end them (ASVS 7.4.3).
    user.session_version += 1
    audit.record("totp_enrolled", "user", user.id, user_id=user.id)


def unlock(user: User, by: User) -> None:
    user.failed_logins = 0
    audit.record("account_unlocked", "user", user.id, user_id=by.id)


def set_active(user: User, active: bool, by: User) -> None:
    user.active = active
    if not active:
        user.session_version += 1
    audit.record(
        "account_enabled" if active else "account_disabled", "user", user.id, user_id=by.id
    )


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user."""
    user.session_version += 1
    audit.record("logout", "user", user.id, user_id=user.id)


def confirm_password(user: User, password: str) -> bool:
    """Re-authentication before a sensitive action (ASVS 7.5.1): wrong guesses count towards
    lock-out exactly as at sign-in."""
    if not user.active or is_locked(user):
        check_password_hash(_decoy_hash(), password)
        return False
    if not user.check_password(password):
        _failed(user, "wrong password on confirm")
        return False
    user.failed_logins = 0
    audit.record("password_confirmed", "user", user.id, user_id=user.id)
    return True


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one (ASVS 6.2.3, 7.5.1)."""
    if not user.check_password(current):
        _failed(user, "wrong password on change")
        raise AccountError("Enter your correct current password")
    check_password_rules(new)
    user.set_password(new)
    # Every other session, perhaps on a device the old password leaked to, ends now.
    user.session_version += 1
    void_reset_links(user)
    audit.record("password_changed", "user", user.id, user_id=user.id)


def void_reset_links(user: User) -> None:
    """Stop every unused "forgotten password" link for this user working."""
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
