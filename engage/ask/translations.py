"""A survey's texts in other languages: which texts it has (its own, every question's and
option's, easy-read wording, hints, symbols' alt text), and showing it in a language.

Storage and the up-to-date rules are shared (engage.content_translations); the translators'
files are in engage.ask.translation_files."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from engage import content_translations as content
from engage.ask import symbols
from engage.ask.models import Option, Survey
from engage.content_translations import ContentKind, SourceText
from engage.extensions import db

KIND = ContentKind.SURVEY
SURVEY_FIELDS = (
    ("title", "Title", "The survey's name, on its start page and every page's title."),
    ("easy_read_title", "Title (easy read)", "Easy-read wording: short, everyday words."),
    ("description", "Description", "On the start page, under the title."),
    ("easy_read_description", "Description (easy read)", "Easy-read wording."),
)
QUESTION_FIELDS = (
    ("text", "Question", "The question as asked."),
    ("easy_read_text", "Question (easy read)", "Easy-read wording: short, everyday words."),
    ("hint", "Hint", "Help shown under the question."),
    ("easy_read_hint", "Hint (easy read)", "Easy-read wording of the hint."),
    ("section", "Section", "Heading of a group of questions shown on one page."),
)
OPTION_FIELDS = (
    ("text", "Answer", "One answer people can choose."),
    ("easy_read_text", "Answer (easy read)", "Easy-read wording of the answer."),
)
SYMBOL_CONTEXT = "Alt text of the picture beside it: what a screen reader would say for it."


def _options_loaded(survey: Survey) -> None:
    """Every question's options, in one query when some are not loaded yet."""
    pending = [question for question in survey.questions if "options" in inspect(question).unloaded]
    if not pending:
        return
    by_question: dict[int, list[Option]] = {question.id: [] for question in pending}
    query = (
        select(Option)
        .where(Option.question_id.in_(list(by_question)))
        .order_by(Option.question_id, Option.position)
    )
    for option in db.session.scalars(query):
        by_question[option.question_id].append(option)
    for question in pending:
        set_committed_value(question, "options", by_question[question.id])


def survey_texts(survey: Survey) -> list[SourceText]:
    """Every English text of the survey that a translation must cover, in page order. Empty
    fields are not texts (their page shows another text instead)."""
    _options_loaded(survey)
    texts: list[SourceText] = []
    for name, label, context in SURVEY_FIELDS:
        if getattr(survey, name):
            texts.append(SourceText(name, getattr(survey, name), label, context, group="Survey"))
    for number, question in enumerate(survey.questions, start=1):
        group = f"Question {number}"
        base = f"questions.{question.key}"
        for name, label, context in QUESTION_FIELDS:
            if getattr(question, name):
                texts.append(
                    SourceText(
                        f"{base}.{name}", getattr(question, name), label, context, group=group
                    )
                )
        alt = symbols.alt_text(question.symbol) if question.symbol else None
        if alt:
            texts.append(
                SourceText(f"{base}.symbol_alt", alt, "Picture", SYMBOL_CONTEXT, group=group)
            )
        for place, option in enumerate(question.options, start=1):
            option_base = f"{base}.options.{option.value}"
            for name, label, context in OPTION_FIELDS:
                if getattr(option, name):
                    texts.append(
                        SourceText(
                            f"{option_base}.{name}",
                            getattr(option, name),
                            f"{label} {place}",
                            f"{context} Question: {question.text}",
                            group=group,
                        )
                    )
            alt = symbols.alt_text(option.symbol) if option.symbol else None
            if alt:
                texts.append(
                    SourceText(
                        f"{option_base}.symbol_alt",
                        alt,
                        f"Picture of answer {place}",
                        SYMBOL_CONTEXT,
                        group=group,
                    )
                )
    return texts


def statuses(survey: Survey) -> list[content.LanguageStatus]:
    return content.statuses(KIND, survey.id, survey_texts(survey), content.other_languages())


def show_in_language(survey: Survey, language: str) -> content.Reading:
    """Put the survey's translated texts on its loaded objects for this page, when it is
    offered in the language; says which language its content is in and which it is offered in.

    The values are set as if loaded from the database (no change is recorded), so the page's
    templates and helpers read the translation and nothing is ever written back; the next
    request loads English again. Answers keep their option values, so responses in every
    language are counted together."""
    reading = content.reading(KIND, survey.id, lambda: survey_texts(survey), language)
    texts = reading.texts
    if texts is None:
        return reading
    for name, _label, _context in SURVEY_FIELDS:
        if name in texts:
            set_committed_value(survey, name, texts[name])
    for question in survey.questions:
        base = f"questions.{question.key}"
        for name, _label, _context in QUESTION_FIELDS:
            if f"{base}.{name}" in texts:
                set_committed_value(question, name, texts[f"{base}.{name}"])
        for option in question.options:
            option_base = f"{base}.options.{option.value}"
            for name, _label, _context in OPTION_FIELDS:
                if f"{option_base}.{name}" in texts:
                    set_committed_value(option, name, texts[f"{option_base}.{name}"])
    return reading


def side_by_side(
    survey: Survey, sources: list[SourceText], language: str, typed=None
) -> list[content.TextState]:
    return content.text_states(KIND, survey.id, sources, language, typed)


def save(
    survey: Survey,
    sources: list[SourceText],
    language: str,
    texts: dict[str, str],
    user_id: int | None,
    confirmed=None,
) -> int:
    return content.save_translations(
        KIND, survey.id, sources, language, texts, user_id, confirmed=confirmed
    )


def mark_complete(
    survey: Survey, sources: list[SourceText], language: str, user_id: int | None
) -> None:
    content.mark_complete(KIND, survey.id, sources, language, user_id)


def withdraw(survey: Survey, language: str) -> None:
    content.unmark_complete(KIND, survey.id, language)


def forget(survey: Survey) -> None:
    content.forget(KIND, survey.id)
