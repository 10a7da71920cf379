"""Survey definitions as YAML: validate, import and export (a round trip is exact)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from engage import figures
from engage.ask import definition_translations
from engage.ask.editing import same_words
from engage.ask.kinds import CHOICE_KINDS, STANDARD_OPTIONS, has_options
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
from engage.ask.translations import forget as forget_translations
from engage.extensions import db
from engage.inform.models import Engagement

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")

SURVEY_FIELDS = {
    "slug",
    "title",
    "easy_read_title",
    "description",
    "easy_read_description",
    "audience",
    "mode",
    "status",
    "engagement",
    "minutes_to_complete",
    "retention_days",
    "one_question_per_page",
    "opens_on",
    "closes_on",
    "grace_hours",
    "questions",
    "translations",
}
QUESTION_FIELDS = {
    "key",
    "kind",
    "text",
    "easy_read_text",
    "hint",
    "easy_read_hint",
    "symbol",
    "section",
    "required",
    "max_length",
    "show_if",
    "options",
}
OPTION_FIELDS = {"value", "text", "easy_read_text", "symbol"}
LIMITS = {"title": 200, "text": 500, "option_text": 200, "slug": 80, "key": 64, "symbol": 80}


class SurveyDefinitionError(ValueError):
    """A survey definition is not valid; the message names the field path and the reason."""

    def __init__(self, path: str, reason: str, source: str | None = None):
        self.path, self.reason, self.source = path, reason, source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{path}: {reason}")

    def in_file(self, source: str) -> SurveyDefinitionError:
        return SurveyDefinitionError(self.path, self.reason, source)


def _string(data: dict, field: str, path: str, *, required: bool = False, limit: int = 5000) -> str:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise SurveyDefinitionError(f"{path}{field}", "is required")
        return ""
    if not isinstance(value, str):
        raise SurveyDefinitionError(f"{path}{field}", "must be text")
    if len(value) > limit:
        raise SurveyDefinitionError(f"{path}{field}", f"must be {limit} characters or fewer")
    return value


def _enum(data: dict, field: str, enum_class, path: str, default=None):
    value = data.get(field)
    if value is None:
        if default is not None:
            return default
        raise SurveyDefinitionError(f"{path}{field}", "is required")
    try:
        return enum_class(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_class)
        raise SurveyDefinitionError(
            f"{path}{field}", f"'{value}' is not one of: {allowed}"
        ) from None


def _int(data: dict, field: str, path: str, default: int, low: int, high: int) -> int:
    value = data.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SurveyDefinitionError(
            f"{path}{field}", f"must be a whole number from {low} to {high}"
        )
    return value


def _date(data: dict, field: str, path: str) -> date | None:
    """A day written YYYY-MM-DD (YAML reads it as a date, quoted or not)."""
    value = data.get(field)
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SurveyDefinitionError(f"{path}{field}", "must be a date written YYYY-MM-DD")


def _bool(data: dict, field: str, path: str, default: bool) -> bool:
    value = data.get(field, default)
    if not isinstance(value, bool):
        raise SurveyDefinitionError(f"{path}{field}", "must be true or false")
    return value


def _unknown(data: dict, allowed: set[str], path: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise SurveyDefinitionError(f"{path}{extra[0]}", "is not a known field")


def _options(question: dict, kind: QuestionKind, path: str) -> list[Option]:
    raw = question.get("options")
    if not has_options(kind):
        if raw:
            raise SurveyDefinitionError(f"{path}options", "free-text questions have no options")
        return []
    if raw is None and kind in STANDARD_OPTIONS:
        return [
            Option(
                position=index,
                value=o.value,
                text=o.text,
                easy_read_text=o.easy_read_text,
                symbol=o.symbol,
            )
            for index, o in enumerate(STANDARD_OPTIONS[kind])
        ]
    if not isinstance(raw, list):
        raise SurveyDefinitionError(f"{path}options", "must be a list")
    if len(raw) < 2:
        raise SurveyDefinitionError(f"{path}options", "at least 2 needed")
    options, seen, wording = [], set(), {}
    for index, item in enumerate(raw):
        here = f"{path}options[{index}]."
        if not isinstance(item, dict):
            raise SurveyDefinitionError(here.rstrip("."), "must be a mapping with value and text")
        _unknown(item, OPTION_FIELDS, here)
        value = _string(item, "value", here, required=True, limit=LIMITS["key"])
        if not KEY.match(value):
            raise SurveyDefinitionError(f"{here}value", "use lower-case letters, digits and _")
        if value in seen:
            raise SurveyDefinitionError(f"{here}value", f"'{value}' is used twice")
        seen.add(value)
        text = _string(item, "text", here, required=True, limit=LIMITS["option_text"])
        words = same_words(text)
        if words in wording:
            raise SurveyDefinitionError(
                f"{here}text", f"has the same words as options[{wording[words]}]"
            )
        wording[words] = index
        options.append(
            Option(
                position=index,
                value=value,
                text=text,
                easy_read_text=_string(item, "easy_read_text", here, limit=LIMITS["option_text"]),
                symbol=_string(item, "symbol", here, limit=LIMITS["symbol"]) or None,
            )
        )
    return options


def _question(item: Any, index: int, earlier: dict[str, Question]) -> Question:
    path = f"questions[{index}]."
    if not isinstance(item, dict):
        raise SurveyDefinitionError(path.rstrip("."), "must be a mapping")
    _unknown(item, QUESTION_FIELDS, path)
    key = _string(item, "key", path, required=True, limit=LIMITS["key"])
    if not KEY.match(key):
        raise SurveyDefinitionError(f"{path}key", "use lower-case letters, digits and _")
    if key in earlier:
        raise SurveyDefinitionError(f"{path}key", f"'{key}' is used by an earlier question")
    kind = _enum(item, "kind", QuestionKind, path)
    question = Question(
        position=index,
        key=key,
        kind=kind,
        text=_string(item, "text", path, required=True, limit=LIMITS["text"]),
        easy_read_text=_string(item, "easy_read_text", path, limit=LIMITS["text"]),
        hint=_string(item, "hint", path),
        easy_read_hint=_string(item, "easy_read_hint", path),
        symbol=_string(item, "symbol", path, limit=LIMITS["symbol"]) or None,
        section=_string(item, "section", path, limit=120),
        required=_bool(item, "required", path, False),
        max_length=_int(item, "max_length", path, 2000, 10, 10000),
        options=_options(item, kind, path),
    )
    show_if = item.get("show_if")
    if show_if is not None:
        _show_if(question, show_if, earlier, path)
    return question


def question_from_definition(item: Any) -> Question:
    """One question on its own (the question bank's entries), without skip logic; errors name
    it questions[0]."""
    return _question(item, 0, {})


def _show_if(question: Question, show_if: Any, earlier: dict[str, Question], path: str) -> None:
    here = f"{path}show_if"
    if not isinstance(show_if, dict) or set(show_if) != {"question", "equals"}:
        raise SurveyDefinitionError(here, "must have exactly 'question' and 'equals'")
    target = earlier.get(show_if["question"])
    if target is None:
        raise SurveyDefinitionError(f"{here}.question", "must name an earlier question's key")
    values = {option.value for option in target.options}
    if str(show_if["equals"]) not in values:
        raise SurveyDefinitionError(
            f"{here}.equals", f"'{show_if['equals']}' is not an option of '{target.key}'"
        )
    question.show_if_key = target.key
    question.show_if_value = str(show_if["equals"])


def parse_definition(data: Any) -> tuple[Survey, str | None]:
    """A new, unsaved Survey from a definition, and the engagement slug it names."""
    if not isinstance(data, dict):
        raise SurveyDefinitionError("(top)", "must be a mapping of survey fields")
    _unknown(data, SURVEY_FIELDS, "")
    slug = _string(data, "slug", "", required=True, limit=LIMITS["slug"])
    if not SLUG.match(slug):
        raise SurveyDefinitionError("slug", "use lower-case letters, digits and hyphens")
    survey = Survey(
        slug=slug,
        title=_string(data, "title", "", required=True, limit=LIMITS["title"]),
        easy_read_title=_string(data, "easy_read_title", "", limit=LIMITS["title"]),
        description=_string(data, "description", ""),
        easy_read_description=_string(data, "easy_read_description", ""),
        audience=_enum(data, "audience", Audience, ""),
        mode=_enum(data, "mode", SurveyMode, ""),
        status=_enum(data, "status", SurveyStatus, "", default=SurveyStatus.DRAFT),
        minutes_to_complete=_int(data, "minutes_to_complete", "", 5, 1, 120),
        retention_days=_int(data, "retention_days", "", 730, 30, 3650),
        one_question_per_page=_bool(data, "one_question_per_page", "", True),
        opens_on=_date(data, "opens_on", ""),
        closes_on=_date(data, "closes_on", ""),
        grace_hours=_int(data, "grace_hours", "", DEFAULT_GRACE_HOURS, 0, MAX_GRACE_HOURS),
    )
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        raise SurveyDefinitionError("closes_on", "must be on or after opens_on")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise SurveyDefinitionError("questions", "at least 1 needed")
    earlier: dict[str, Question] = {}
    for index, item in enumerate(questions):
        question = _question(item, index, earlier)
        earlier[question.key] = question
        survey.questions.append(question)
    engagement = data.get("engagement")
    if engagement is not None and not isinstance(engagement, str):
        raise SurveyDefinitionError("engagement", "must be an engagement's slug")
    return survey, engagement


def load_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise SurveyDefinitionError(where, "is not valid YAML", source) from None


def import_definition(
    data: Any,
    source: str = "(definition)",
    *,
    replace: bool = False,
    in_reach: Callable[[int | None], bool] | None = None,
) -> Survey:
    """Validate everything first, then add the survey to the session (the caller commits).

    in_reach(engagement_id) says whether the importing staff member may use an engagement;
    the command line (no user) passes nothing and may use any."""
    figures.renew()
    try:
        survey, engagement_slug = parse_definition(data)
    except SurveyDefinitionError as error:
        raise error.in_file(source) from None
    engagement = None
    if engagement_slug:
        engagement = db.session.scalar(select(Engagement).where(Engagement.slug == engagement_slug))
        if engagement is None or (in_reach is not None and not in_reach(engagement.id)):
            raise SurveyDefinitionError("engagement", f"no engagement '{engagement_slug}'", source)
    existing = db.session.scalar(select(Survey).where(Survey.slug == survey.slug))
    if existing is not None:
        if not replace:
            raise SurveyDefinitionError("slug", f"a survey '{survey.slug}' already exists", source)
        if in_reach is not None and not in_reach(existing.engagement_id):
            raise SurveyDefinitionError(
                "slug",
                f"survey '{survey.slug}' belongs to another team and cannot be replaced",
                source,
            )
        _refuse_if_answered(existing, source)
        forget_translations(existing)
        db.session.delete(existing)
        db.session.flush()
    survey.engagement = engagement
    db.session.add(survey)
    db.session.flush()
    try:
        definition_translations.load(survey, data.get("translations"))
    except definition_translations.TranslationDefinitionError as error:
        raise SurveyDefinitionError(error.path, error.reason, source) from None
    return survey


def _refuse_if_answered(survey: Survey, source: str) -> None:
    from engage.ask.editing import response_count

    if response_count(survey):
        raise SurveyDefinitionError(
            "slug", f"survey '{survey.slug}' has responses and cannot be replaced", source
        )


def import_file(path: Path, *, replace: bool = False) -> Survey:
    return import_definition(
        load_yaml(path.read_text(encoding="utf-8"), str(path)), str(path), replace=replace
    )


def export_definition(survey: Survey) -> dict:
    data: dict[str, Any] = {
        "slug": survey.slug,
        "title": survey.title,
        "easy_read_title": survey.easy_read_title,
        "description": survey.description,
        "easy_read_description": survey.easy_read_description,
        "audience": survey.audience.value,
        "mode": survey.mode.value,
        "status": survey.status.value,
    }
    if survey.engagement is not None:
        data["engagement"] = survey.engagement.slug
    data.update(
        minutes_to_complete=survey.minutes_to_complete,
        retention_days=survey.retention_days,
        one_question_per_page=survey.one_question_per_page,
    )
    # A survey's own dates only: without them it follows its engagement's.
    if survey.opens_on:
        data["opens_on"] = survey.opens_on
    if survey.closes_on:
        data["closes_on"] = survey.closes_on
    if survey.grace_hours != DEFAULT_GRACE_HOURS:
        data["grace_hours"] = survey.grace_hours
    data["questions"] = [_export_question(question) for question in survey.questions]
    translated = definition_translations.export(survey)
    if translated:
        data["translations"] = translated
    return data


def _export_question(question: Question) -> dict:
    item: dict[str, Any] = {"key": question.key, "kind": question.kind.value, "text": question.text}
    for field in ("easy_read_text", "hint", "easy_read_hint", "symbol", "section"):
        if getattr(question, field):
            item[field] = getattr(question, field)
    if question.required:
        item["required"] = True
    if question.max_length != 2000:
        item["max_length"] = question.max_length
    if question.show_if_key:
        item["show_if"] = {"question": question.show_if_key, "equals": question.show_if_value}
    if has_options(question.kind) and (question.kind in CHOICE_KINDS or not _is_standard(question)):
        item["options"] = [_export_option(option) for option in question.options]
    return item


def _export_option(option: Option) -> dict:
    item = {"value": option.value, "text": option.text}
    if option.easy_read_text:
        item["easy_read_text"] = option.easy_read_text
    if option.symbol:
        item["symbol"] = option.symbol
    return item


def _is_standard(question: Question) -> bool:
    standard = STANDARD_OPTIONS.get(question.kind, ())
    return [(o.value, o.text, o.easy_read_text, o.symbol) for o in question.options] == [
        (o.value, o.text, o.easy_read_text, o.symbol) for o in standard
    ]


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6)
