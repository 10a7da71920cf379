"""Copies: a survey into the same or another engagement, and an engagement with its surveys,
each as a draft with every question, option, easy-read wording, symbol and skip rule."""

from __future__ import annotations

from engage import content_translations as content
from engage import figures, form_tokens
from engage.ask.editing import RESERVED_SLUGS, EditError
from engage.ask.models import Option, Question, Survey, SurveyStatus
from engage.content_translations import ContentKind
from engage.extensions import db
from engage.inform.editing import unique_slug
from engage.inform.models import Engagement, EngagementStatus

SURVEY_COPIED = (
    "easy_read_title",
    "description",
    "easy_read_description",
    "audience",
    "mode",
    "minutes_to_complete",
    "retention_days",
    "one_question_per_page",
    "opens_on",
    "closes_on",
    "grace_hours",
)
# Skip rules name questions by key and options by value; both are copied as they are, so the
# rules hold in the copy.
QUESTION_COPIED = (
    "position",
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
    "show_if_key",
    "show_if_value",
)
OPTION_COPIED = ("position", "value", "text", "easy_read_text", "symbol")
ENGAGEMENT_COPIED = (
    "easy_read_title",
    "summary",
    "easy_read_summary",
    "why",
    "easy_read_why",
    "next_steps",
    "easy_read_next_steps",
    "stage",
    "opens_on",
    "closes_on",
    "organisation_id",
)


def _copy_fields(source, target, names) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


def copy_title(title: str) -> str:
    return f"{title} (copy)"[:200]


def copy_survey(source: Survey, engagement: Engagement | None, title: str) -> Survey:
    """A draft copy of the survey in this engagement (or none); the caller commits."""
    figures.renew()
    title = title.strip()
    if not title:
        raise EditError("Enter a title for the copy", "title")
    copy = Survey(
        slug=unique_slug(Survey, title, fallback="survey", reserved=RESERVED_SLUGS),
        title=title,
        status=SurveyStatus.DRAFT,
        engagement=engagement,
    )
    db.session.add(copy)
    _copy_fields(source, copy, SURVEY_COPIED)
    for question in source.questions:
        twin = Question()
        _copy_fields(question, twin, QUESTION_COPIED)
        for option in question.options:
            option_twin = Option()
            _copy_fields(option, option_twin, OPTION_COPIED)
            twin.options.append(option_twin)
        copy.questions.append(twin)
    db.session.flush()
    content.copy_translations(ContentKind.SURVEY, source.id, copy.id)
    return copy


def copy_survey_once(
    source: Survey, engagement: Engagement | None, title: str, token: str | None
) -> tuple[Survey, bool]:
    return form_tokens.create_once(Survey, token, lambda: copy_survey(source, engagement, title))


def copy_engagement(source: Engagement, title: str) -> Engagement:
    """A draft copy of the engagement, its services and a draft copy of each of its surveys."""
    figures.renew()
    title = title.strip()
    if not title:
        raise EditError("Enter a title for the copy", "title")
    copy = Engagement(
        slug=unique_slug(Engagement, title, fallback="engagement"),
        title=title,
        status=EngagementStatus.DRAFT,
        services=list(source.services),
    )
    _copy_fields(source, copy, ENGAGEMENT_COPIED)
    db.session.add(copy)
    db.session.flush()
    content.copy_translations(ContentKind.ENGAGEMENT, source.id, copy.id)
    for survey in source.surveys:
        copy_survey(survey, copy, survey.title)
    return copy


def copy_engagement_once(source: Engagement, title: str, token: str | None):
    return form_tokens.create_once(Engagement, token, lambda: copy_engagement(source, title))
