"""Rules for changing surveys: drafts freely, published surveys with answers only grow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select

from engage import figures, form_tokens
from engage.ask import symbols
from engage.ask.kinds import CHOICE_KINDS, KIND_LABELS, STANDARD_OPTIONS, has_options
from engage.ask.models import (
    Audience,
    Option,
    Question,
    QuestionKind,
    Survey,
    SurveyMode,
    SurveyStatus,
)
from engage.ask.schedule import DEFAULT_GRACE_HOURS, MAX_GRACE_HOURS
from engage.extensions import db
from engage.inform.editing import all_engagements, slugify, unique_slug
from engage.inform.models import Engagement
from engage.schema import utcnow

# Words in /staff/surveys/<...> that are pages, not surveys.
RESERVED_SLUGS = frozenset({"new", "import"})
KEY_LENGTH = 40
MIN_OPTIONS = 2
# More than this is a list to read, not a question to answer (and a page no one can finish).
MAX_OPTIONS = 30
OPTION_LENGTH = 200


class EditError(ValueError):
    """A change the survey rules refuse; `field` names the form field to show it on."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


class SurveyLockedError(EditError):
    """The survey has responses: its questions and options must stay as they were answered."""


class SkipLogicError(EditError):
    """A 'show only when' rule would point at a later, missing or option-less question."""


LOCKED_MESSAGE = (
    "This survey has responses, so its questions and answers can no longer be changed, "
    "moved or removed. You can add new questions at the end, or close the survey."
)


def response_counts(survey_id: int | None = None) -> dict[int, tuple[int, int]]:
    """Per survey id (or for one): (submitted responses, responses still being answered).
    Responses are listen's, a later step: listen registers how they are counted."""
    return current_app.extensions["engage_response_counts"](survey_id)


def response_count(survey: Survey) -> int:
    return sum(response_counts(survey.id).get(survey.id, (0, 0)))


def is_locked(survey: Survey) -> bool:
    """Any response, even one still being answered, ties the questions to what was asked."""
    return response_count(survey) > 0


def _require_unlocked(survey: Survey, field: str | None = None) -> None:
    if is_locked(survey):
        raise SurveyLockedError(LOCKED_MESSAGE, field)


def all_surveys(*conditions, archived: bool = False) -> list[Survey]:
    """Surveys in use (or, with archived=True, the archived ones), newest first."""
    in_use = Survey.archived_at.is_(None)
    query = select(Survey).where(~in_use if archived else in_use, *conditions)
    return list(db.session.scalars(query.order_by(Survey.created_at.desc(), Survey.id)))


def engagements_to_offer(survey: Survey | None, *conditions) -> list[Engagement]:
    """The engagement menu: those in use, and the survey's own even if it is archived."""
    offered = all_engagements(*conditions)
    if survey is not None and survey.engagement is not None and survey.engagement not in offered:
        offered.append(survey.engagement)
    return offered


def find_survey(slug: str) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


# Surveys ---------------------------------------------------------------------------------------


@dataclass
class SurveyFields:
    title: str
    audience: Audience
    mode: SurveyMode
    easy_read_title: str = ""
    description: str = ""
    easy_read_description: str = ""
    engagement_id: int | None = None
    minutes_to_complete: int = 5
    retention_days: int = 730
    one_question_per_page: bool = True
    # Its own dates; None: the engagement's apply.
    opens_on: date | None = None
    closes_on: date | None = None
    grace_hours: int = DEFAULT_GRACE_HOURS


def _engagement(engagement_id: int | None) -> Engagement | None:
    if engagement_id is None:
        return None
    found = db.session.get(Engagement, engagement_id)
    if found is None:
        raise EditError("Select an engagement from the list", "engagement")
    return found


def create_survey(fields: SurveyFields) -> Survey:
    figures.renew()
    survey = Survey(
        slug=unique_slug(Survey, fields.title, fallback="survey", reserved=RESERVED_SLUGS),
        status=SurveyStatus.DRAFT,
    )
    _apply_settings(survey, fields)
    db.session.add(survey)
    db.session.flush()
    return survey


def create_survey_once(fields: SurveyFields, token: str | None) -> tuple[Survey, bool]:
    """(survey, True) when made now; (the one this form already made, False) when the same
    form is submitted again."""
    return form_tokens.create_once(Survey, token, lambda: create_survey(fields))


def update_survey(survey: Survey, fields: SurveyFields) -> Survey:
    # Wording, dates and retention may change; who it was for and how it was asked may not.
    figures.renew()
    if survey.audience != fields.audience:
        _require_unlocked(survey, "audience")
    if survey.mode != fields.mode:
        _require_unlocked(survey, "mode")
    _apply_settings(survey, fields)
    db.session.flush()
    return survey


def _apply_settings(survey: Survey, fields: SurveyFields) -> None:
    survey.engagement = _engagement(fields.engagement_id)
    survey.title = fields.title.strip()
    survey.easy_read_title = fields.easy_read_title.strip()
    survey.description = fields.description.strip()
    survey.easy_read_description = fields.easy_read_description.strip()
    survey.audience = fields.audience
    survey.mode = fields.mode
    survey.minutes_to_complete = fields.minutes_to_complete
    survey.retention_days = fields.retention_days
    survey.one_question_per_page = fields.one_question_per_page
    if fields.opens_on and fields.closes_on and fields.closes_on < fields.opens_on:
        raise EditError("The closing date must be on or after the opening date", "closes_on")
    if not 0 <= fields.grace_hours <= MAX_GRACE_HOURS:
        raise EditError(f"Enter a whole number from 0 to {MAX_GRACE_HOURS}", "grace_hours")
    survey.opens_on = fields.opens_on
    survey.closes_on = fields.closes_on
    survey.grace_hours = fields.grace_hours


def publish_survey(survey: Survey) -> None:
    figures.renew()
    if survey.status == SurveyStatus.PUBLISHED:
        raise EditError("This survey is already published")
    if survey.archived_at is not None:
        raise EditError("Take the survey out of the archive before you publish it")
    if not survey.questions:
        raise EditError("Add at least one question before publishing")
    survey.status = SurveyStatus.PUBLISHED
    survey.published_at = survey.published_at or utcnow()
    # Published again after a close: only its dates can close it now.
    survey.closed_at = None


def archive_survey(survey: Survey) -> None:
    figures.renew()
    if survey.archived_at is not None:
        raise EditError("This survey is already archived")
    if survey.status == SurveyStatus.PUBLISHED:
        raise EditError("Close the survey before you archive it: people can still answer it")
    survey.archived_at = utcnow()


def restore_survey(survey: Survey) -> None:
    figures.renew()
    if survey.archived_at is None:
        raise EditError("This survey is not archived")
    survey.archived_at = None


def close_survey(survey: Survey) -> None:
    figures.renew()
    if survey.status != SurveyStatus.PUBLISHED:
        raise EditError("Only a published survey can be closed")
    survey.status = SurveyStatus.CLOSED
    # The moment the grace period for drafts is counted from.
    survey.closed_at = utcnow()


# Questions -------------------------------------------------------------------------------------


@dataclass
class QuestionFields:
    text: str
    easy_read_text: str = ""
    hint: str = ""
    easy_read_hint: str = ""
    symbol: str | None = None
    section: str = ""
    required: bool = False
    max_length: int = 2000
    # (earlier question's key, option value), or None to always show the question.
    show_if: tuple[str, str] | None = None
    # Wording of the first options of a new single or multiple choice question.
    options: tuple[str, ...] = field(default_factory=tuple)


def _unique_key(text: str, taken: set[str], fallback: str, limit: int = KEY_LENGTH) -> str:
    base = slugify(text, separator="_", limit=limit - 3) or fallback
    key, number = base, 2
    while key in taken:
        key = f"{base}_{number}"
        number += 1
    return key


def same_words(text: str) -> str:
    """What two answers share when a respondent could not tell them apart: the same words,
    whatever the case, spacing or punctuation ("After-school club" and "after school club")."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _refuse_same_words(wording: list[str], field: str) -> None:
    seen: set[str] = set()
    for text in wording:
        words = same_words(text)
        if words and words in seen:
            raise EditError(
                f"'{_short(text)}' is there twice. Each answer must have different words", field
            )
        seen.add(words)


def _check_new_wording(question: Question, fields: OptionFields, option: Option | None) -> None:
    """An answer's words (and easy-read words) must differ from the question's other answers."""
    others = [o for o in question.options if o is not option]
    for name, wording in (("text", fields.text), ("easy_read_text", fields.easy_read_text)):
        words = same_words(wording)
        twin = next((o for o in others if words and same_words(getattr(o, name)) == words), None)
        if twin is not None:
            raise EditError(
                f"There is already an answer '{_short(getattr(twin, name))}'. "
                "Each answer must have different words",
                name,
            )


def _check_symbol(code: str | None) -> str | None:
    if not code:
        return None
    if symbols.is_available() and not symbols.is_known(code):
        raise EditError("Choose a symbol from the search results", "symbol")
    return code


def skip_targets(survey: Survey, before: Question | None = None) -> list[Question]:
    """Questions a 'show only when' rule may name: earlier ones that have options."""
    return [
        question
        for question in survey.questions
        if has_options(question.kind) and (before is None or question.position < before.position)
    ]


def _check_show_if(
    survey: Survey, show_if: tuple[str, str] | None, before: Question | None
) -> tuple[str | None, str | None]:
    if show_if is None:
        return None, None
    key, value = show_if
    target = next((q for q in skip_targets(survey, before) if q.key == key), None)
    if target is None:
        raise SkipLogicError(
            "A question can only depend on an earlier question that has answers to choose from",
            "show_if",
        )
    if value not in {option.value for option in target.options}:
        raise SkipLogicError("Choose one of the answers of the earlier question", "show_if")
    return key, value


def _apply_question(question: Question, fields: QuestionFields) -> None:
    question.text = fields.text.strip()
    question.easy_read_text = fields.easy_read_text.strip()
    question.hint = fields.hint.strip()
    question.easy_read_hint = fields.easy_read_hint.strip()
    question.symbol = _check_symbol(fields.symbol)
    question.section = fields.section.strip()
    question.required = fields.required
    if question.kind == QuestionKind.FREE_TEXT:
        question.max_length = fields.max_length


def add_question(survey: Survey, kind: QuestionKind, fields: QuestionFields) -> Question:
    """Always appended at the end: allowed even when the survey has responses."""
    figures.renew()
    question = Question(
        kind=kind,
        position=len(survey.questions),
        key=_unique_key(fields.text, {q.key for q in survey.questions}, "question"),
        max_length=2000,
    )
    question.show_if_key, question.show_if_value = _check_show_if(survey, fields.show_if, None)
    _apply_question(question, fields)
    if kind in CHOICE_KINDS:
        wording = [text.strip() for text in fields.options if text.strip()]
        if len(wording) < MIN_OPTIONS:
            raise EditError("Enter at least 2 answers, one on each line", "options")
        if len(wording) > MAX_OPTIONS:
            raise EditError(f"Enter {MAX_OPTIONS} answers or fewer", "options")
        if any(len(text) > OPTION_LENGTH for text in wording):
            raise EditError(f"Each answer must be {OPTION_LENGTH} characters or fewer", "options")
        _refuse_same_words(wording, "options")
        taken: set[str] = set()
        for position, text in enumerate(wording):
            value = _unique_key(text, taken, "answer")
            taken.add(value)
            question.options.append(Option(position=position, value=value, text=text))
    else:
        for position, standard in enumerate(STANDARD_OPTIONS.get(kind, ())):
            question.options.append(
                Option(
                    position=position,
                    value=standard.value,
                    text=standard.text,
                    easy_read_text=standard.easy_read_text,
                    symbol=standard.symbol,
                )
            )
    survey.questions.append(question)
    db.session.flush()
    return question


def update_question(question: Question, fields: QuestionFields) -> Question:
    figures.renew()
    _require_unlocked(question.survey)
    question.show_if_key, question.show_if_value = _check_show_if(
        question.survey, fields.show_if, question
    )
    _apply_question(question, fields)
    db.session.flush()
    return question


def _renumber(items: list) -> None:
    for position, item in enumerate(items):
        item.position = position


def move_question(question: Question, step: int) -> None:
    """step -1 moves the question up, +1 down; skip logic must still point backwards."""
    figures.renew()
    survey = question.survey
    _require_unlocked(survey)
    ordered = list(survey.questions)
    index = ordered.index(question)
    other_index = index + step
    if step not in (-1, 1) or not 0 <= other_index < len(ordered):
        raise EditError("That question cannot move further")
    other = ordered[other_index]
    if step < 0 and question.show_if_key == other.key:
        raise SkipLogicError(
            f"'{_short(question.text)}' is only shown after an answer to '{_short(other.text)}', "
            "so it cannot move above it. Change its 'show only when' rule first."
        )
    if step > 0 and other.show_if_key == question.key:
        raise SkipLogicError(
            f"'{_short(other.text)}' is only shown after an answer to '{_short(question.text)}', "
            "so that question cannot move below it. Change the 'show only when' rule first."
        )
    ordered[index], ordered[other_index] = other, question
    _renumber(ordered)
    db.session.flush()
    db.session.expire(survey, ["questions"])


def dependants(question: Question) -> list[Question]:
    return [
        other
        for other in question.survey.questions
        if other.show_if_key == question.key and other is not question
    ]


def remove_question(question: Question) -> None:
    figures.renew()
    survey = question.survey
    _require_unlocked(survey)
    waiting = dependants(question)
    if waiting:
        raise SkipLogicError(
            f"'{_short(waiting[0].text)}' is only shown after an answer to this question. "
            "Change its 'show only when' rule before removing this question."
        )
    survey.questions.remove(question)
    _renumber(survey.questions)
    db.session.flush()


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Options ---------------------------------------------------------------------------------------


@dataclass
class OptionFields:
    text: str
    easy_read_text: str = ""
    symbol: str | None = None


def _require_own_options(question: Question) -> None:
    if question.kind not in CHOICE_KINDS:
        label = KIND_LABELS[question.kind].lower()
        raise EditError(f"The answers of a {label} question are standard and cannot be changed")


def add_option(question: Question, fields: OptionFields) -> Option:
    figures.renew()
    _require_own_options(question)
    _require_unlocked(question.survey)
    if len(question.options) >= MAX_OPTIONS:
        raise EditError(f"A question can have {MAX_OPTIONS} answers at most")
    _check_new_wording(question, fields, None)
    option = Option(
        position=len(question.options),
        value=_unique_key(fields.text, {o.value for o in question.options}, "answer"),
        text=fields.text.strip(),
        easy_read_text=fields.easy_read_text.strip(),
        symbol=_check_symbol(fields.symbol),
    )
    question.options.append(option)
    db.session.flush()
    return option


def update_option(option: Option, fields: OptionFields) -> Option:
    figures.renew()
    _require_own_options(option.question)
    _require_unlocked(option.question.survey)
    _check_new_wording(option.question, fields, option)
    option.text = fields.text.strip()
    option.easy_read_text = fields.easy_read_text.strip()
    option.symbol = _check_symbol(fields.symbol)
    db.session.flush()
    return option


def move_option(option: Option, step: int) -> None:
    figures.renew()
    question = option.question
    _require_own_options(question)
    _require_unlocked(question.survey)
    ordered = list(question.options)
    index = ordered.index(option)
    other_index = index + step
    if step not in (-1, 1) or not 0 <= other_index < len(ordered):
        raise EditError("That answer cannot move further")
    ordered[index], ordered[other_index] = ordered[other_index], option
    _renumber(ordered)
    db.session.flush()
    db.session.expire(question, ["options"])


def remove_option(option: Option) -> None:
    figures.renew()
    question = option.question
    _require_own_options(question)
    _require_unlocked(question.survey)
    if len(question.options) <= MIN_OPTIONS:
        raise EditError("A question needs at least 2 answers to choose from")
    for other in question.survey.questions:
        if other.show_if_key == question.key and other.show_if_value == option.value:
            raise SkipLogicError(
                f"'{_short(other.text)}' is only shown when this answer is chosen. "
                "Change its 'show only when' rule before removing this answer."
            )
    question.options.remove(option)
    _renumber(question.options)
    db.session.flush()
