"""A survey definition's translations (the `translations:` part of a surveys/*.yaml file):
read and checked on import, written on export so that a file round-trips exactly.

    translations:
      pl:
        complete: true
        texts:
          title: Local Offer i wsparcie SEN
          questions.used_local_offer.text: Czy ...
          # Out of date: the English it was translated from is kept beside it.
          questions.one_change.text: {text: Co ..., english: What one thing ...}

Ids are those of the translators' files (engage.ask.translations). `complete` is staff's
mark: as in the editor, the survey is offered in the language only while every text also has
an up-to-date translation. Translations into a language the area does not offer are kept, for
the day it does."""

from __future__ import annotations

import re
from typing import Any

from engage import content_translations as content
from engage.ask import translations
from engage.ask.models import Survey
from engage.content_translations import ContentLanguage, ContentTranslation, State

LANGUAGE = re.compile(r"^[a-z]{2,3}$")
LANGUAGE_FIELDS = {"complete", "texts"}


class TranslationDefinitionError(ValueError):
    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


def load(survey: Survey, raw: Any) -> None:
    """Store the definition's translations for a survey just added (flushed, so it has an id);
    everything is checked before anything is added."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        raise TranslationDefinitionError("translations", "must be a mapping of languages")
    sources = {source.field: source for source in translations.survey_texts(survey)}
    rows: list[ContentTranslation] = []
    marks: list[str] = []
    for language, entry in raw.items():
        path = f"translations.{language}"
        if not isinstance(language, str) or not LANGUAGE.match(language) or language == "en":
            raise TranslationDefinitionError(path, "must be a language code such as pl or ur")
        if not isinstance(entry, dict) or set(entry) - LANGUAGE_FIELDS:
            raise TranslationDefinitionError(path, "must have only 'complete' and 'texts'")
        texts = entry.get("texts") or {}
        if not isinstance(texts, dict):
            raise TranslationDefinitionError(f"{path}.texts", "must be a mapping of text ids")
        for field, value in texts.items():
            here = f"{path}.texts.{field}"
            source = sources.get(field)
            if source is None:
                raise TranslationDefinitionError(here, "is not a text of this survey")
            text, english = _value(value, source.english, here)
            cleaned, problem = content.check_text(source, text)
            if problem:
                raise TranslationDefinitionError(here, problem)
            rows.append(
                ContentTranslation(
                    object_type=translations.KIND,
                    object_id=survey.id,
                    field=field,
                    language=language,
                    text=cleaned,
                    source_text=english,
                    source_hash=content.source_hash(english),
                )
            )
        complete = entry.get("complete", False)
        if not isinstance(complete, bool):
            raise TranslationDefinitionError(f"{path}.complete", "must be true or false")
        if complete:
            marks.append(language)
    from engage.extensions import db

    db.session.add_all(rows)
    db.session.add_all(
        ContentLanguage(object_type=translations.KIND, object_id=survey.id, language=language)
        for language in marks
    )
    db.session.flush()


def _value(value: Any, english: str, path: str) -> tuple[str, str]:
    if isinstance(value, str):
        return value, english
    if isinstance(value, dict) and set(value) == {"text", "english"}:
        if isinstance(value["text"], str) and isinstance(value["english"], str):
            return value["text"], value["english"]
    raise TranslationDefinitionError(
        path, "must be the translation, or a mapping of 'text' and the 'english' it was made from"
    )


def export(survey: Survey) -> dict | None:
    """The survey's stored translations as a definition's `translations:` (None when none)."""
    sources = translations.survey_texts(survey)
    stored = content.all_translations(translations.KIND, survey.id)
    if not stored:
        return None
    marked = content.marked_languages(translations.KIND, survey.id)
    order = content.configured_languages()
    result: dict[str, Any] = {}
    for language in sorted(
        stored,
        key=lambda code: (code not in order, order.index(code) if code in order else 0, code),
    ):
        texts: dict[str, Any] = {}
        for state in translations.side_by_side(survey, sources, language):
            if state.state == State.MISSING:
                continue
            if state.state == State.OUT_OF_DATE:
                texts[state.source.field] = {
                    "text": state.translation,
                    "english": state.translated_from,
                }
            else:
                texts[state.source.field] = state.translation
        if texts:
            result[language] = {"complete": language in marked, "texts": texts}
    return result or None
