"""Actions ("We will ...") and their dated progress updates."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow


class ActionStatus(enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"


STATUS_LABELS = {
    ActionStatus.PLANNED: "Planned",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.NOT_POSSIBLE: "Not possible",
}


action_theme = Table(
    "action_theme",
    db.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Action(db.Model):
    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint(
            "status <> 'not_possible' OR length(not_possible_reason) > 0",
            name="reason_when_not_possible",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus, "action_status"), default=ActionStatus.PLANNED
    )
    not_possible_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    themes = relationship("Theme", secondary=action_theme, order_by="Theme.name")
    service = relationship("Service")
    engagement = relationship("Engagement")
    owner_organisation = relationship("Organisation")
    updates = relationship("ActionUpdate", back_populates="action", order_by="ActionUpdate.at")


class ActionUpdate(db.Model):
    __tablename__ = "action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus, "action_update_status"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    action = relationship("Action", back_populates="updates")
