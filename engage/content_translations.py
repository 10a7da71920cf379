"""Staff-written content in the area's other languages: an engagement's, a survey's or a "You
said, we did" update's texts, stored apart from the English, with whether each is up to date.

English is always the source. Each translation keeps the English it was made from (and its
hash), so a later English change shows it out of date. An object is offered in a language only
when staff marked that language complete and every one of its texts has an up-to-date
translation. The steps say which texts an object has (inform, ask and respond each list their
own as SourceText); everything about storing and checking them is here.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context
from markupsafe import Markup
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from engage import figures
from engage import languages as area_languages
from engage.accounts.audit import record
from engage.extensions import db
from engage.schema import UTCDateTime, enum_type, utcnow

SOURCE_LANGUAGE = area_languages.SOURCE
# Longer than any English column: translations often need more words than the English.
PLAIN_LIMIT = 5000
RICH_LIMIT = 20000
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>")


class ContentKind(enum.Enum):
    ENGAGEMENT = "engagement"
    SURVEY = "survey"
    UPDATE = "update"


class ContentTranslation(db.Model):
    """One text of one object in one language. `field` names the text inside the object:
    "title", or for a survey's questions and options "questions.<key>.hint" and
    "questions.<key>.options.<value>.text" (keys and values never change, so a translation
    survives a question being moved, and translators' files carry readable ids)."""

    __tablename__ = "content_translation"
    __table_args__ = (UniqueConstraint("object_type", "object_id", "field", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[ContentKind] = mapped_column(enum_type(ContentKind, "content_kind"))
    object_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    # The English this translation was made from: a different hash now means out of date.
    source_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    translated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    translated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentLanguage(db.Model):
    """Staff marked this object complete in this language: from then on it is offered to the
    public there, for as long as every text stays translated and up to date."""

    __tablename__ = "content_language"
    __table_args__ = (UniqueConstraint("object_type", "object_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[ContentKind] = mapped_column(enum_type(ContentKind, "content_kind"))
    object_id: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(12))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class SourceText:
    """One English text of an object, as translators and the side-by-side screen see it."""

    field: str
    english: str
    label: str
    context: str = ""
    # Staff rich text ("You said, we did"): HTML allowed, cleaned by this function.
    clean: Callable[[str], str] | None = None
    group: str = ""

    @property
    def rich(self) -> bool:
        return self.clean is not None

    @property
    def source_hash(self) -> str:
        return source_hash(self.english)


class TranslationError(ValueError):
    """Translations that cannot be saved or marked complete; problems are (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{where}: {message}" for where, message in problems))


class State(enum.Enum):
    MISSING = "missing"
    OUT_OF_DATE = "out_of_date"
    UP_TO_DATE = "up_to_date"


@dataclass
class TextState:
    source: SourceText
    translation: str
    state: State
    # The English the translation was made from, when it has changed since.
    translated_from: str = ""


@dataclass
class LanguageStatus:
    language: str
    total: int
    missing: int = 0
    out_of_date: int = 0
    marked_complete: bool = False

    @property
    def ready(self) -> bool:
        return self.missing == 0 and self.out_of_date == 0

    @property
    def offered(self) -> bool:
        return self.marked_complete and self.ready


def source_hash(english: str) -> str:
    return hashlib.sha256(_normal(english).encode("utf-8")).hexdigest()


def _normal(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


# Languages ----------------------------------------------------------------------------------


def configured_languages() -> list[str]:
    """The area's languages, English first (ENGAGE_LANGUAGES)."""
    return area_languages.configured_languages()


def other_languages() -> list[str]:
    return configured_languages()[1:]


def current_language() -> str:
    """The language the visitor reads the page in, as a bare code."""
    if not has_request_context():
        return SOURCE_LANGUAGE
    return area_languages.base_language(area_languages.current_language())


def lang_attr(language: str | None) -> Markup:
    """' lang="en"' on content in another language than the page's, so screen readers switch
    voice (WCAG 2.2 SC 3.1.2), with ' dir="ltr"' when it also reads the other way (English on
    an Arabic page: the Unicode bidi algorithm alone would put its full stop on the left);
    nothing when they agree or the language is not known."""
    page = current_language()
    if not language or language == page:
        return Markup("")
    if direction(language) != direction(page):
        return Markup(' lang="%s" dir="%s"') % (language, direction(language))
    return Markup(' lang="%s"') % language


def direction(code: str) -> str:
    return area_languages.direction(code)


def language_name(code: str) -> str:
    """The language's name in English, for staff pages."""
    return area_languages.english_name(code)


# Reading ------------------------------------------------------------------------------------


def _rows(kind: ContentKind, object_id: int, languages: Iterable[str] | None = None):
    query = select(ContentTranslation).where(
        ContentTranslation.object_type == kind, ContentTranslation.object_id == object_id
    )
    if languages is not None:
        query = query.where(ContentTranslation.language.in_(list(languages)))
    return db.session.scalars(query)


def _marked(kind: ContentKind, object_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(ContentLanguage.language).where(
                ContentLanguage.object_type == kind, ContentLanguage.object_id == object_id
            )
        )
    )


def text_states(
    kind: ContentKind,
    object_id: int,
    sources: list[SourceText],
    language: str,
    typed: Mapping[str, str] | None = None,
) -> list[TextState]:
    """Every text of the object beside its translation in one language, and its state; what
    staff typed (`typed`, when a page is shown again after an error) stands in for the stored
    translation, so nothing typed is lost."""
    stored = {row.field: row for row in _rows(kind, object_id, [language])}
    states = []
    for source in sources:
        row = stored.get(source.field)
        if row is None or not row.text.strip():
            state = TextState(source, "", State.MISSING)
        elif row.source_hash != source.source_hash:
            state = TextState(source, row.text, State.OUT_OF_DATE, row.source_text)
        else:
            state = TextState(source, row.text, State.UP_TO_DATE)
        if typed is not None and source.field in typed:
            state.translation = typed[source.field]
        states.append(state)
    return states


def statuses(
    kind: ContentKind, object_id: int, sources: list[SourceText], languages: Iterable[str]
) -> list[LanguageStatus]:
    """How far each language is: texts missing, out of date, and whether it is offered."""
    languages = [code for code in languages if code != SOURCE_LANGUAGE]
    marked = _marked(kind, object_id)
    by_language: dict[str, dict[str, str]] = {code: {} for code in languages}
    for row in _rows(kind, object_id, languages):
        if row.text.strip():
            by_language[row.language][row.field] = row.source_hash
    result = []
    for code in languages:
        hashes = by_language[code]
        status = LanguageStatus(code, len(sources), marked_complete=code in marked)
        for source in sources:
            if source.field not in hashes:
                status.missing += 1
            elif hashes[source.field] != source.source_hash:
                status.out_of_date += 1
        result.append(status)
    return result


@dataclass
class Reading:
    """How a public page shows an object: the language its content is in, the languages it
    is offered in (English first, for the language switcher) and, when not English, the
    translated texts by field."""

    language: str
    languages: list[str]
    texts: dict[str, str] | None = None


def reading(
    kind: ContentKind, object_id: int, sources: Callable[[], list[SourceText]], language: str
) -> Reading:
    """What a public page in `language` shows. `sources` is called only when some language
    is marked complete, so an object never translated costs one small query (none when the
    area has only English)."""
    english = Reading(SOURCE_LANGUAGE, [SOURCE_LANGUAGE])
    languages = other_languages()
    if not languages:
        return english
    marked = _marked(kind, object_id) & set(languages)
    if not marked:
        return english
    texts = sources()
    wanted = [code for code in languages if code in marked]
    stored: dict[str, dict[str, ContentTranslation]] = {code: {} for code in wanted}
    for row in _rows(kind, object_id, wanted):
        stored[row.language][row.field] = row
    offered = [
        code
        for code in wanted
        if all(
            (row := stored[code].get(source.field)) is not None
            and row.text.strip()
            and row.source_hash == source.source_hash
            for source in texts
        )
    ]
    if language not in offered:
        return Reading(SOURCE_LANGUAGE, [SOURCE_LANGUAGE, *offered])
    rows = stored[language]
    return Reading(
        language,
        [SOURCE_LANGUAGE, *offered],
        {source.field: rows[source.field].text for source in texts},
    )


# Writing ------------------------------------------------------------------------------------


def check_text(source: SourceText, text: str) -> tuple[str, str | None]:
    """The translation as it would be stored, and a problem with it (or None)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if source.rich:
        if len(text) > RICH_LIMIT:
            return text, f"must be {RICH_LIMIT} characters or fewer"
        return source.clean(text), None
    if TAG.search(text):
        return text, "has HTML in it: this text is shown as plain words, so remove the tags"
    if len(text) > PLAIN_LIMIT:
        return text, f"must be {PLAIN_LIMIT} characters or fewer"
    return text, None


def check_language(language: str) -> None:
    if language not in other_languages():
        raise TranslationError([("language", f"'{language}' is not one of the area's languages")])


def save_translations(
    kind: ContentKind,
    object_id: int,
    sources: list[SourceText],
    language: str,
    texts: Mapping[str, str],
    user_id: int | None,
    *,
    english_seen: Mapping[str, str] | None = None,
    confirmed: Iterable[str] | None = None,
) -> int:
    """Store translations by field; a blank text removes one. Every text is checked first and
    nothing is stored when any is wrong. `english_seen` is the English the translator worked
    from: a translation of English that has changed since is refused. An out-of-date
    translation given back unchanged stays out of date unless its field is in `confirmed`
    (staff ticked "still right"); None confirms all (a translator's file shows the current
    English). Returns how many changed."""
    figures.renew()
    check_language(language)
    confirmed = set(confirmed) if confirmed is not None else None
    by_field = {source.field: source for source in sources}
    problems: list[tuple[str, str]] = []
    checked: dict[str, str] = {}
    for name, text in texts.items():
        source = by_field.get(name)
        if source is None:
            problems.append((name, "is not a text of this page"))
            continue
        if english_seen is not None and _normal(english_seen.get(name, "")) != _normal(
            source.english
        ):
            problems.append((name, "the English has changed since this was translated"))
            continue
        cleaned, problem = check_text(source, text)
        if problem:
            problems.append((name, problem))
        checked[name] = cleaned
    if problems:
        raise TranslationError(problems)
    stored = {row.field: row for row in _rows(kind, object_id, [language])}
    changed = 0
    for name, text in checked.items():
        source, row = by_field[name], stored.get(name)
        if not text:
            if row is not None:
                db.session.delete(row)
                changed += 1
            continue
        if row is None:
            row = ContentTranslation(
                object_type=kind, object_id=object_id, field=name, language=language
            )
            db.session.add(row)
        elif row.text == text and (
            row.source_hash == source.source_hash
            or (confirmed is not None and name not in confirmed)
        ):
            continue
        row.text, row.source_text, row.source_hash = text, source.english, source.source_hash
        row.translated_by_id, row.translated_at = user_id, utcnow()
        changed += 1
    db.session.flush()
    return changed


def mark_complete(
    kind: ContentKind,
    object_id: int,
    sources: list[SourceText],
    language: str,
    user_id: int | None,
) -> None:
    """Offer the object in the language; refused, naming the texts, while any is missing or
    out of date."""
    figures.renew()
    check_language(language)
    problems = [
        (
            state.source.field,
            "has no translation"
            if state.state == State.MISSING
            else "is out of date: the English has changed since it was translated",
        )
        for state in text_states(kind, object_id, sources, language)
        if state.state != State.UP_TO_DATE
    ]
    if problems:
        raise TranslationError(problems)
    if language not in _marked(kind, object_id):
        db.session.add(
            ContentLanguage(
                object_type=kind, object_id=object_id, language=language, completed_by_id=user_id
            )
        )
        db.session.flush()


def unmark_complete(kind: ContentKind, object_id: int, language: str) -> None:
    figures.renew()
    db.session.execute(
        delete(ContentLanguage).where(
            ContentLanguage.object_type == kind,
            ContentLanguage.object_id == object_id,
            ContentLanguage.language == language,
        )
    )


def forget(kind: ContentKind, object_id: int) -> None:
    """Remove every translation and mark of an object that is being deleted."""
    figures.renew()
    for model in (ContentTranslation, ContentLanguage):
        db.session.execute(
            delete(model).where(model.object_type == kind, model.object_id == object_id)
        )


def all_translations(kind: ContentKind, object_id: int) -> dict[str, dict[str, str]]:
    """Every stored translation of the object: {language: {field: text}}."""
    result: dict[str, dict[str, str]] = {}
    for row in _rows(kind, object_id):
        result.setdefault(row.language, {})[row.field] = row.text
    return result


def marked_languages(kind: ContentKind, object_id: int) -> set[str]:
    return _marked(kind, object_id)


@dataclass
class ScreenResult:
    """What a post of the side-by-side screen did: a message to show after redirecting, or
    the problems to show on the page again (with what was typed, when nothing was saved)."""

    message: str = ""
    problems: list[tuple[str, str]] | None = None
    typed: dict[str, str] | None = None
    marking: bool = False
    action: str = "save"


def post_side_by_side(
    kind: ContentKind,
    object_id: int,
    sources: list[SourceText],
    language: str,
    form: Mapping,
    user_id: int | None,
) -> ScreenResult:
    """Save the screen's texts, then mark the language complete or withdraw it if asked.
    A text that cannot be saved leaves everything unsaved (the caller rolls back); a refused
    mark keeps the saved texts (the caller commits)."""
    typed = {source.field: form.get(source.field, "") for source in sources}
    action = form.get("action", "save")
    try:
        save_translations(
            kind, object_id, sources, language, typed, user_id, confirmed=form.getlist("confirm")
        )
    except TranslationError as error:
        return ScreenResult(problems=error.problems, typed=typed, action=action)
    name = language_name(language)
    if action == "complete":
        try:
            mark_complete(kind, object_id, sources, language, user_id)
        except TranslationError as error:
            return ScreenResult(problems=error.problems, marking=True, action=action)
        return ScreenResult(f"{name} marked complete: it is offered in {name} now", action=action)
    if action == "withdraw":
        unmark_complete(kind, object_id, language)
        return ScreenResult(f"{name} is no longer offered", action=action)
    return ScreenResult("Translations saved", action=action)


def save_side_by_side(
    kind: ContentKind,
    object_id: int,
    sources: list[SourceText],
    language: str,
    form: Mapping,
    user_id: int | None,
) -> ScreenResult:
    """The screen's POST for any kind, in its own transaction: a refused text saves nothing,
    a refused mark keeps the saved texts; each change is in the audit log."""
    result = post_side_by_side(kind, object_id, sources, language, form, user_id)
    if result.problems and not result.marking:
        db.session.rollback()
        return result
    record(f"{kind.value}_translation_saved", kind.value, object_id, language)
    if not result.problems and result.action in ("complete", "withdraw"):
        record(f"{kind.value}_translation_{result.action}", kind.value, object_id, language)
    db.session.commit()
    return result


def problem_summary(states: list[TextState], problems: list[tuple[str, str]]) -> list[tuple]:
    """The error summary's lines: (link to the text's box, where it is, the message)."""
    index = {state.source.field: number for number, state in enumerate(states, start=1)}
    lines = []
    for name, message in problems:
        if name in index:
            source = states[index[name] - 1].source
            lines.append((f"#text-{index[name]}", f"{source.group}: {source.label}", message))
        else:
            lines.append(("#texts", name, message))
    return lines


def store_translations(
    kind: ContentKind,
    object_id: int,
    sources: list[SourceText],
    language: str,
    texts: Mapping[str, str],
) -> None:
    """Add translations of an object that has none in the language yet, whatever the area's
    languages (demo data and definition files are kept for the day a language is added)."""
    figures.renew()
    by_field = {source.field: source for source in sources}
    problems = []
    for name, text in texts.items():
        source = by_field.get(name)
        if source is None:
            problems.append((name, "is not a text of this page"))
            continue
        cleaned, problem = check_text(source, text)
        if problem:
            problems.append((name, problem))
            continue
        db.session.add(
            ContentTranslation(
                object_type=kind,
                object_id=object_id,
                field=name,
                language=language,
                text=cleaned,
                source_text=source.english,
                source_hash=source.source_hash,
            )
        )
    if problems:
        raise TranslationError(problems)
    db.session.flush()


def mark_languages(kind: ContentKind, object_id: int, languages: Iterable[str]) -> None:
    """Staff's mark, as loaded from a file: offered only while every text is up to date."""
    figures.renew()
    marked = _marked(kind, object_id)
    db.session.add_all(
        ContentLanguage(object_type=kind, object_id=object_id, language=language)
        for language in languages
        if language not in marked
    )
    db.session.flush()


def copy_translations(kind: ContentKind, from_id: int, to_id: int) -> None:
    """A copy's translations: every text as translated, each still checked against the copy's
    English (a changed title shows out of date); the copy is offered in no language until
    staff mark it complete."""
    figures.renew()
    db.session.add_all(
        ContentTranslation(
            object_type=kind,
            object_id=to_id,
            field=row.field,
            language=row.language,
            text=row.text,
            source_text=row.source_text,
            source_hash=row.source_hash,
            translated_by_id=row.translated_by_id,
            translated_at=row.translated_at,
        )
        for row in list(_rows(kind, from_id))
    )
