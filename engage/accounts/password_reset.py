"""Forgotten passwords: one-hour, single-use links sent by email (ASVS 6.4.1, 11.5.1).

The token goes only into the email; the database keeps its SHA-256, so a copy of the
database cannot be turned into a working link.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from engage.accounts import audit, auth
from engage.accounts.models import PasswordResetToken, User
from engage.extensions import db
from engage.mail import MailError, send_email
from engage.schema import utcnow

LINK_LIFETIME = timedelta(hours=1)
# Used and expired links are kept this long (so "already used" can be told apart), then go.
KEEP_OLD_LINKS = timedelta(days=1)
# 32 random bytes: 256 bits, well over ASVS's 128.
TOKEN_BYTES = 32

log = logging.getLogger("engage.accounts")


class LinkAlreadyUsed(Exception):
    """Another request used the link between the check and the save."""


class LinkProblem(enum.Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_link(email: str) -> tuple[User, str] | None:
    """Make a link for the account at this address: (user, token), or None if there is no
    usable account. The caller says the same thing either way."""
    # The token and its hash are made either way, so both answers cost the same work.
    token = secrets.token_urlsafe(TOKEN_BYTES)
    hashed = token_hash(token)
    user = db.session.scalar(select(User).where(User.email == auth.normalise_email(email)))
    if user is None:
        audit.record("password_reset_requested", "user", None, detail="unknown account")
        return None
    if not user.active:
        audit.record("password_reset_requested", "user", user.id, detail="account turned off")
        return None
    now = utcnow()
    db.session.execute(
        delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at < now - KEEP_OLD_LINKS,
        )
    )
    db.session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=hashed, created_at=now, expires_at=now + LINK_LIFETIME
        )
    )
    audit.record("password_reset_requested", "user", user.id, detail="link sent", user_id=user.id)
    return user, token


def find(token: str) -> tuple[PasswordResetToken | None, LinkProblem | None]:
    """The link a token belongs to if it can still be used, else what is wrong with it."""
    if not token or len(token) > 128:
        return None, LinkProblem.INVALID
    link = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token))
    )
    return check(link)


def check(
    link: PasswordResetToken | None,
) -> tuple[PasswordResetToken | None, LinkProblem | None]:
    if link is None or not link.user.active:
        return None, LinkProblem.INVALID
    if link.used_at is not None:
        return None, LinkProblem.USED
    if link.expires_at <= utcnow():
        return None, LinkProblem.EXPIRED
    return link, None


def reset_password(link: PasswordResetToken, new_password: str) -> User:
    """Set the new password through a checked link. Raises auth.AccountError if the password
    is refused (the link still works), LinkAlreadyUsed if the link was used meanwhile."""
    auth.check_password_rules(new_password)
    # Claim the link in the database, so two requests racing with one link cannot both win.
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == link.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise LinkAlreadyUsed
    user = link.user
    user.set_password(new_password)
    auth.void_reset_links(user)
    # Sessions anywhere else (perhaps the person who knew the old password) end now, and
    # the lock-out is lifted: the person has proved they hold the mailbox.
    user.session_version += 1
    user.failed_logins = 0
    audit.record("password_reset", "user", user.id, user_id=user.id)
    return user


def email_body(link_url: str) -> str:
    # The link and nothing else personal: no name, no email address, no role.
    service = current_app.config["SERVICE_NAME"]
    return (
        f"Someone asked to reset the password for your {service} staff account.\n\n"
        f"To choose a new password, open this link:\n\n{link_url}\n\n"
        "The link works once and stops working after 1 hour.\n\n"
        "If you did not ask for this, you can ignore this email: your password has not "
        "changed.\n"
    )


def send_link(to: str, link_url: str) -> None:
    """Email the link. Failures are logged without the address or the link."""
    service = current_app.config["SERVICE_NAME"]
    try:
        send_email(to, f"Reset your {service} password", email_body(link_url))
    except MailError as error:
        log.warning("password reset email not sent: %s", error)
