"""This area's sentiment analyser: the model trained on staff-confirmed labels once there are
enough of them, else the lexicon analyser (both in engage.learn.text.sentiment); and staff
confirming a label."""

from __future__ import annotations

from sqlalchemy import case, func, select

from engage.accounts import audit
from engage.ask.models import Question
from engage.extensions import db
from engage.learn import refit
from engage.learn.models import Sentiment, SentimentLabel
from engage.learn.text.sentiment import (
    MIN_LABELS_FOR_MODEL,
    LexiconAnalyser,
    ModelAnalyser,
    train_model,
)
from engage.listen.models import Answer

_models = refit.Refitter("sentiment")
_LEXICON = LexiconAnalyser()


def _confirmed_key() -> tuple[int, int]:
    # Count and a checksum of (row, label), so a corrected label also invalidates the model.
    label_code = case(
        (Sentiment.confirmed_label == SentimentLabel.POSITIVE, 1),
        (Sentiment.confirmed_label == SentimentLabel.NEUTRAL, 2),
        else_=3,
    )
    count, checksum = db.session.execute(
        select(
            func.count(Sentiment.id), func.coalesce(func.sum(Sentiment.id * label_code), 0)
        ).where(Sentiment.confirmed_label.is_not(None))
    ).one()
    return int(count), int(checksum)


def current_analyser() -> ModelAnalyser | LexiconAnalyser:
    """The model trained on staff-confirmed labels once there are MIN_LABELS_FOR_MODEL of at
    least two kinds, else the lexicon analyser.

    The model is fitted from the database and kept in this process (engage.learn.refit:
    refitted after every REFIT_EVERY confirmations, in the background during a request; a
    few thousand labels fit in about a second). Nothing is pickled to disk: the labels in the
    database are the one source, every app server sharing the database derives the same
    model, and there is no stale or tampered file to load.
    """
    key = _confirmed_key()
    model = _models.get(
        refit.scope(),
        key=key,
        count=key[0],
        shape="sentiment",
        fit=lambda: _fit_from_labels(key[0]),
        minimum=MIN_LABELS_FOR_MODEL,
        after_fit=_rescore_unreviewed,
    )
    return model if model is not None else _LEXICON


def _fit_from_labels(count: int) -> ModelAnalyser | None:
    if count < MIN_LABELS_FOR_MODEL:
        return None
    texts, questions, labels = _confirmed_examples()
    if len(set(labels)) < 2:
        return None
    return train_model(texts, questions, labels)


def _rescore_unreviewed() -> None:
    from engage.learn.analysis import rescore_unreviewed

    rescore_unreviewed()


def _confirmed_examples() -> tuple[list[str], list[str | None], list[SentimentLabel]]:
    rows = db.session.execute(
        select(Answer.text, Question.text, Sentiment.confirmed_label)
        .join(Sentiment, Sentiment.answer_id == Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Sentiment.confirmed_label.is_not(None), Answer.text.is_not(None))
        .order_by(Sentiment.id)
    ).all()
    return [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]


def confirm_sentiment(row, label: SentimentLabel, user) -> None:
    """Staff confirm or correct an answer's sentiment; the label then sticks through
    re-analysis and teaches the model. Does not commit."""
    row.confirmed_label = label
    row.confirmed_by_id = user.id
    row.label = label
    audit.record("sentiment_confirmed", "sentiment", row.id, detail=label.value, user_id=user.id)
