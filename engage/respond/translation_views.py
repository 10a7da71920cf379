"""Staff page for an update in another language (on the respond blueprint): its texts side by
side with their translation. Staff pages are in English only, so their words are plain."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from engage import content_translations as content
from engage.accounts.access import roles_required
from engage.respond import bp, translations
from engage.respond.views import EDITORS, _update


@bp.route("/staff/updates/<int:update_id>/translations/<language>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def translate(update_id: int, language: str):
    update = _update(update_id)
    if language not in content.other_languages():
        abort(404)
    sources = translations.update_texts(update)
    typed, problems, marking = None, [], False
    if request.method == "POST":
        result = content.save_side_by_side(
            translations.KIND, update.id, sources, language, request.form, current_user.id
        )
        if not result.problems:
            flash(result.message, "success")
            return redirect(request.path, 303)
        problems, marking = result.problems, result.marking
        typed = None if marking else result.typed
    rows = content.text_states(translations.KIND, update.id, sources, language, typed)
    return render_template(
        "respond/translate.html",
        update=update,
        language=language,
        name=content.language_name(language),
        direction=content.direction(language),
        rows=rows,
        errors=dict(problems),
        summary=content.problem_summary(rows, problems),
        marking=marking,
        status=content.statuses(translations.KIND, update.id, sources, [language])[0],
        states=content.State,
    ), 400 if problems else 200
