"""Staff pages for a survey in other languages (on the ask blueprint): how far each language
is, the side-by-side screen, and the translators' files (download and upload).

Staff pages are shown in English only (engage.languages), so their words are plain English,
not catalogue entries."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage import content_translations as content
from engage import spreadsheet
from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.ask import bp, translation_files, translations
from engage.ask.views import EDITORS, can_edit, survey_or_404
from engage.extensions import db
from engage.schema import utcnow


def _language(code: str) -> str:
    if code not in content.other_languages():
        abort(404)
    return code


@bp.route("/staff/surveys/<slug>/translations")
def translations_index(slug: str):
    survey = survey_or_404(slug)
    return render_template(
        "ask/translations.html",
        survey=survey,
        statuses=translations.statuses(survey),
        language_name=content.language_name,
        can_edit=can_edit(),
    )


@bp.route("/staff/surveys/<slug>/translations/<language>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def translate(slug: str, language: str):
    survey = survey_or_404(slug)
    language = _language(language)
    sources = translations.survey_texts(survey)
    if request.method == "GET":
        return _side_by_side(survey, language, sources)
    result = content.save_side_by_side(
        translations.KIND, survey.id, sources, language, request.form, current_user.id
    )
    if result.problems:
        # A refused mark keeps what was typed (saved); a refused text shows it again.
        typed = None if result.marking else result.typed
        return _side_by_side(survey, language, sources, typed, result.problems, 400, result.marking)
    flash(result.message, "success")
    return redirect(url_for("ask.translate", slug=survey.slug, language=language), 303)


def _side_by_side(survey, language, sources, typed=None, problems=(), status=200, marking=False):
    rows = translations.side_by_side(survey, sources, language, typed)
    return render_template(
        "ask/translate.html",
        survey=survey,
        language=language,
        name=content.language_name(language),
        direction=content.direction(language),
        rows=rows,
        errors=dict(problems),
        summary=content.problem_summary(rows, list(problems)),
        marking=marking,
        status=next(s for s in translations.statuses(survey) if s.language == language),
        states=content.State,
    ), status


FILE_TYPES = {
    "xlsx": spreadsheet.XLSX_TYPE,
    "xlf": "application/xliff+xml; charset=utf-8",
}


@bp.route("/staff/surveys/<slug>/translations/<language>.<extension>")
def translation_file(slug: str, language: str, extension: str):
    """The survey's texts for a translator: a spreadsheet or XLIFF 2.0."""
    survey = survey_or_404(slug)
    language = _language(language)
    if extension not in FILE_TYPES:
        abort(404)
    if extension == "xlsx":
        body = translation_files.xlsx_bytes(survey, language, utcnow())
    else:
        body = translation_files.xliff_text(survey, language).encode("utf-8")
    record("survey_translation_exported", "survey", survey.id, language)
    db.session.commit()
    filename = f"{survey.slug}-{language}.{extension}"
    return Response(
        body,
        content_type=FILE_TYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/staff/surveys/<slug>/translations/<language>/upload", methods=["GET", "POST"])
@roles_required(*EDITORS)
def translation_upload(slug: str, language: str):
    """A translator's file back in: checked whole, stored only when every row is right."""
    survey = survey_or_404(slug)
    language = _language(language)
    problems: list[str] = []
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            problems = ["Select the translated file"]
        else:
            try:
                changed = translation_files.import_file(
                    survey, language, upload.filename, upload.read(), current_user.id
                )
            except translation_files.TranslationFileError as error:
                db.session.rollback()
                problems = error.problems
            else:
                record("survey_translation_imported", "survey", survey.id, language)
                db.session.commit()
                plural = "" if changed == 1 else "s"
                flash(f"File uploaded: {changed} translation{plural} changed", "success")
                return redirect(url_for("ask.translate", slug=survey.slug, language=language), 303)
    return render_template(
        "ask/translation_upload.html",
        survey=survey,
        language=language,
        name=content.language_name(language),
        problems=problems,
    ), 400 if problems else 200
