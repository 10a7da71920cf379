"""The question bank: the questions an area reuses, added to a survey in one step with the
same key, wording and answers each time (so figures and trends compare like with like)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app

from engage.ask.definitions import SurveyDefinitionError, load_yaml, question_from_definition
from engage.ask.editing import EditError
from engage.ask.models import Question, Survey
from engage.extensions import db

SHIPPED = Path(__file__).with_name("question_bank.yaml")


@dataclass(frozen=True)
class BankQuestion:
    group: str
    # As in a survey definition (engage.ask.definitions), without skip logic.
    definition: dict

    @property
    def key(self) -> str:
        return self.definition["key"]

    def build(self) -> Question:
        return question_from_definition(self.definition)


def _parse(text: str, source: str) -> list[BankQuestion]:
    data = load_yaml(text, source)
    if not isinstance(data, list):
        raise SurveyDefinitionError("(top)", "must be a list of bank entries", source)
    found: list[BankQuestion] = []
    for index, entry in enumerate(data):
        where = f"[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"group", "question"}:
            raise SurveyDefinitionError(where, "must have exactly 'group' and 'question'", source)
        if not isinstance(entry["group"], str) or not entry["group"].strip():
            raise SurveyDefinitionError(f"{where}.group", "must be text", source)
        definition = entry["question"]
        if isinstance(definition, dict) and "show_if" in definition:
            raise SurveyDefinitionError(f"{where}.question.show_if", "not in the bank", source)
        try:
            question_from_definition(definition)
        except SurveyDefinitionError as error:
            path = error.path.replace("questions[0]", f"{where}.question", 1)
            raise SurveyDefinitionError(path, error.reason, source) from None
        if any(earlier.key == definition["key"] for earlier in found):
            raise SurveyDefinitionError(f"{where}.question.key", "is in the bank twice", source)
        found.append(BankQuestion(entry["group"].strip(), definition))
    return found


@cache
def _load(extra: str | None) -> tuple[BankQuestion, ...]:
    entries = _parse(SHIPPED.read_text(encoding="utf-8"), str(SHIPPED))
    if extra:
        area = _parse(Path(extra).read_text(encoding="utf-8"), extra)
        keys = {entry.key for entry in area}
        entries = [entry for entry in entries if entry.key not in keys] + area
    return tuple(entries)


def questions() -> tuple[BankQuestion, ...]:
    """The shipped bank, then the area's own (an area entry replaces a shipped one)."""
    return _load(current_app.config.get("QUESTION_BANK_FILE") or None)


def find(key: str) -> BankQuestion | None:
    return next((entry for entry in questions() if entry.key == key), None)


def add_to_survey(survey: Survey, key: str) -> Question:
    """Add the bank question at the end of the survey (allowed even once it has responses,
    as any new question is); the caller commits."""
    entry = find(key)
    if entry is None:
        raise EditError("Choose a question from the bank")
    if any(question.key == key for question in survey.questions):
        raise EditError("This survey already asks that question from the bank")
    question = entry.build()
    question.position = len(survey.questions)
    survey.questions.append(question)
    db.session.flush()
    return question
