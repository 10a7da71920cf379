"""Surveys, their ordered questions and options."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow


class Audience(enum.Enum):
    YOUNG_PEOPLE = "young_people"
    PARENTS_CARERS = "parents_carers"
    PROFESSIONALS = "professionals"
    EVERYONE = "everyone"


AUDIENCE_LABELS = {
    Audience.YOUNG_PEOPLE: _l("Children and young people"),
    Audience.PARENTS_CARERS: _l("Parents and carers"),
    Audience.PROFESSIONALS: _l("Professionals"),
    Audience.EVERYONE: _l("Everyone"),
}


class SurveyMode(enum.Enum):
    EASY_READ = "easy_read"
    STANDARD = "standard"


MODE_LABELS = {
    SurveyMode.EASY_READ: _l("Easy read: one question per page, symbols, faces and read-aloud"),
    SurveyMode.STANDARD: _l("Standard: GOV.UK question pages"),
}


class SurveyStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


STATUS_TAGS = {
    SurveyStatus.DRAFT: "govuk-tag--grey",
    SurveyStatus.PUBLISHED: "govuk-tag--green",
    SurveyStatus.CLOSED: "govuk-tag--orange",
}

STATUS_LABELS = {
    SurveyStatus.DRAFT: "Draft",
    SurveyStatus.PUBLISHED: "Published",
    SurveyStatus.CLOSED: "Closed",
}


class QuestionKind(enum.Enum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FEELINGS_SCALE = "feelings_scale"
    AGREE_SCALE = "agree_scale"
    YES_NO = "yes_no"
    FREE_TEXT = "free_text"
    # "About you" questions: their answers also describe the response.
    RESPONDENT_GROUP = "respondent_group"
    AGE_BAND = "age_band"
    ANSWERED_HOW = "answered_how"


class Survey(db.Model):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    easy_read_title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    easy_read_description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = mapped_column(enum_type(Audience, "audience"))
    mode: Mapped[SurveyMode] = mapped_column(enum_type(SurveyMode, "survey_mode"))
    status: Mapped[SurveyStatus] = mapped_column(
        enum_type(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT
    )
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id"))
    minutes_to_complete: Mapped[int] = mapped_column(Integer, default=5)
    retention_days: Mapped[int] = mapped_column(Integer, default=730)
    one_question_per_page: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Archived: out of the lists and menus, still counted in results and reports.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one-time token of the form that created it: a repeated submit finds this row.
    creation_token: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    # Its own dates; when not set, its engagement's apply (ask.schedule).
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    # When staff closed it, or a command marked it closed by its date.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hours after the close in which a draft started before it may still be sent.
    grace_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")

    engagement = relationship("Engagement", back_populates="surveys")
    questions = relationship(
        "Question",
        back_populates="survey",
        order_by="Question.position",
        cascade="all, delete-orphan",
        foreign_keys="Question.survey_id",
    )


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind, "question_kind"))
    text: Mapped[str] = mapped_column(String(500))
    easy_read_text: Mapped[str] = mapped_column(String(500), default="")
    hint: Mapped[str] = mapped_column(Text, default="")
    easy_read_hint: Mapped[str] = mapped_column(Text, default="")
    symbol: Mapped[str | None] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(String(120), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    max_length: Mapped[int] = mapped_column(Integer, default=2000)
    # Skip logic: shown only when the answer to show_if_key equals show_if_value.
    show_if_key: Mapped[str | None] = mapped_column(String(64))
    show_if_value: Mapped[str | None] = mapped_column(String(64))

    survey = relationship("Survey", back_populates="questions", foreign_keys=[survey_id])
    options = relationship(
        "Option",
        back_populates="question",
        order_by="Option.position",
        cascade="all, delete-orphan",
    )


class Option(db.Model):
    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(200))
    easy_read_text: Mapped[str] = mapped_column(String(200), default="")
    symbol: Mapped[str | None] = mapped_column(String(80))

    question = relationship("Question", back_populates="options")
