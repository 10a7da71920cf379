"""Themes, codings, sentiment and safeguarding flags on free-text answers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.learn.text.screen import Level
from engage.learn.text.sentiment import SentimentLabel
from engage.listen.models import Channel, RespondentGroup
from engage.schema import UTCDateTime, enum_type, utcnow


class CodingSource(enum.Enum):
    AUTO = "auto"
    STAFF = "staff"


class FlagStatus(enum.Enum):
    NEW = "new"
    REVIEWED = "reviewed"
    REFERRED = "referred"
    NO_ACTION = "no_action"
    # Not a concern: the screen matched words that, read by a person, disclose no harm.
    FALSE_FLAG = "false_flag"


FLAG_STATUS_LABELS = {
    FlagStatus.NEW: "New",
    FlagStatus.REVIEWED: "Reviewed",
    FlagStatus.REFERRED: "Referred",
    FlagStatus.NO_ACTION: "No action",
    FlagStatus.FALSE_FLAG: "Not a concern (false flag)",
}


class Theme(db.Model):
    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    plain_name: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # One keyword or phrase per line.
    keywords: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Coding(db.Model):
    __tablename__ = "coding"
    __table_args__ = (UniqueConstraint("answer_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    source: Mapped[CodingSource] = mapped_column(enum_type(CodingSource, "coding_source"))
    confirmed: Mapped[bool] = mapped_column(default=False)
    coded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # How sure the analyser was of an automatic code, 0 to 1 (the theme model's calibrated
    # probability, or how often staff kept the theme's keyword codes); none for staff codes.
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    theme = relationship("Theme")
    answer = relationship("Answer")


class Sentiment(db.Model):
    __tablename__ = "sentiment"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    label: Mapped[SentimentLabel] = mapped_column(enum_type(SentimentLabel, "sentiment_label"))
    score: Mapped[float] = mapped_column(Float)
    analyser_version: Mapped[str] = mapped_column(String(40))
    # The model's probability of the label (none from the lexicon analyser).
    confidence: Mapped[float | None] = mapped_column(Float)
    # The row is also the answer's analysis: how sure its least sure decision was, 0 (a toss
    # of a coin) to 1, over the sentiment and every theme the model knows. The review queue
    # offers the least sure first; none when no model was used.
    certainty: Mapped[float | None] = mapped_column(Float, index=True)
    confirmed_label: Mapped[SentimentLabel | None] = mapped_column(
        enum_type(SentimentLabel, "confirmed_sentiment_label")
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer = relationship("Answer")


class SafeguardingFlag(db.Model):
    """Never deleted; held from purge and erasure."""

    __tablename__ = "safeguarding_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"))
    reason: Mapped[str] = mapped_column(String(200))
    # Urgent flags e-mail the safeguarding leads at once; concerns wait in the queue.
    level: Mapped[Level] = mapped_column(
        enum_type(Level, "flag_level"), default=Level.URGENT, server_default=Level.URGENT.value
    )
    # The kinds of harm the screen found, most serious first, "; " between them.
    category: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The words that matched, as the respondent wrote them (lower case); none from staff.
    matched_words: Mapped[list | None] = mapped_column(JSON)
    # The words as written, kept even if the answer is later erased.
    verbatim: Mapped[str | None] = mapped_column(Text)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[FlagStatus] = mapped_column(
        enum_type(FlagStatus, "flag_status"), default=FlagStatus.NEW
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    response = relationship("Response")
    events = relationship("FlagEvent", back_populates="flag", order_by="FlagEvent.at")


class FlagEvent(db.Model):
    """Append-only trail of what was decided about a flag."""

    __tablename__ = "flag_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_flag.id"), index=True)
    status: Mapped[FlagStatus] = mapped_column(enum_type(FlagStatus, "flag_event_status"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    flag = relationship("SafeguardingFlag", back_populates="events")
    user = relationship("User")


class QuoteApproval(db.Model):
    """A free-text answer approved for publishing, in the de-identified wording staff chose."""

    __tablename__ = "quote_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    published_text: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer = relationship("Answer")


class CodingRejection(db.Model):
    """Staff removed this automatic code: re-analysis must not add it back."""

    __tablename__ = "coding_rejection"
    __table_args__ = (UniqueConstraint("answer_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    rejected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SentimentTally(db.Model):
    """Free-text answers of submitted responses counted by sentiment (staff's where they
    confirmed it, else the analyser's) and the results filters (engage.learn.tally)."""

    __tablename__ = "sentiment_tally"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    respondent_group: Mapped[RespondentGroup] = mapped_column(
        enum_type(RespondentGroup, "respondent_group"), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"), primary_key=True)
    label: Mapped[SentimentLabel] = mapped_column(
        enum_type(SentimentLabel, "sentiment_label"), primary_key=True
    )
    answers: Mapped[int] = mapped_column(default=0)


class CodingTally(db.Model):
    """Codings of submitted answers counted by theme, the answer's sentiment ("" when it has
    none) and the results filters (engage.learn.tally)."""

    __tablename__ = "coding_tally"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    respondent_group: Mapped[RespondentGroup] = mapped_column(
        enum_type(RespondentGroup, "respondent_group"), primary_key=True
    )
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, "channel"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), primary_key=True)
    label: Mapped[str] = mapped_column(String(16), primary_key=True)
    codings: Mapped[int] = mapped_column(default=0)
