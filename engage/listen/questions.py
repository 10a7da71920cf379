"""Reading and checking the answers on one survey page, and describing them for display."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from engage.ask.models import Question, QuestionKind
from engage.listen.runner import AnswerValue

MULTIPLE = {QuestionKind.MULTIPLE_CHOICE}
TEXT = {QuestionKind.FREE_TEXT}


def field_name(question: Question) -> str:
    return f"answer-{question.key}"


def read_page(questions: list[Question], form: Mapping, *, skip: bool) -> dict[str, AnswerValue]:
    values: dict[str, AnswerValue] = {}
    for question in questions:
        name = field_name(question)
        if skip:
            values[question.key] = AnswerValue(skipped=True)
        elif question.kind in MULTIPLE:
            values[question.key] = AnswerValue(choices=list(form.getlist(name)))
        elif question.kind in TEXT:
            text = (form.get(name) or "").replace("\r\n", "\n")
            values[question.key] = AnswerValue(text=text)
        else:
            values[question.key] = AnswerValue(choice=form.get(name) or None)
    return values


def check_page(
    questions: list[Question], values: dict[str, AnswerValue], *, easy_read: bool, skip: bool
) -> dict[str, str]:
    """Error messages by question key; empty when the page can be saved."""
    errors: dict[str, str] = {}
    for question in questions:
        message = _check(question, values[question.key], easy_read=easy_read, skip=skip)
        if message:
            errors[question.key] = message
    return errors


def _check(question: Question, value: AnswerValue, *, easy_read: bool, skip: bool) -> str | None:
    allowed = {option.value for option in question.options}
    if question.kind in TEXT:
        text = value.text or ""
        if len(text) > question.max_length:
            if easy_read:
                return _(
                    "Your answer is too long. Use %(n)s letters or fewer.", n=question.max_length
                )
            return _("Your answer must be %(n)s characters or fewer", n=question.max_length)
        if question.required and (skip or not text.strip()):
            return _("Write your answer") if easy_read else _("Enter your answer")
        return None
    if question.kind in MULTIPLE:
        if any(choice not in allowed for choice in value.choices):
            return _("Select answers from the list")
        if question.required and (skip or not value.choices):
            return _("Choose at least one answer") if easy_read else _("Select at least one answer")
        return None
    if value.choice is not None and value.choice not in allowed:
        return _("Select an answer from the list")
    if question.required and (skip or value.choice is None):
        return _("Choose one answer") if easy_read else _("Select an answer")
    return None


def wording(question: Question, easy_read: bool) -> str:
    return (question.easy_read_text or question.text) if easy_read else question.text


def hint(question: Question, easy_read: bool) -> str:
    return (question.easy_read_hint or question.hint) if easy_read else question.hint


def option_wording(option, easy_read: bool) -> str:
    return (option.easy_read_text or option.text) if easy_read else option.text


def describe(question: Question, value: AnswerValue | None, easy_read: bool) -> str:
    """The answer as words, for the check-your-answers page."""
    if value is None or not value.given:
        return _("Skipped") if value is not None and value.skipped else _("Not answered")
    if question.kind in TEXT:
        return value.text or ""
    labels = {option.value: option_wording(option, easy_read) for option in question.options}
    if question.kind in MULTIPLE:
        return ", ".join(labels.get(choice, choice) for choice in value.choices)
    return labels.get(value.choice or "", value.choice or "")


def answer_symbols(question: Question, value: AnswerValue | None) -> list[str]:
    """The symbols of the options chosen, shown beside the answer's words in easy read."""
    if value is None or question.kind in TEXT:
        return []
    return [
        option.symbol
        for option in question.options
        if option.symbol and value.matches(option.value)
    ]
