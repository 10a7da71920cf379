"""Staff review of free-text answers: confirm, remove or add theme codes; confirm or correct
sentiment. What staff decide here is what the learning analysers train on.

An answer counts as reviewed once staff have confirmed its sentiment or any of its codes.
Answers on a response with a safeguarding flag are not offered: the safeguarding lead sees them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from engage.accounts.audit import record
from engage.accounts.models import User
from engage.ask.models import Question, QuestionKind, Survey
from engage.extensions import db
from engage.learn.models import (
    Coding,
    CodingRejection,
    CodingSource,
    SafeguardingFlag,
    Sentiment,
    SentimentLabel,
    Theme,
)
from engage.learn.sentiment import confirm_sentiment
from engage.listen.models import Answer, Response, ResponseStatus

STAFF_ANALYSER = "staff"
SCORES = {SentimentLabel.POSITIVE: 1.0, SentimentLabel.NEUTRAL: 0.0, SentimentLabel.NEGATIVE: -1.0}


class ReviewError(ValueError):
    """The answer cannot be reviewed (not found, not submitted, or flagged for safeguarding)."""


@dataclass
class ReviewItem:
    answer: Answer
    question: Question
    survey: Survey
    codings: list[Coding]
    sentiment: Sentiment | None
    themes: list[Theme]
    remaining: int

    @property
    def coded_theme_ids(self) -> set[int]:
        return {coding.theme_id for coding in self.codings}

    @property
    def suggested_sentiment(self) -> SentimentLabel | None:
        if self.sentiment is None:
            return None
        return self.sentiment.confirmed_label or self.sentiment.label


def _reviewable(surveys=None):
    """Free-text answers on submitted, unflagged responses (of the surveys given, if any: a
    subquery of the survey ids in the reviewer's reach)."""
    in_reach = () if surveys is None else (Response.survey_id.in_(surveys),)
    return (
        *in_reach,
        Answer.text.is_not(None),
        Answer.text != "",
        Response.status == ResponseStatus.SUBMITTED,
        Question.kind == QuestionKind.FREE_TEXT,
        ~select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == Response.id).exists(),
    )


def _unreviewed():
    return (
        ~select(Sentiment.id)
        .where(Sentiment.answer_id == Answer.id, Sentiment.confirmed_label.is_not(None))
        .exists(),
        ~select(Coding.id).where(Coding.answer_id == Answer.id, Coding.confirmed).exists(),
    )


def _queue(survey_id: int | None, surveys=None):
    query = (
        select(Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(*_reviewable(surveys), *_unreviewed())
    )
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    return query


def remaining(survey_id: int | None = None, surveys=None) -> int:
    queue = _queue(survey_id, surveys).subquery()
    return db.session.scalar(select(func.count()).select_from(queue)) or 0


def next_answer_id(
    after: int | None = None, survey_id: int | None = None, surveys=None
) -> int | None:
    """The next unreviewed answer after the one given, wrapping round to the oldest."""
    query = _queue(survey_id, surveys).order_by(Answer.id).limit(1)
    if after is not None:
        found = db.session.scalar(query.where(Answer.id > after))
        if found is not None:
            return found
        return db.session.scalar(query.where(Answer.id != after))
    return db.session.scalar(query)


def load(answer_id: int, survey_id: int | None = None, surveys=None) -> ReviewItem:
    row = db.session.execute(
        select(Answer, Question, Survey)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Answer.id == answer_id, *_reviewable(surveys))
    ).first()
    if row is None:
        raise ReviewError("That answer cannot be reviewed.")
    answer, question, survey = row
    codings = list(
        db.session.scalars(select(Coding).where(Coding.answer_id == answer.id).order_by(Coding.id))
    )
    sentiment = db.session.scalar(select(Sentiment).where(Sentiment.answer_id == answer.id))
    themes = list(db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.name)))
    # A theme switched off after it was coded still shows, so staff can remove it.
    coded_ids = {coding.theme_id for coding in codings}
    themes += [
        theme
        for theme in db.session.scalars(
            select(Theme).where(Theme.id.in_(coded_ids), ~Theme.active).order_by(Theme.name)
        )
    ]
    return ReviewItem(answer, question, survey, codings, sentiment, themes, remaining(survey_id))


def _reject(answer_id: int, theme_id: int, user: User) -> None:
    exists = db.session.scalar(
        select(CodingRejection.id).where(
            CodingRejection.answer_id == answer_id, CodingRejection.theme_id == theme_id
        )
    )
    if exists is None:
        db.session.add(
            CodingRejection(answer_id=answer_id, theme_id=theme_id, rejected_by_id=user.id)
        )


def save(
    answer_id: int,
    theme_ids: Iterable[int],
    sentiment: SentimentLabel,
    user: User,
) -> None:
    """Staff's decision on one answer: the codes kept or added are confirmed, the rest go, and
    the sentiment is confirmed or corrected. The learning coder and analyser train on these."""
    item = load(answer_id)
    wanted = set(theme_ids)
    known = {theme.id for theme in item.themes}
    if not wanted <= known:
        raise ReviewError("Choose themes from the codebook.")
    for coding in item.codings:
        if coding.theme_id in wanted:
            coding.confirmed = True
            coding.coded_by_id = user.id
        else:
            if coding.source is CodingSource.AUTO:
                _reject(answer_id, coding.theme_id, user)
            db.session.delete(coding)
    if wanted:
        # A theme staff add back by hand is no longer rejected.
        db.session.execute(
            delete(CodingRejection).where(
                CodingRejection.answer_id == answer_id, CodingRejection.theme_id.in_(wanted)
            )
        )
    for theme_id in sorted(wanted - item.coded_theme_ids):
        db.session.add(
            Coding(
                answer_id=answer_id,
                theme_id=theme_id,
                source=CodingSource.STAFF,
                confirmed=True,
                coded_by_id=user.id,
            )
        )
    row = item.sentiment
    if row is None:
        # Not analysed yet: staff's label stands as the analysis too.
        row = Sentiment(
            answer_id=answer_id,
            label=sentiment,
            score=SCORES[sentiment],
            analyser_version=STAFF_ANALYSER,
        )
        db.session.add(row)
        db.session.flush()
    confirm_sentiment(row, sentiment, user)
    record(
        "review_answer",
        "answer",
        answer_id,
        f"themes={','.join(str(t) for t in sorted(wanted)) or 'none'}",
        user_id=user.id,
    )
