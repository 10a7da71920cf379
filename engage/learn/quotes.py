"""The quotes browser: free-text answers to read and quote, and a check for identifying details.

Any response with a safeguarding flag is left out entirely: flagged words are shown only in the
safeguarding queue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy import func, select

from engage.accounts import audit
from engage.ask.models import Question
from engage.extensions import db
from engage.learn.cache import cached
from engage.learn.models import (
    Coding,
    QuoteApproval,
    SafeguardingFlag,
    Sentiment,
    SentimentLabel,
    Theme,
)
from engage.learn.results import Filters, Scope, effective_sentiment, response_conditions
from engage.listen.models import Answer, RespondentGroup, Response
from engage.schema import utcnow


def _sentiment(value) -> SentimentLabel:
    return value if isinstance(value, SentimentLabel) else SentimentLabel(value)


@dataclass
class Quote:
    answer_id: int
    response_id: int
    text: str
    question: str
    group: RespondentGroup
    submitted_at: datetime | None
    sentiment: SentimentLabel | None
    themes: list[str] = field(default_factory=list)


@dataclass
class QuotePage:
    quotes: list[Quote]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_quotes(
    scope: Scope,
    filters: Filters,
    *,
    search: str = "",
    theme_id: int | None = None,
    sentiment: SentimentLabel | None = None,
    page: int = 1,
    per_page: int = 20,
    use_cache: bool = True,
) -> QuotePage:
    """Free-text answers to quote; any response with a safeguarding flag is left out.

    From the figures cache until any data under it change (a flag raised included)."""
    key = ("quotes", scope, filters, search, theme_id, sentiment, max(1, page), per_page)
    compute = partial(_find_quotes, scope, filters, search, theme_id, sentiment, page, per_page)
    return cached(key, compute) if use_cache else compute()


def _find_quotes(
    scope: Scope,
    filters: Filters,
    search: str,
    theme_id: int | None,
    sentiment: SentimentLabel | None,
    page: int,
    per_page: int,
) -> QuotePage:
    label = effective_sentiment()
    conditions = [
        *response_conditions(scope, filters),
        Answer.text.is_not(None),
        Answer.text != "",
        ~select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == Response.id).exists(),
    ]
    if search.strip():
        pattern = f"%{_like_escape(search.strip().lower())}%"
        conditions.append(func.lower(Answer.text).like(pattern, escape="\\"))
    if theme_id is not None:
        conditions.append(
            select(Coding.id)
            .where(Coding.answer_id == Answer.id, Coding.theme_id == theme_id)
            .exists()
        )
    if sentiment is not None:
        conditions.append(label == sentiment.value)
    base = (
        select(
            Answer.id,
            Answer.response_id,
            Answer.text,
            Question.text,
            Response.respondent_group,
            Response.submitted_at,
            label,
        )
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(Sentiment, Sentiment.answer_id == Answer.id)
        .where(*conditions)
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = max(1, page)
    rows = db.session.execute(
        base.order_by(Response.submitted_at.desc(), Answer.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    quotes = [
        Quote(
            answer_id=row[0],
            response_id=row[1],
            text=row[2],
            question=row[3],
            group=row[4],
            submitted_at=row[5],
            sentiment=_sentiment(row[6]) if row[6] is not None else None,
        )
        for row in rows
    ]
    if quotes:
        names: dict[int, list[str]] = defaultdict(list)
        for answer_id, name in db.session.execute(
            select(Coding.answer_id, Theme.name)
            .join(Theme, Theme.id == Coding.theme_id)
            .where(Coding.answer_id.in_([q.answer_id for q in quotes]))
            .order_by(Theme.name)
        ):
            names[answer_id].append(name)
        for quote in quotes:
            quote.themes = names.get(quote.answer_id, [])
    return QuotePage(quotes, total, page, per_page)


# --- identifying details -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str  # "name", "phone number", "email address", "postcode"
    text: str


_NAME_CUE = re.compile(
    r"\b(?:my|our|her|his|their)\s+(?:son|daughter|child|kid|boy|girl|brother|sister|"
    r"grandson|granddaughter|name|teacher|therapist|doctor|social worker|key worker|"
    r"(?:step)?(?:mum|dad|mother|father))(?:'s name)?\s+(?:is|was|called|named)\s+"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)?)",
    re.IGNORECASE,
)
_INTRODUCTION = re.compile(
    r"\b(?:I am|I'm|I’m|im|this is|called|named)\s+([A-Z][a-z][\w'’-]*(?:\s+[A-Z][\w'’-]+)?)"
)
_TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+([A-Z][\w'’-]+)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 07xxx xxxxxx, 01xxx / 02x landlines, +44, with spaces, dots or dashes.
_PHONE = re.compile(r"(?:(?<![\w+])\+44\s?\(?0?\)?|(?<!\w)0)(?:[\s.-]?\d){9,10}(?!\d)")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
# Words that start sentences or describe rather than name: not treated as names.
_NOT_NAMES = {
    "autistic",
    "disabled",
    "deaf",
    "blind",
    "happy",
    "sad",
    "not",
    "very",
    "in",
    "at",
    "on",
    "a",
    "an",
    "the",
    "so",
    "too",
    "really",
    "still",
    "now",
    "always",
    "never",
    "being",
    "getting",
    "going",
    "doing",
    "fine",
    "ok",
    "okay",
    "unhappy",
    "scared",
    "worried",
}


def identifying_details(text: str) -> list[Finding]:
    """What in an answer could identify someone: a check before a quote is published."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, found: str) -> None:
        found = found.strip()
        if found and (kind, found.lower()) not in seen:
            seen.add((kind, found.lower()))
            findings.append(Finding(kind, found))

    for pattern in (_NAME_CUE, _INTRODUCTION, _TITLE_NAME):
        for match in pattern.finditer(text):
            name = match.group(1)
            words = [w for w in name.split() if w[:1].isupper()]
            if pattern is _NAME_CUE:
                # The cue is case-insensitive; the name itself must be written as a name.
                words = [w for w in name.split() if w[:1].isupper()]
                if not words or not name[:1].isupper():
                    continue
            words = [w for w in words if w.lower() not in _NOT_NAMES]
            if words:
                add("name", " ".join(words))
    for match in _EMAIL.finditer(text):
        add("email address", match.group(0))
    for match in _PHONE.finditer(text):
        add("phone number", match.group(0))
    for match in _POSTCODE.finditer(text):
        add("postcode", match.group(0))
    return findings


# --- approval for publishing ---------------------------------------------------------------

MAX_PUBLISHED_QUOTE = 1000


class QuoteError(ValueError):
    """A quote cannot be approved as it stands."""


def quotable_answer(answer_id: int):
    """The answer, if it is submitted free text with no safeguarding flag; else None."""
    from engage.listen.models import ResponseStatus

    answer = db.session.get(Answer, answer_id)
    if answer is None or not answer.text or answer.response.status != ResponseStatus.SUBMITTED:
        return None
    flagged = db.session.scalar(
        select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == answer.response_id)
    )
    return None if flagged else answer


def approve_quote(answer, published_text: str, user_id: int) -> QuoteApproval:
    text = (published_text or "").strip()
    if not text:
        raise QuoteError("Enter the words to publish")
    if len(text) > MAX_PUBLISHED_QUOTE:
        raise QuoteError(f"The quote must be {MAX_PUBLISHED_QUOTE} characters or fewer")
    found = identifying_details(text)
    if found:
        kinds = ", ".join(sorted({finding.kind for finding in found}))
        raise QuoteError(f"Remove what could identify someone before approving: {kinds}")
    approval = db.session.scalar(select(QuoteApproval).where(QuoteApproval.answer_id == answer.id))
    if approval is None:
        approval = QuoteApproval(answer_id=answer.id, published_text=text, approved_by_id=user_id)
        db.session.add(approval)
    approval.published_text = text
    approval.approved_by_id = user_id
    approval.approved_at = utcnow()
    audit.record("quote_approved", "answer", answer.id)
    return approval


def withdraw_quote(answer_id: int) -> None:
    approval = db.session.scalar(select(QuoteApproval).where(QuoteApproval.answer_id == answer_id))
    if approval is not None:
        db.session.delete(approval)
        audit.record("quote_withdrawn", "answer", answer_id)


def _approved_query(engagement_ids: list[int]):
    from engage.ask.models import Survey

    return (
        select(QuoteApproval.published_text)
        .join(Answer, Answer.id == QuoteApproval.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.engagement_id.in_(engagement_ids),
            ~select(SafeguardingFlag.id)
            .where(SafeguardingFlag.response_id == Response.id)
            .exists(),
        )
        .order_by(QuoteApproval.approved_at.desc(), QuoteApproval.id.desc())
    )


def approved_in(engagement_ids: list[int]) -> list[str]:
    """The approved (edited) wording of every quote from these engagements, newest first."""
    return list(db.session.scalars(_approved_query(engagement_ids))) if engagement_ids else []


def approved_quotes(theme_id: int | None, engagement_id: int, limit: int = 5) -> list[str]:
    """Approved wording of quotes from this engagement (and theme), newest first; never from
    a response with a safeguarding flag."""
    query = _approved_query([engagement_id]).limit(limit)
    if theme_id is not None:
        query = query.where(
            select(Coding.id)
            .where(Coding.answer_id == Answer.id, Coding.theme_id == theme_id)
            .exists()
        )
    return list(db.session.scalars(query))


def approvals_for(answer_ids: list[int]) -> dict[int, str]:
    if not answer_ids:
        return {}
    return dict(
        db.session.execute(
            select(QuoteApproval.answer_id, QuoteApproval.published_text).where(
                QuoteApproval.answer_id.in_(answer_ids)
            )
        ).all()
    )
