"""The quotes browser: free-text answers to read and quote, and approving them for publishing
only once nothing in the words to publish could identify someone.

Any response with a safeguarding flag is left out entirely: flagged words are shown only in the
safeguarding queue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from flask import current_app
from sqlalchemy import func, select

from engage import figures
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
from engage.learn.text import identifying
from engage.learn.text.identifying import Finding
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
    # The language it is written in (None: English, from before languages were told apart)
    # and a staff translation, if any (engage.learn.answer_translations).
    language: str | None = None
    translation: str | None = None

    @property
    def in_english(self) -> bool:
        return self.language in (None, "en")


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
            Answer.language,
            Answer.translation,
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
            language=row[7],
            translation=row[8],
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


# --- identifying details: engage.learn.text.identifying -----------------------------------------

# --- approval for publishing ---------------------------------------------------------------

MAX_PUBLISHED_QUOTE = 1000


class QuoteError(ValueError):
    """A quote cannot be approved as it stands."""


class IdentifyingError(QuoteError):
    """The words to publish still hold something that could identify someone."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        listed = "; ".join(f"{finding.kind} “{finding.text}”" for finding in findings)
        super().__init__(f"Remove what could identify someone before approving: {listed}")


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


def add_withdrawal_listener(app, listener) -> None:
    """Register how a later step takes a quote's wording out of what it publishes: called
    with (answer id, wording) when approval is withdrawn or the approved wording changes;
    returns the titles of what it changed."""
    app.extensions.setdefault("engage_quote_withdrawn", []).append(listener)


def _take_out_everywhere(answer_id: int, wording: str) -> list[str]:
    changed: list[str] = []
    for listener in current_app.extensions.get("engage_quote_withdrawn", []):
        changed.extend(listener(answer_id, wording))
    return changed


def withdraw_unsafe(
    response_ids: Iterable[int] = (), erased_answer_ids: Iterable[int] = ()
) -> None:
    """Quotes of a response a safeguarding flag was just raised on are withdrawn at once,
    wherever they were published (flagged words are for the safeguarding lead only); so are
    those of answers about to be erased (the respondent asked for their words to go).
    Called where a flag is made (safeguarding) and by listen's erasure (its erase hook)."""
    flagged, erased = set(response_ids), set(erased_answer_ids)
    if not (flagged or erased):
        return
    approvals = db.session.scalars(
        select(QuoteApproval)
        .join(Answer, Answer.id == QuoteApproval.answer_id)
        .where((Answer.response_id.in_(flagged)) | (Answer.id.in_(erased)))
    ).all()
    for approval in approvals:
        changed = _take_out_everywhere(approval.answer_id, approval.published_text)
        reason = "answer erased" if approval.answer_id in erased else "safeguarding flag raised"
        db.session.delete(approval)
        audit.record(
            "quote_withdrawn",
            "answer",
            approval.answer_id,
            detail=f"{reason}; updates changed: {len(changed)}",
        )


def withdraw_erased(answer_ids: list[int]) -> None:
    withdraw_unsafe(erased_answer_ids=answer_ids)


def approved_wording(answer_id: int) -> str | None:
    return db.session.scalar(
        select(QuoteApproval.published_text).where(QuoteApproval.answer_id == answer_id)
    )


def identifying_details(text: str) -> list[Finding]:
    """Identifying details in a quote, with this area's schools and places."""
    places = identifying.area_places(current_app.config.get("PLACES_FILE"))
    return identifying.identifying_details(text, places)


def approve_quote(answer, published_text: str, user_id: int) -> QuoteApproval:
    figures.renew()
    text = (published_text or "").strip()
    if not text:
        raise QuoteError("Enter the words to publish")
    if len(text) > MAX_PUBLISHED_QUOTE:
        raise QuoteError(f"The quote must be {MAX_PUBLISHED_QUOTE} characters or fewer")
    found = identifying_details(text)
    if found:
        raise IdentifyingError(found)
    approval = db.session.scalar(select(QuoteApproval).where(QuoteApproval.answer_id == answer.id))
    if approval is None:
        approval = QuoteApproval(answer_id=answer.id, published_text=text, approved_by_id=user_id)
        db.session.add(approval)
    elif approval.published_text != text:
        # Wording approved before (perhaps with a detail since found to identify someone)
        # must not stay wherever it was added.
        _take_out_everywhere(answer.id, approval.published_text)
    approval.published_text = text
    approval.approved_by_id = user_id
    approval.approved_at = utcnow()
    audit.record("quote_approved", "answer", answer.id)
    return approval


def withdraw_quote(answer_id: int) -> list[str]:
    """Withdraw approval, and take the wording out of every update it was added to, draft or
    published: a withdrawn quote is shown nowhere. Returns the titles of the updates changed."""
    figures.renew()
    approval = db.session.scalar(select(QuoteApproval).where(QuoteApproval.answer_id == answer_id))
    if approval is None:
        return []
    changed = _take_out_everywhere(answer_id, approval.published_text)
    db.session.delete(approval)
    audit.record("quote_withdrawn", "answer", answer_id, detail=f"updates changed: {len(changed)}")
    return changed


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


def approved_choices(engagement_id: int, theme_id: int | None) -> list[tuple[int, str]]:
    """(approval id, approved wording) of the quotes staff may add to an update about this
    engagement (and theme), newest first."""
    query = _approved_query([engagement_id]).add_columns(QuoteApproval.id)
    if theme_id is not None:
        query = query.where(
            select(Coding.id)
            .where(Coding.answer_id == Answer.id, Coding.theme_id == theme_id)
            .exists()
        )
    return [(approval_id, text) for text, approval_id in db.session.execute(query)]


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
