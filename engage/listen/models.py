"""Responses (drafts and submitted), their answers, and contact details kept apart."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow


class ResponseStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Channel(enum.Enum):
    ONLINE = "online"
    EASY_READ_ONLINE = "easy_read_online"
    PAPER = "paper"
    FOCUS_GROUP = "focus_group"
    PHONE = "phone"


CHANNEL_LABELS = {
    Channel.ONLINE: "Online",
    Channel.EASY_READ_ONLINE: "Easy read online",
    Channel.PAPER: "Paper",
    Channel.FOCUS_GROUP: "Focus group",
    Channel.PHONE: "Phone",
}


class RespondentGroup(enum.Enum):
    YOUNG_PERSON = "young_person"
    PARENT_CARER = "parent_carer"
    PROFESSIONAL = "professional"
    OTHER = "other"
    NOT_SAID = "not_said"


GROUP_LABELS = {
    RespondentGroup.YOUNG_PERSON: "Children and young people",
    RespondentGroup.PARENT_CARER: "Parents and carers",
    RespondentGroup.PROFESSIONAL: "Professionals",
    RespondentGroup.OTHER: "Someone else",
    RespondentGroup.NOT_SAID: "Not said",
}


class AnsweredHow(enum.Enum):
    OWN = "own"
    WITH_HELP = "with_help"
    ON_BEHALF = "on_behalf"
    NOT_SAID = "not_said"


HOW_LABELS = {
    AnsweredHow.OWN: "On their own",
    AnsweredHow.WITH_HELP: "With help",
    AnsweredHow.ON_BEHALF: "Someone answered for them",
    AnsweredHow.NOT_SAID: "Not said",
}


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("survey_id", "submission_token"),
        # The analysis worker's queue: only the few responses waiting are in the index.
        Index(
            "ix_response_analysis_pending",
            "id",
            sqlite_where=text("analysis_pending"),
            postgresql_where=text("analysis_pending"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(
        enum_type(ResponseStatus, "response_status"), default=ResponseStatus.DRAFT
    )
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"))
    respondent_group: Mapped[RespondentGroup] = mapped_column(
        enum_type(RespondentGroup, "respondent_group"), default=RespondentGroup.NOT_SAID
    )
    age_band: Mapped[str | None] = mapped_column(String(32))
    answered_how: Mapped[AnsweredHow] = mapped_column(
        enum_type(AnsweredHow, "answered_how"), default=AnsweredHow.NOT_SAID
    )
    # Issued by the server with the draft, so a repeated submit finds the same row.
    submission_token: Mapped[str] = mapped_column(String(64))
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    # Only a hash of the resume code is kept.
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resume_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A draft's answers to questions a later change hid, by question key, kept so undoing the
    # change restores them; emptied at submit (they are never sent as answers).
    set_aside_answers: Mapped[dict | None] = mapped_column(JSON)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The interface language the response was submitted in (engage.languages).
    language: Mapped[str] = mapped_column(String(12), default="en", server_default="en")
    # Submitted with free text that awaits the analysis worker (sentiment and themes; the
    # safeguarding screen ran in the submit itself). Set by the submit, cleared by the worker.
    analysis_pending: Mapped[bool] = mapped_column(default=False, server_default=false())

    survey = relationship("Survey")
    answers = relationship(
        "Answer", back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )
    contact = relationship(
        "ContactDetail", back_populates="response", uselist=False, cascade="all, delete-orphan"
    )


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    choice: Mapped[str | None] = mapped_column(String(64))
    choices: Mapped[list | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)
    skipped: Mapped[bool] = mapped_column(default=False)
    # Free text only: the language it is written in (engage.listen.answer_languages), and a
    # staff member's English translation kept beside the respondent's own words.
    language: Mapped[str | None] = mapped_column(String(12))
    translation: Mapped[str | None] = mapped_column(Text)
    # No foreign key, so the column drops cleanly on SQLite; the audit log names them too.
    translated_by_id: Mapped[int | None] = mapped_column()
    translated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    response = relationship("Response", back_populates="answers")
    question = relationship("Question")


class ContactDetail(db.Model):
    """Only for hearing back; erasable on its own without touching the answers."""

    __tablename__ = "contact_detail"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(String(254))
    wants_updates: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    response = relationship("Response", back_populates="contact")


class Erasure(db.Model):
    """A tombstone for each erased response, replayed after a restore from backup."""

    __tablename__ = "erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the response row is gone, the tombstone must outlive it.
    response_id: Mapped[int] = mapped_column(unique=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    complete: Mapped[bool] = mapped_column(default=True)


class ResponseTally(db.Model):
    """Submitted responses counted by everything a results filter can pick (engage.listen.tally).

    Kept up to date in the transaction that changes the responses, so results pages read a
    few thousand rows instead of every response.
    """

    __tablename__ = "response_tally"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # of submitted_at, in UTC
    respondent_group: Mapped[RespondentGroup] = mapped_column(
        enum_type(RespondentGroup, "respondent_group"), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"), primary_key=True)
    answered_how: Mapped[AnsweredHow] = mapped_column(
        enum_type(AnsweredHow, "answered_how"), primary_key=True
    )
    responses: Mapped[int] = mapped_column(default=0)


class AnswerTally(db.Model):
    """Answers of submitted responses counted per question and value, by the same filters.

    value is a chosen option (each one of a multiple choice), or "" for the number of people
    who answered the question at all.
    """

    __tablename__ = "answer_tally"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    respondent_group: Mapped[RespondentGroup] = mapped_column(
        enum_type(RespondentGroup, "respondent_group"), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[int] = mapped_column(default=0)
