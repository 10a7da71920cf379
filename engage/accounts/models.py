"""Staff users, their roles, password reset tokens and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow


class Role(enum.Enum):
    ADMIN = "admin"
    COMMISSIONER = "commissioner"
    VIEWER = "viewer"
    SAFEGUARDING_LEAD = "safeguarding_lead"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout and password change so old session cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-step sign-in (RFC 6238); the last time step used makes each code single-use.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    organisation = relationship("Organisation")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class PasswordResetToken(db.Model):
    """A "forgotten password" link. Only the SHA-256 of the token is kept (ASVS 11.5.1)."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when this link is used, or when another link or a password change makes it void.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # Never free text a respondent typed: identifiers and outcomes only.
    detail: Mapped[str | None] = mapped_column(Text)

    user = relationship("User")
