"""The safeguarding queue as the lead works it: flags by status, the trail, a new status.

Flags are never deleted or edited: each decision is a new FlagEvent (written by
engage.learn.safeguarding), and the flag's status is the latest decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from engage.accounts.models import User
from engage.ask.models import Survey
from engage.extensions import db
from engage.languages import SOURCE
from engage.learn import safeguarding
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from engage.learn.text import normalise
from engage.learn.text.screen import Level
from engage.listen.models import Answer, Response, ResponseStatus

LEVEL_LABELS = {Level.URGENT: "Urgent", Level.CONCERN: "Concern"}
FALSE_FLAG_NOTE = "Not a concern (false flag)"
# How much of an answer the queue shows around the words that matched.
EXCERPT_BEFORE, EXCERPT_AFTER = 80, 160
# A word as the screen reads it (engage.learn.text.screen), found in the text as written.
_WORD = re.compile(r"[^\W_]+(?:['\u2019\u2018`\u00b4][^\W_]+)?")
# What the lead can record; "new" is only ever the first event.
DECISIONS = (FlagStatus.REVIEWED, FlagStatus.REFERRED, FlagStatus.NO_ACTION)
NOTE_LIMIT = 2000
# A staff member's reason is kept as the flag's reason, which holds 200 characters.
REASON_LIMIT = 200


class FlagError(ValueError):
    """A flag decision or concern cannot be recorded as given."""


@dataclass
class FlagRow:
    flag: SafeguardingFlag
    survey_title: str
    # The answer around the words that matched, escaped, those words in <mark>.
    excerpt: Markup
    # The language the flagged answer is written in, when not English (else None).
    language: str | None = None


def highlight(text: str, words, start: int = 0, end: int | None = None) -> Markup:
    """Text as written, escaped, with the words the screen matched marked. Each piece of the
    respondent's text goes through escape() before a <mark> is put around it."""
    wanted = {normalise(word).replace("'", "") for word in words or ()}
    end = len(text) if end is None else end
    pieces, at = [], start
    for found in _WORD.finditer(text, start, end):
        if normalise(found.group()).replace("'", "") not in wanted:
            continue
        pieces += [escape(text[at : found.start()]), Markup("<mark>"), escape(found.group())]
        pieces.append(Markup("</mark>"))
        at = found.end()
    pieces.append(escape(text[at:end]))
    return Markup("").join(pieces)


def excerpt(text: str, words) -> Markup:
    """The part of a long answer around its first matched word, highlighted."""
    if len(text) <= EXCERPT_BEFORE + EXCERPT_AFTER:
        return highlight(text, words)
    wanted = {normalise(word).replace("'", "") for word in words or ()}
    first = next(
        (
            found.start()
            for found in _WORD.finditer(text)
            if normalise(found.group()).replace("'", "") in wanted
        ),
        0,
    )
    start = max(0, first - EXCERPT_BEFORE)
    end = min(len(text), first + EXCERPT_AFTER)
    # Whole words only: cut at the spaces nearest the window's edges.
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    before = "\u2026 " if start > 0 else ""
    after = " \u2026" if end < len(text) else ""
    return Markup("").join([before, highlight(text, words, start, end), after])


def status_counts() -> dict[FlagStatus, int]:
    rows = db.session.execute(
        select(SafeguardingFlag.status, func.count()).group_by(SafeguardingFlag.status)
    ).all()
    return {status: rows_count for status, rows_count in rows}


@dataclass
class QueueFigures:
    open_urgent: int
    open_concern: int
    marked_false: int


def figures() -> QueueFigures:
    """What the lead sees first: flags waiting for a decision by level, and false flags."""
    rows = db.session.execute(
        select(SafeguardingFlag.level, SafeguardingFlag.status, func.count()).group_by(
            SafeguardingFlag.level, SafeguardingFlag.status
        )
    ).all()
    counted = {(level, status): number for level, status, number in rows}
    return QueueFigures(
        open_urgent=counted.get((Level.URGENT, FlagStatus.NEW), 0),
        open_concern=counted.get((Level.CONCERN, FlagStatus.NEW), 0),
        marked_false=sum(
            n for (_, status), n in counted.items() if status is FlagStatus.FALSE_FLAG
        ),
    )


def queue(status: FlagStatus | None = None) -> list[FlagRow]:
    """Flags, urgent first, then concerns, newest first within each; all of them, or those
    with one status."""
    urgent_first = case((SafeguardingFlag.level == Level.URGENT, 0), else_=1)
    query = (
        select(SafeguardingFlag, Survey.title, Answer.language)
        .join(Response, Response.id == SafeguardingFlag.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .outerjoin(Answer, Answer.id == SafeguardingFlag.answer_id)
        .order_by(urgent_first, SafeguardingFlag.created_at.desc(), SafeguardingFlag.id.desc())
    )
    if status is not None:
        query = query.where(SafeguardingFlag.status == status)
    return [
        FlagRow(flag, title, _queue_excerpt(flag), _not_english(language))
        for flag, title, language in db.session.execute(query).all()
    ]


def _not_english(language: str | None) -> str | None:
    return language if language not in (None, SOURCE) else None


def _queue_excerpt(flag: SafeguardingFlag) -> Markup:
    # Every flag shows the answer it was raised on (escaped), the screen's with its matched
    # words marked, so a lead can judge it at a glance.
    return excerpt(flag.verbatim or "", flag.matched_words)


@dataclass
class FlagDetail:
    flag: SafeguardingFlag
    survey: Survey
    text: str
    events: list[FlagEvent]
    # The language the flagged answer is written in, when not English (else None).
    language: str | None = None


def detail(flag_id: int) -> FlagDetail | None:
    flag = db.session.scalar(
        select(SafeguardingFlag)
        .options(selectinload(SafeguardingFlag.events).selectinload(FlagEvent.user))
        .where(SafeguardingFlag.id == flag_id)
    )
    if flag is None:
        return None
    survey = flag.response.survey
    text = flag.verbatim
    answer = db.session.get(Answer, flag.answer_id) if flag.answer_id is not None else None
    if text is None and answer is not None:
        text = answer.text
    if text is None:
        # A concern raised on a whole response: show every free-text answer in it.
        text = "\n\n".join(
            t
            for t in db.session.scalars(
                select(Answer.text)
                .where(Answer.response_id == flag.response_id, Answer.text.is_not(None))
                .order_by(Answer.id)
            )
            if t
        )
    language = _not_english(answer.language) if answer is not None else None
    return FlagDetail(flag, survey, text or "", list(flag.events), language)


def add_decision(flag: SafeguardingFlag, status: FlagStatus, note: str, user: User) -> FlagEvent:
    if status not in DECISIONS:
        raise FlagError("Choose reviewed, referred or no action")
    if len(note.strip()) > NOTE_LIMIT:
        raise FlagError(f"The note must be {NOTE_LIMIT} characters or fewer")
    try:
        return safeguarding.set_flag_status(flag, status, user, note=note.strip())
    except safeguarding.FlagError as error:
        raise FlagError(str(error)) from error


def mark_false_flag(flag: SafeguardingFlag, user: User) -> FlagEvent:
    """Not a concern: kept, with who decided and when in its trail and the audit log, and
    counted on the queue. Does not commit."""
    if flag.status is FlagStatus.FALSE_FLAG:
        raise FlagError("This flag is already marked not a concern")
    return safeguarding.set_flag_status(flag, FlagStatus.FALSE_FLAG, user, note=FALSE_FLAG_NOTE)


def raise_concern(response_id: int, reason: str, user: User) -> SafeguardingFlag:
    """Any staff member can flag a submitted response by hand; the leads are told."""
    response = db.session.get(Response, response_id)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        raise LookupError("That response cannot be found")
    if len(reason.strip()) > REASON_LIMIT:
        raise FlagError(f"Say why in {REASON_LIMIT} characters or fewer")
    try:
        return safeguarding.raise_concern(response, user, reason)
    except safeguarding.FlagError as error:
        raise FlagError(str(error)) from error
