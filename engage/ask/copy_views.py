"""Staff pages for copying a survey or an engagement, and adding questions from the bank (on
the ask blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engage import form_tokens
from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.ask import bank, bp, copying, editing
from engage.ask.forms import CopyEngagementForm, CopySurveyForm
from engage.ask.kinds import KIND_LABELS
from engage.ask.views import EDITORS, survey_or_404
from engage.extensions import db
from engage.inform.access import engagement_condition, require_engagement
from engage.inform.models import Engagement


@bp.route("/staff/surveys/<slug>/copy", methods=["GET", "POST"])
@roles_required(*EDITORS)
def copy_survey(slug: str):
    source = survey_or_404(slug)
    form = CopySurveyForm()
    form.offer(editing.engagements_to_offer(source, engagement_condition()))
    if request.method == "GET":
        form.title.data = copying.copy_title(source.title)
        form.engagement.data = str(source.engagement_id or "")
        form.creation_token.data = form_tokens.new_token()
    elif form.validate():
        chosen = form.engagement.data
        engagement = db.session.get(Engagement, int(chosen)) if chosen else None
        try:
            copy, made = copying.copy_survey_once(
                source, engagement, form.title.data or "", form.creation_token.data
            )
        except editing.EditError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors = [_(error.message)]
        else:
            if made:
                record("survey_copied", "survey", copy.id, detail=f"from {source.id}")
            db.session.commit()
            flash(_("Survey copied as a draft. Check it, then publish it."), "success")
            return redirect(url_for("ask.show", slug=copy.slug), 303)
    status = 400 if form.errors else 200
    return render_template("ask/copy_survey.html", form=form, survey=source), status


@bp.route("/staff/engagements/<int:engagement_id>/copy", methods=["GET", "POST"])
@roles_required(*EDITORS)
def copy_engagement(engagement_id: int):
    source = require_engagement(db.session.get(Engagement, engagement_id))
    form = CopyEngagementForm()
    if request.method == "GET":
        form.title.data = copying.copy_title(source.title)
        form.creation_token.data = form_tokens.new_token()
    elif form.validate():
        try:
            copy, made = copying.copy_engagement_once(
                source, form.title.data or "", form.creation_token.data
            )
        except editing.EditError as error:
            db.session.rollback()
            form.title.errors = [_(error.message)]
        else:
            if made:
                record("engagement_copied", "engagement", copy.id, detail=f"from {source.id}")
            db.session.commit()
            flash(_("Engagement copied as a draft, with its surveys as drafts."), "success")
            return redirect(url_for("inform.staff_engagement", engagement_id=copy.id), 303)
    status = 400 if form.errors else 200
    return render_template("ask/copy_engagement.html", form=form, engagement=source), status


@bp.route("/staff/surveys/<slug>/bank", methods=["GET", "POST"])
@roles_required(*EDITORS)
def question_bank(slug: str):
    survey = survey_or_404(slug)
    error = None
    if request.method == "POST":
        try:
            question = bank.add_to_survey(survey, request.form.get("key", ""))
        except editing.EditError as refused:
            db.session.rollback()
            error = _(refused.message)
        else:
            record("question_added_from_bank", "survey", survey.id, detail=question.key)
            db.session.commit()
            flash(_("Question added from the bank: %(text)s", text=question.text), "success")
            return redirect(url_for("ask.show", slug=slug) + f"#question-{question.id}", 303)
    asked = {question.key for question in survey.questions}
    return render_template(
        "ask/bank.html",
        survey=survey,
        entries=[(entry, entry.build()) for entry in bank.questions()],
        asked=asked,
        kinds=KIND_LABELS,
        error=error,
    ), 400 if error else 200
