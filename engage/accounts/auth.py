"""Staff sign-in, sign-out and account creation."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.accounts import audit
from engage.accounts.models import Role, User
from engage.extensions import db
from engage.schema import utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
LOCK_AFTER_FAILURES = 10
# Same message whether the account exists or not, so it reveals nothing.
SIGN_IN_FAILED = "Enter a correct email address and password"


class AccountError(ValueError):
    """An account could not be created or changed."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer")


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


def authenticate(email: str, password: str) -> User | None:
    """The user if the password is right and the account usable; None otherwise."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        audit.record("login_failed", "user", None, detail="unknown account")
        return None
    if not user.active or user.failed_logins >= LOCK_AFTER_FAILURES:
        audit.record("login_failed", "user", user.id, detail="locked or disabled", user_id=user.id)
        return None
    if not user.check_password(password):
        user.failed_logins += 1
        audit.record("login_failed", "user", user.id, detail="wrong password", user_id=user.id)
        return None
    user.failed_logins = 0
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, user_id=user.id)
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user."""
    user.session_version += 1
    audit.record("logout", "user", user.id, user_id=user.id)
