"""'You said, we did' updates and the outbox that tells people who opted in."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow


class UpdateStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


update_action = Table(
    "update_action",
    db.metadata,
    Column("update_id", ForeignKey("update.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
)


class Update(db.Model):
    __tablename__ = "update"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    title: Mapped[str] = mapped_column(String(200))
    # The easy-read page's own title; the standard title stands in while it is empty.
    easy_read_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    you_said: Mapped[str] = mapped_column(Text, default="")
    we_did: Mapped[str] = mapped_column(Text, default="")
    easy_read_you_said: Mapped[str] = mapped_column(Text, default="")
    easy_read_we_did: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[UpdateStatus] = mapped_column(
        enum_type(UpdateStatus, "update_status"), default=UpdateStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a published update's words last changed (staff edit, a quote taken out): feeds and
    # caches look at it to know the public text is new.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def changed_at(self) -> datetime | None:
        return self.edited_at or self.published_at

    engagement = relationship("Engagement")
    theme = relationship("Theme")
    actions = relationship("Action", secondary=update_action, order_by="Action.id")


class OutboxMessage(db.Model):
    """Email queued in the publishing transaction, sent after commit."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
