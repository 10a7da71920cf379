"""Staff pages for a survey's questions and their answers (options): add, edit, reorder,
remove, and pick symbols by keyword. The rules themselves live in engage.ask.editing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.ask import bp, editing, symbols
from engage.ask.forms import KindForm, OptionForm, QuestionForm
from engage.ask.kinds import CHOICE_KINDS, KIND_LABELS
from engage.ask.models import Option, Question, QuestionKind, Survey
from engage.ask.views import EDITORS, _render_show, survey_or_404
from engage.extensions import db

FIND_SYMBOLS = "find_symbols"


def _question(survey: Survey, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    return question


def _option(question: Question, option_id: int) -> Option:
    option = db.session.get(Option, option_id)
    if option is None or option.question_id != question.id:
        abort(404)
    return option


def symbol_picker(form) -> dict:
    """What the symbol radios offer: none, the current choice, and any search results."""
    keyword = (form.symbol_search.data or "").strip()[: symbols.MAX_KEYWORD]
    searched = request.method == "POST" and request.form.get("action") == FIND_SYMBOLS
    results = symbols.search(keyword) if searched and keyword else []
    current = form.symbol.data or ""
    choices = [(code, alt) for code, alt in results if code != current]
    if current:
        choices.insert(0, (current, symbols.alt_text(current) or current))
    return {
        "choices": choices,
        "current": current,
        "searched": searched,
        "keyword": keyword,
        "found": len(results),
        "available": symbols.is_available(),
    }


def _finding_symbols() -> bool:
    return request.form.get("action") == FIND_SYMBOLS


def _show_error(form, error: editing.EditError, default: str) -> None:
    getattr(form, error.field or default).errors = [_(error.message)]


# Questions -------------------------------------------------------------------------------------


@bp.route("/staff/surveys/<slug>/questions/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_question(slug: str):
    survey = survey_or_404(slug)
    kind_form = KindForm(request.args)
    if "kind" not in request.args or not kind_form.validate():
        status = 400 if "kind" in request.args else 200
        return render_template(
            "ask/kind.html", survey=survey, form=kind_form, locked=editing.is_locked(survey)
        ), status
    kind = QuestionKind(kind_form.kind.data)
    form = QuestionForm()
    form.offer(editing.skip_targets(survey))
    if request.method == "POST" and not _finding_symbols():
        if form.validate():
            try:
                question = editing.add_question(survey, kind, form.to_fields())
            except editing.EditError as error:
                db.session.rollback()
                _show_error(form, error, "text")
            else:
                record("question_added", "question", question.id)
                db.session.commit()
                flash(_("Question added"), "success")
                return redirect(url_for("ask.show", slug=survey.slug) + "#questions", 303)
    return _question_page(survey, None, kind, form)


def _question_page(
    survey: Survey, question: Question | None, kind: QuestionKind, form, refused: str | None = None
):
    status = 409 if refused else 400 if form.errors else 200
    return render_template(
        "ask/question_form.html",
        survey=survey,
        question=question,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        choice_kind=kind in CHOICE_KINDS,
        free_text=kind == QuestionKind.FREE_TEXT,
        form=form,
        picker=symbol_picker(form),
        locked=editing.is_locked(survey),
        refused=refused,
    ), status


@bp.route("/staff/surveys/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_question(slug: str, question_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    form = QuestionForm(data=None if request.method == "POST" else _question_data(question))
    form.offer(editing.skip_targets(survey, question))
    if request.method == "POST" and not _finding_symbols():
        if form.validate():
            try:
                editing.update_question(question, form.to_fields())
            except editing.EditError as error:
                db.session.rollback()
                _show_error(form, error, "text")
            else:
                record("question_saved", "question", question.id)
                db.session.commit()
                flash(_("Question saved"), "success")
                return redirect(url_for("ask.show", slug=survey.slug) + "#questions", 303)
    return _question_page(survey, question, question.kind, form)


def _question_data(question: Question) -> dict:
    return {
        "text": question.text,
        "easy_read_text": question.easy_read_text,
        "hint": question.hint,
        "easy_read_hint": question.easy_read_hint,
        "symbol": question.symbol or "",
        "section": question.section,
        "required": question.required,
        "max_length": question.max_length,
        "show_if": f"{question.show_if_key}={question.show_if_value}"
        if question.show_if_key
        else "",
    }


def _step() -> int:
    return -1 if request.form.get("direction") == "up" else 1


@bp.route("/staff/surveys/<slug>/questions/<int:question_id>/move", methods=["POST"])
@roles_required(*EDITORS)
def move_question(slug: str, question_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    try:
        editing.move_question(question, _step())
    except editing.EditError as error:
        db.session.rollback()
        return _render_show(survey, _(error.message), 409)
    record("question_moved", "question", question.id)
    db.session.commit()
    return redirect(url_for("ask.show", slug=survey.slug) + f"#question-{question.id}", 303)


@bp.route("/staff/surveys/<slug>/questions/<int:question_id>/remove", methods=["GET", "POST"])
@roles_required(*EDITORS)
def remove_question(slug: str, question_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    error = None
    if request.method == "POST":
        try:
            editing.remove_question(question)
        except editing.EditError as refused:
            db.session.rollback()
            error = _(refused.message)
        else:
            record("question_removed", "question", question_id)
            db.session.commit()
            flash(_("Question removed"), "success")
            return redirect(url_for("ask.show", slug=survey.slug) + "#questions", 303)
    return render_template(
        "ask/remove_question.html",
        survey=survey,
        question=question,
        error=error,
        locked=editing.is_locked(survey),
    ), 409 if error else 200


# Answers (options) -----------------------------------------------------------------------------


def _option_page(survey: Survey, question: Question, option: Option | None, form):
    status = 400 if form.errors else 200
    return render_template(
        "ask/option_form.html",
        survey=survey,
        question=question,
        option=option,
        form=form,
        picker=symbol_picker(form),
        locked=editing.is_locked(survey),
    ), status


def _back_to_question(survey: Survey, question: Question, anchor: str = "options"):
    return redirect(
        url_for("ask.edit_question", slug=survey.slug, question_id=question.id) + f"#{anchor}", 303
    )


@bp.route("/staff/surveys/<slug>/questions/<int:question_id>/options/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_option(slug: str, question_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    if question.kind not in CHOICE_KINDS:
        abort(404)
    form = OptionForm()
    if request.method == "POST" and not _finding_symbols() and form.validate():
        try:
            option = editing.add_option(question, form.to_fields())
        except editing.EditError as error:
            db.session.rollback()
            _show_error(form, error, "text")
        else:
            record("option_added", "option", option.id)
            db.session.commit()
            flash(_("Answer added"), "success")
            return _back_to_question(survey, question)
    return _option_page(survey, question, None, form)


@bp.route(
    "/staff/surveys/<slug>/questions/<int:question_id>/options/<int:option_id>",
    methods=["GET", "POST"],
)
@roles_required(*EDITORS)
def edit_option(slug: str, question_id: int, option_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    option = _option(question, option_id)
    data = None
    if request.method == "GET":
        data = {
            "text": option.text,
            "easy_read_text": option.easy_read_text,
            "symbol": option.symbol or "",
        }
    form = OptionForm(data=data)
    if request.method == "POST" and not _finding_symbols() and form.validate():
        try:
            editing.update_option(option, form.to_fields())
        except editing.EditError as error:
            db.session.rollback()
            _show_error(form, error, "text")
        else:
            record("option_saved", "option", option.id)
            db.session.commit()
            flash(_("Answer saved"), "success")
            return _back_to_question(survey, question)
    return _option_page(survey, question, option, form)


def _refused_on_question(survey: Survey, question: Question, message: str):
    # formdata=None: the posted form was a button, the fields come from the question.
    form = QuestionForm(formdata=None, data=_question_data(question))
    form.offer(editing.skip_targets(survey, question))
    return _question_page(survey, question, question.kind, form, refused=message)


@bp.route(
    "/staff/surveys/<slug>/questions/<int:question_id>/options/<int:option_id>/move",
    methods=["POST"],
)
@roles_required(*EDITORS)
def move_option(slug: str, question_id: int, option_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    option = _option(question, option_id)
    try:
        editing.move_option(option, _step())
    except editing.EditError as error:
        db.session.rollback()
        return _refused_on_question(survey, question, _(error.message))
    record("option_moved", "option", option.id)
    db.session.commit()
    return _back_to_question(survey, question, f"option-{option.id}")


@bp.route(
    "/staff/surveys/<slug>/questions/<int:question_id>/options/<int:option_id>/remove",
    methods=["POST"],
)
@roles_required(*EDITORS)
def remove_option(slug: str, question_id: int, option_id: int):
    survey = survey_or_404(slug)
    question = _question(survey, question_id)
    option = _option(question, option_id)
    try:
        editing.remove_option(option)
    except editing.EditError as error:
        db.session.rollback()
        return _refused_on_question(survey, question, _(error.message))
    record("option_removed", "option", option_id)
    db.session.commit()
    flash(_("Answer removed"), "success")
    return _back_to_question(survey, question)
