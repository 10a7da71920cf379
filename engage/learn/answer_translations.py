"""Written answers in other languages: which wait for a staff translation, translating one
(kept beside the respondent's words, never in their place; audited), and how many are not
yet analysed because of it.

An answer in another language is never analysed as English: sentiment and themes read the
staff translation once there is one (engage.learn.analysis). Answers of a response with a
safeguarding flag are left out here, as in the quotes browser: the lead reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from engage import figures
from engage.accounts import audit
from engage.accounts.models import User
from engage.ask.models import Question
from engage.extensions import db
from engage.languages import SOURCE, english_name
from engage.learn import analysis
from engage.learn import tally as learn_tally
from engage.learn.models import Coding, CodingSource, SafeguardingFlag, Sentiment
from engage.learn.scope import Filters, Scope, response_conditions
from engage.listen.answer_languages import detect_missing, needs_translation
from engage.listen.models import Answer, Response, ResponseStatus
from engage.schema import utcnow

MAX_TRANSLATION = 10_000
PER_PAGE = 50


class TranslationError(ValueError):
    """A translation that cannot be saved, said so a person can put it right."""


@dataclass(frozen=True)
class ForeignAnswer:
    answer_id: int
    question: str
    text: str
    language: str
    translation: str | None
    translated_at: datetime | None

    @property
    def language_name(self) -> str:
        return english_name(self.language)


def _not_english():
    return Answer.language.is_not(None) & (Answer.language != SOURCE)


def _untranslated():
    return Answer.translation.is_(None)


def _unflagged():
    return ~select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == Response.id).exists()


def answers_in_other_languages(
    scope: Scope, filters: Filters, *, language: str | None = None, translated: bool = False
) -> list[ForeignAnswer]:
    """Written answers not in English, waiting for a translation (or, with translated, those
    translated), oldest first."""
    conditions = [
        *response_conditions(scope, filters),
        Answer.text.is_not(None),
        _not_english(),
        _unflagged(),
        Answer.translation.is_not(None) if translated else _untranslated(),
    ]
    if language:
        conditions.append(Answer.language == language)
    rows = db.session.execute(
        select(
            Answer.id,
            Question.text,
            Answer.text,
            Answer.language,
            Answer.translation,
            Answer.translated_at,
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(*conditions)
        .order_by(Answer.id)
        .limit(PER_PAGE)
    ).all()
    return [ForeignAnswer(*row) for row in rows]


def not_yet_analysed(scope: Scope, filters: Filters) -> list[tuple[str, int]]:
    """(language code, answers) of written answers that wait for a translation before they
    are analysed, most first; flagged ones included (they are not analysed either)."""
    rows = db.session.execute(
        select(Answer.language, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(
            *response_conditions(scope, filters),
            Answer.text.is_not(None),
            _not_english(),
            _untranslated(),
        )
        .group_by(Answer.language)
    ).all()
    return sorted(((code, int(number)) for code, number in rows), key=lambda r: (-r[1], r[0]))


def responses_by_language(scope: Scope, filters: Filters) -> list[tuple[str, int]]:
    """(language code, submitted responses) in the language each was submitted in."""
    rows = db.session.execute(
        select(Response.language, func.count())
        .where(*response_conditions(scope, filters))
        .group_by(Response.language)
    ).all()
    return sorted(((code, int(number)) for code, number in rows), key=lambda r: (-r[1], r[0]))


def translatable_answer(answer_id: int) -> Answer | None:
    """A submitted, unflagged written answer in another language (the view checks that its
    survey is in the user's reach)."""
    return db.session.scalar(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.id == answer_id,
            Response.status == ResponseStatus.SUBMITTED,
            Answer.text.is_not(None),
            _not_english(),
            _unflagged(),
        )
    )


def translate(answer: Answer, text: str, user: User) -> int:
    """Keep a staff translation beside the answer's own words, audit it, and analyse the
    answer with it (sentiment, themes, and the safeguarding screen on the English). Returns
    how many answers were analysed (1, or 0 when nothing changed). Does not commit."""
    figures.renew()
    text = (text or "").strip()
    if not text:
        raise TranslationError("Enter the translation in English")
    if len(text) > MAX_TRANSLATION:
        raise TranslationError(f"The translation must be {MAX_TRANSLATION:,} characters or fewer")
    if text == (answer.translation or ""):
        return 0
    replaced = answer.translation is not None
    answer.translation = text
    answer.translated_by_id = user.id
    answer.translated_at = utcnow()
    audit.record(
        "answer_translation_changed" if replaced else "answer_translated",
        "answer",
        answer.id,
        detail=f"from {english_name(answer.language)}",
        user_id=user.id,
    )
    db.session.flush()
    return analysis.analyse_answers([answer], force=True, screen=True)


@dataclass
class Backfill:
    told: int = 0  # answers given a language
    not_english: int = 0  # of which in another language: their English reading taken back


def detect_missing_languages(batch_size: int = 500) -> Backfill:
    """Tell the language of written answers stored without one, committing batch by batch.
    One found in another language was analysed as English before: the analyser's sentiment
    and unconfirmed codes are taken back (what staff confirmed stays) and it waits for a
    translation like any other. (The safeguarding screen needs nothing more: a child's
    answer it could not read as English was a concern then already.)"""
    done = Backfill()
    for answers in detect_missing(batch_size):
        done.told += sum(1 for answer in answers if answer.language is not None)
        waiting = [a for a in answers if needs_translation(a.language, a.translation)]
        done.not_english += len(waiting)
        ids = [answer.id for answer in waiting]
        with learn_tally.recount(ids):
            for sentiment in db.session.scalars(
                select(Sentiment).where(
                    Sentiment.answer_id.in_(ids), Sentiment.confirmed_label.is_(None)
                )
            ):
                db.session.delete(sentiment)
            for coding in db.session.scalars(
                select(Coding).where(
                    Coding.answer_id.in_(ids),
                    Coding.source == CodingSource.AUTO,
                    Coding.confirmed.is_(False),
                )
            ):
                db.session.delete(coding)
        db.session.commit()
    return done
