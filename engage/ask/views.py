"""Staff survey pages: the list, settings, publishing, YAML export and import, and the
symbol finder. Question and answer editing is in engage.ask.question_views."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage import form_tokens
from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.accounts.models import Role
from engage.ask import bp, editing, lint, schedule, symbols
from engage.ask.access import require_survey, survey_condition
from engage.ask.definitions import (
    SurveyDefinitionError,
    dump_yaml,
    export_definition,
    import_definition,
    load_yaml,
)
from engage.ask.forms import ImportForm, SurveyForm
from engage.ask.kinds import KIND_LABELS
from engage.ask.models import AUDIENCE_LABELS, MODE_LABELS, STATUS_LABELS, STATUS_TAGS, Survey
from engage.extensions import db
from engage.inform.access import engagement_condition, engagement_id_visible

EDITORS = (Role.ADMIN, Role.COMMISSIONER)


def can_edit() -> bool:
    return current_user.is_authenticated and current_user.role in EDITORS


def survey_or_404(slug: str) -> Survey:
    return require_survey(editing.find_survey(slug))


def labels() -> dict:
    return {
        "status": STATUS_LABELS,
        "status_tags": STATUS_TAGS,
        "kinds": KIND_LABELS,
        "audience": AUDIENCE_LABELS,
        "mode": MODE_LABELS,
    }


@bp.route("/staff/surveys/")
def index():
    archived = request.args.get("archived") == "yes"
    in_archive = [] if archived else editing.all_surveys(survey_condition(), archived=True)
    return render_template(
        "ask/index.html",
        surveys=editing.all_surveys(survey_condition(), archived=archived),
        archived=archived,
        archived_count=len(in_archive),
        counts=editing.response_counts(),
        labels=labels(),
        can_edit=can_edit(),
    )


def _survey_form(form: SurveyForm, survey: Survey | None, status: int = 200):
    return render_template("ask/survey_form.html", form=form, survey=survey), status


@bp.route("/staff/surveys/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = SurveyForm()
    form.offer(editing.engagements_to_offer(None, engagement_condition()))
    if request.method == "GET":
        engagement = request.args.get("engagement", "")
        if engagement.isdigit():
            form.engagement.data = engagement
        form.creation_token.data = form_tokens.new_token()
        return _survey_form(form, None)
    if form.validate():
        try:
            survey, created = editing.create_survey_once(form.to_fields(), form.creation_token.data)
        except editing.EditError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors = [_(error.message)]
        else:
            if created:
                record("survey_created", "survey", survey.id)
            db.session.commit()
            flash(_("Survey created. Now add its questions."), "success")
            return redirect(url_for("ask.show", slug=survey.slug), 303)
    return _survey_form(form, None, 400)


@bp.route("/staff/surveys/<slug>")
def show(slug: str):
    return _render_show(survey_or_404(slug))


def _render_show(survey: Survey, error: str | None = None, status: int = 200):
    counts = editing.response_counts(survey.id).get(survey.id, (0, 0))
    return render_template(
        "ask/show.html",
        survey=survey,
        submitted=counts[0],
        in_progress=counts[1],
        locked=sum(counts) > 0,
        labels=labels(),
        can_edit=can_edit(),
        timing=schedule.staff_summary(schedule.schedule(survey)),
        error=error,
        questions_by_key={question.key: question for question in survey.questions},
        findings=[(_where(finding.path), finding.message) for finding in lint.lint_survey(survey)],
    ), status


def _where(path: str) -> str:
    """'questions[2].options[0].easy_read_text' as staff read it: 'Question 3, answer 1'."""
    match = re.match(r"questions\[(\d+)\](?:\.options\[(\d+)\])?", path)
    if match is None:
        return _("Survey")
    where = _("Question %(number)s", number=int(match.group(1)) + 1)
    if match.group(2) is not None:
        where += ", " + _("answer %(number)s", number=int(match.group(2)) + 1)
    return where


@bp.route("/staff/surveys/<slug>/settings", methods=["GET", "POST"])
@roles_required(*EDITORS)
def settings(slug: str):
    survey = survey_or_404(slug)
    if request.method == "GET":
        form = SurveyForm(data=_settings_data(survey))
        form.offer(editing.engagements_to_offer(survey, engagement_condition()))
        return _survey_form(form, survey)
    form = SurveyForm()
    form.offer(editing.engagements_to_offer(survey, engagement_condition()))
    if form.validate():
        try:
            editing.update_survey(survey, form.to_fields())
        except editing.EditError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors = [_(error.message)]
        else:
            record("survey_saved", "survey", survey.id)
            db.session.commit()
            flash(_("Survey settings saved"), "success")
            return redirect(url_for("ask.show", slug=survey.slug), 303)
    return _survey_form(form, survey, 400)


def _settings_data(survey: Survey) -> dict:
    return {
        "title": survey.title,
        "easy_read_title": survey.easy_read_title,
        "description": survey.description,
        "easy_read_description": survey.easy_read_description,
        "audience": survey.audience.value,
        "mode": survey.mode.value,
        "engagement": str(survey.engagement_id or ""),
        "minutes_to_complete": survey.minutes_to_complete,
        "retention_days": survey.retention_days,
        "one_question_per_page": survey.one_question_per_page,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "grace_hours": survey.grace_hours,
    }


@bp.route("/staff/surveys/<slug>/publish", methods=["GET", "POST"])
@roles_required(*EDITORS)
def publish(slug: str):
    """GET asks to confirm (a page, not a script's dialog); the confirmed POST publishes."""
    survey = survey_or_404(slug)
    if request.method == "GET" or request.form.get("confirmed") != "yes":
        if request.method == "POST":
            return redirect(url_for("ask.publish", slug=survey.slug), 303)
        return render_template("ask/publish.html", survey=survey)
    try:
        editing.publish_survey(survey)
    except editing.EditError as error:
        db.session.rollback()
        return _render_show(survey, _(error.message), 409)
    record("survey_published", "survey", survey.id)
    db.session.commit()
    flash(_("Survey published: people can now answer it"), "success")
    return redirect(url_for("ask.show", slug=survey.slug), 303)


@bp.route("/staff/surveys/<slug>/close", methods=["POST"])
@roles_required(*EDITORS)
def close(slug: str):
    survey = survey_or_404(slug)
    try:
        editing.close_survey(survey)
    except editing.EditError as error:
        db.session.rollback()
        return _render_show(survey, _(error.message), 409)
    record("survey_closed", "survey", survey.id)
    db.session.commit()
    flash(_("Survey closed: it no longer takes answers"), "success")
    return redirect(url_for("ask.show", slug=survey.slug), 303)


@bp.route("/staff/surveys/<slug>/archive", methods=["POST"])
@roles_required(*EDITORS)
def archive(slug: str):
    survey = survey_or_404(slug)
    restore = request.form.get("action") == "restore"
    try:
        if restore:
            editing.restore_survey(survey)
        else:
            editing.archive_survey(survey)
    except editing.EditError as error:
        db.session.rollback()
        return _render_show(survey, _(error.message), 409)
    record("survey_restored" if restore else "survey_archived", "survey", survey.id)
    db.session.commit()
    if restore:
        flash(_("Survey taken out of the archive"), "success")
    else:
        flash(_("Survey archived: its results are kept"), "success")
    return redirect(url_for("ask.show", slug=survey.slug), 303)


@bp.route("/staff/surveys/<slug>/export.yaml")
def export(slug: str):
    survey = survey_or_404(slug)
    record("survey_exported", "survey", survey.id)
    db.session.commit()
    return Response(
        dump_yaml(export_definition(survey)),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{survey.slug}.yaml"'},
    )


@bp.route("/staff/surveys/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_survey():
    form = ImportForm()
    if request.method == "POST" and form.validate():
        source = _("pasted definition")
        try:
            survey = import_definition(
                load_yaml(form.definition.data, source),
                source,
                replace=bool(form.replace.data),
                in_reach=engagement_id_visible,
            )
        except SurveyDefinitionError as error:
            db.session.rollback()
            form.definition.errors = [str(error)]
        else:
            record("survey_imported", "survey", survey.id)
            db.session.commit()
            flash(_("Survey imported"), "success")
            return redirect(url_for("ask.show", slug=survey.slug), 303)
    status = 400 if form.errors else 200
    return render_template("ask/import.html", form=form), status


@bp.route("/staff/symbols")
def symbol_finder():
    keyword = request.args.get("keyword", "")[: symbols.MAX_KEYWORD]
    return render_template(
        "ask/symbols.html",
        keyword=keyword,
        results=symbols.search(keyword) if keyword else [],
        available=symbols.is_available(),
        credit=symbols.credit(),
    )
