"""Organisations, commissioned services and engagements."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow


class OrganisationKind(enum.Enum):
    COUNCIL = "council"
    NHS = "nhs"
    JOINT = "joint"
    PROVIDER = "provider"
    PARENT_FORUM = "parent_forum"


class CommissioningStage(enum.Enum):
    UNDERSTAND = "understand"
    PLAN = "plan"
    DELIVER = "deliver"
    REVIEW = "review"


STAGE_LABELS = {
    CommissioningStage.UNDERSTAND: _l("Understand: what do children and families need?"),
    CommissioningStage.PLAN: _l("Plan: what should we buy or change?"),
    CommissioningStage.DELIVER: _l("Deliver: how is the service working?"),
    CommissioningStage.REVIEW: _l("Review: did it make a difference?"),
}


class EngagementStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    RESPONDED = "responded"


STATUS_LABELS = {
    EngagementStatus.DRAFT: _l("Draft: only staff can see it"),
    EngagementStatus.OPEN: _l("Open: shown on the public pages"),
    EngagementStatus.CLOSED: _l("Closed: no longer asking"),
    EngagementStatus.RESPONDED: _l("Responded: we have said what we did"),
}


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind, "organisation_kind"))


class Service(db.Model):
    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    contract_reference: Mapped[str | None] = mapped_column(String(80))

    commissioner = relationship("Organisation")


engagement_service = Table(
    "engagement_service",
    db.metadata,
    Column("engagement_id", ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Engagement(db.Model):
    __tablename__ = "engagement"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    easy_read_title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    easy_read_summary: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    easy_read_why: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    easy_read_next_steps: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[CommissioningStage] = mapped_column(
        enum_type(CommissioningStage, "commissioning_stage")
    )
    status: Mapped[EngagementStatus] = mapped_column(
        enum_type(EngagementStatus, "engagement_status"), default=EngagementStatus.DRAFT
    )
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Archived: out of the lists and menus, still counted in results and reports.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one-time token of the form that created it: a repeated submit finds this row.
    creation_token: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)

    organisation = relationship("Organisation")
    services = relationship("Service", secondary=engagement_service, order_by="Service.name")
    surveys = relationship("Survey", back_populates="engagement", order_by="Survey.id")
