"""Staff review of free-text answers: confirm, remove or add theme codes; confirm or correct
sentiment. What staff decide here is what the learning analysers train on.

An answer counts as reviewed once staff have confirmed its sentiment or any of its codes.
Answers on a response with a safeguarding flag are not offered: the safeguarding lead sees them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from engage.accounts.audit import record
from engage.accounts.models import User
from engage.ask.models import Question, QuestionKind, Survey
from engage.extensions import db
from engage.learn import tally as learn_tally
from engage.learn.analysis import ANALYSABLE
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
        # Another language waits for its translation (engage.learn.answer_translations).
        ANALYSABLE,
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


def remaining(survey_id: int | None = None, surveys=None, theme_id: int | None = None) -> int:
    query = _queue(survey_id, surveys)
    if theme_id is not None:
        query = query.where(_has_code(theme_id))
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def unreviewed_answer_ids(after: int = 0, limit: int = 500) -> list[int]:
    """Answers waiting for review, in arrival order from after (the refit's re-analysis)."""
    query = _queue(None).where(Answer.id > after).order_by(Answer.id).limit(limit)
    return list(db.session.scalars(query))


class Order(enum.Enum):
    LEAST_SURE = "least-sure"  # active learning: what teaches the models most comes first
    ARRIVAL = "arrival"  # in the order the answers came in


# A theme with fewer confirmed examples than this has its answers offered first: the model
# can hardly learn it yet, and each confirmation of it is worth the most.
RARE_THEME_EXAMPLES = 10
# How many of the least sure answers are weighed for the next one, and over how many answers
# just offered a theme (or a wording) should not come back.
CANDIDATES = 200
DIVERSITY_WINDOW = 3


@dataclass(frozen=True)
class QueueItem:
    answer_id: int
    certainty: float | None
    rare: bool
    # Answers with the same key are alike (the same leading theme, or the same wording).
    key: str


def order_for_review(
    items: Iterable[QueueItem], history: Sequence[str] = (), window: int = DIVERSITY_WINDOW
) -> list[int]:
    """Answers of rare themes first, then the least sure (none last, as they were analysed
    with no model), then arrival; an answer alike one of the last `window` offered waits
    until something different has been offered (uncertainty sampling with some diversity)."""
    queue = sorted(
        items,
        key=lambda item: (
            not item.rare,
            item.certainty is None,
            item.certainty or 0.0,
            item.answer_id,
        ),
    )
    recent = list(history)[-window:] if window else []
    ordered: list[int] = []
    while queue:
        pick = 0
        for position, item in enumerate(queue[: CANDIDATES if window else 1]):
            if item.key not in recent:
                pick = position
                break
        item = queue.pop(pick)
        ordered.append(item.answer_id)
        if window:
            recent = [*recent, item.key][-window:]
    return ordered


def rare_theme_ids() -> set[int]:
    confirmed = dict(
        db.session.execute(
            select(Coding.theme_id, func.count(Coding.id))
            .where(Coding.confirmed.is_(True))
            .group_by(Coding.theme_id)
        ).all()
    )
    active = db.session.scalars(select(Theme.id).where(Theme.active.is_(True)))
    return {theme for theme in active if confirmed.get(theme, 0) < RARE_THEME_EXAMPLES}


def _has_code(theme_id: int):
    return (
        select(Coding.id).where(Coding.answer_id == Answer.id, Coding.theme_id == theme_id).exists()
    )


def _queue_items(answer_ids: Sequence[int], rare: set[int]) -> list[QueueItem]:
    if not answer_ids:
        return []
    rows = db.session.execute(
        select(Answer.id, Answer.text, Sentiment.certainty)
        .outerjoin(Sentiment, Sentiment.answer_id == Answer.id)
        .where(Answer.id.in_(answer_ids))
    ).all()
    codes: dict[int, list[tuple[int, float]]] = {}
    for answer_id, theme_id, confidence in db.session.execute(
        select(Coding.answer_id, Coding.theme_id, Coding.confidence).where(
            Coding.answer_id.in_(answer_ids), Coding.confirmed.is_(False)
        )
    ):
        codes.setdefault(answer_id, []).append((theme_id, confidence or 0.0))
    items = []
    for answer_id, text, certainty in rows:
        found = codes.get(answer_id, [])
        lead = max(found, key=lambda code: (code[1], -code[0]))[0] if found else None
        key = f"theme:{lead}" if lead is not None else "text:" + " ".join(text.lower().split())
        items.append(
            QueueItem(answer_id, certainty, any(theme in rare for theme, _c in found), key)
        )
    return items


def _key_of(answer_id: int) -> str | None:
    items = _queue_items([answer_id], set())
    return items[0].key if items else None


def next_answer_id(
    after: int | None = None,
    survey_id: int | None = None,
    surveys=None,
    order: Order = Order.LEAST_SURE,
    theme_id: int | None = None,
    skipped: Iterable[int] = (),
) -> int | None:
    """The next answer to review. In arrival order: the next unreviewed one after the one
    given, wrapping round to the oldest. Least sure first: see order_for_review, over the
    CANDIDATES answers of rare themes and least sure; answers skipped are offered last."""
    query = _queue(survey_id, surveys)
    if theme_id is not None:
        query = query.where(_has_code(theme_id))
    if order is Order.ARRIVAL:
        query = query.order_by(Answer.id).limit(1)
        if after is not None:
            found = db.session.scalar(query.where(Answer.id > after))
            if found is not None:
                return found
            return db.session.scalar(query.where(Answer.id != after))
        return db.session.scalar(query)
    rare = rare_theme_ids()
    skipped = set(skipped) | ({after} if after is not None else set())
    is_rare = (
        select(Coding.id)
        .where(
            Coding.answer_id == Answer.id,
            Coding.confirmed.is_(False),
            Coding.theme_id.in_(rare),
        )
        .exists()
        if rare
        else None
    )
    # Its own alias: the queue's conditions read Sentiment in a correlated subquery.
    analysed = aliased(Sentiment)
    ranked = query.outerjoin(analysed, analysed.answer_id == Answer.id)
    if skipped:
        ranked = ranked.where(Answer.id.not_in(skipped))
    ordering = [] if is_rare is None else [is_rare.desc()]
    ranked = ranked.order_by(
        *ordering, analysed.certainty.is_(None), analysed.certainty, Answer.id
    ).limit(CANDIDATES)
    candidates = list(db.session.scalars(ranked))
    if not candidates:
        # Only skipped answers are left: offer them again, oldest first.
        return db.session.scalar(query.order_by(Answer.id).limit(1))
    history = [key for key in [_key_of(after)] if key] if after is not None else []
    return order_for_review(_queue_items(candidates, rare), history)[0]


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
    return ReviewItem(
        answer, question, survey, codings, sentiment, themes, remaining(survey_id, surveys)
    )


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
    with learn_tally.recount([answer_id]):
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


# The queue page's sorts besides the review order: by the automatic codes' confidence.
SORTS = {"confidence-low": "Least confident code first", "confidence-high": "Most confident first"}
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueRow:
    answer_id: int
    text: str
    certainty: float | None
    # (theme name, confidence) of each code not yet confirmed, most confident first.
    codes: list[tuple[str, float | None]]


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int


def queue_page(
    survey_id: int | None = None,
    surveys=None,
    order: Order = Order.LEAST_SURE,
    theme_id: int | None = None,
    sort: str = "",
) -> QueuePage:
    """The next QUEUE_PAGE_SIZE answers waiting for review, in the review order chosen, or
    sorted by the confidence of their automatic codes (of the theme chosen, if one is)."""
    query = _queue(survey_id, surveys)
    if theme_id is not None:
        query = query.where(_has_code(theme_id))
    if sort in SORTS:
        confidence = select(
            (func.min if sort == "confidence-low" else func.max)(Coding.confidence)
        ).where(
            Coding.answer_id == Answer.id,
            Coding.confirmed.is_(False),
            Coding.confidence.is_not(None),
            *(() if theme_id is None else (Coding.theme_id == theme_id,)),
        )
        value = confidence.scalar_subquery()
        direction = value.asc() if sort == "confidence-low" else value.desc()
        ids = list(
            db.session.scalars(
                query.order_by(value.is_(None), direction, Answer.id).limit(QUEUE_PAGE_SIZE)
            )
        )
    elif order is Order.ARRIVAL:
        ids = list(db.session.scalars(query.order_by(Answer.id).limit(QUEUE_PAGE_SIZE)))
    else:
        rare = rare_theme_ids()
        analysed = aliased(Sentiment)
        ranked = query.outerjoin(analysed, analysed.answer_id == Answer.id)
        if rare:
            ranked = ranked.order_by(
                select(Coding.id)
                .where(
                    Coding.answer_id == Answer.id,
                    Coding.confirmed.is_(False),
                    Coding.theme_id.in_(rare),
                )
                .exists()
                .desc()
            )
        ranked = ranked.order_by(analysed.certainty.is_(None), analysed.certainty, Answer.id)
        candidates = list(db.session.scalars(ranked.limit(CANDIDATES)))
        ids = order_for_review(_queue_items(candidates, rare))[:QUEUE_PAGE_SIZE]
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(ids))).all())
    certainties = dict(
        db.session.execute(
            select(Sentiment.answer_id, Sentiment.certainty).where(Sentiment.answer_id.in_(ids))
        ).all()
    )
    codes: dict[int, list[tuple[str, float | None]]] = {}
    for answer_id, name, confidence in db.session.execute(
        select(Coding.answer_id, Theme.name, Coding.confidence)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(Coding.answer_id.in_(ids), Coding.confirmed.is_(False))
    ):
        codes.setdefault(answer_id, []).append((name, confidence))
    rows = [
        QueueRow(
            answer_id,
            texts[answer_id],
            certainties.get(answer_id),
            sorted(codes.get(answer_id, []), key=lambda code: (-(code[1] or 0.0), code[0])),
        )
        for answer_id in ids
    ]
    return QueuePage(rows, remaining(survey_id, surveys, theme_id))
