"""Staff pages for actions: list and filters, create (also from a theme), edit, progress."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_

from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.accounts.models import Role
from engage.ask.access import visible_survey_ids
from engage.extensions import db
from engage.improve import actions
from engage.improve.forms import ActionForm, FilterForm, ProgressForm
from engage.improve.models import STATUS_LABELS, Action, ActionStatus
from engage.inform.access import (
    deny,
    engagement_condition,
    engagement_id_visible,
    sees_everything,
    visible_engagement_ids,
)
from engage.learn.models import Theme

bp = Blueprint("improve", __name__, url_prefix="/staff/actions")

EDITORS = (Role.ADMIN, Role.COMMISSIONER)


def _can_edit() -> bool:
    return current_user.is_authenticated and current_user.role in EDITORS


def _in_reach():
    """Actions of engagements in reach, partnership-wide ones, and the team's own."""
    if sees_everything():
        return ()
    return (
        or_(
            Action.engagement_id.is_(None),
            Action.engagement_id.in_(visible_engagement_ids()),
            Action.owner_organisation_id == current_user.organisation_id,
        ),
    )


def _action(action_id: int) -> Action:
    found = db.session.get(Action, action_id)
    if found is None:
        abort(404)
    owned = found.owner_organisation_id == current_user.organisation_id
    if not (owned or engagement_id_visible(found.engagement_id)):
        deny()
    return found


def _choices(action: Action | None = None) -> dict:
    return actions.choices(engagement_condition(), keep=action.engagement if action else None)


@bp.route("/")
def index():
    options = _choices()
    form = FilterForm(request.args)
    form.offer(options)
    status = request.args.get("status") or ""
    chosen = actions.ActionFilter(
        engagement_id=request.args.get("engagement", type=int),
        service_id=request.args.get("service", type=int),
        owner_organisation_id=request.args.get("owner_organisation", type=int),
        status=ActionStatus(status) if status in {s.value for s in ActionStatus} else None,
        overdue_only=status == "overdue",
    )
    found = actions.list_actions(chosen, *_in_reach())
    return render_template(
        "improve/index.html",
        form=form,
        actions=found,
        overdue={a.id for a in found if actions.is_overdue(a)},
        labels=STATUS_LABELS,
        can_edit=_can_edit(),
    )


def _render_form(form: ActionForm, action: Action | None, status: int = 200):
    return render_template("improve/form.html", form=form, action=action), status


def _save(form: ActionForm, action: Action | None):
    form.offer(_choices(action))
    if request.method == "POST":
        valid = form.validate()
        form.process_due_date()
        if valid:
            try:
                saved = actions.save_action(action, form.to_fields())
                record("action_saved" if action else "action_created", "action", saved.id)
                db.session.commit()
            except actions.ActionError as error:
                db.session.rollback()
                getattr(form, error.field).errors = [_(error.message)]
            else:
                flash(_("Action saved"), "success")
                return redirect(url_for("improve.show", action_id=saved.id), 303)
        return _render_form(form, action, 400)
    return _render_form(form, action)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = ActionForm()
    if request.method == "GET":
        theme = db.session.get(Theme, request.args.get("theme", type=int) or 0)
        if theme is not None:
            form.themes.data = [theme.id]
        engagement_id = request.args.get("engagement", type=int)
        if engagement_id:
            form.engagement.data = str(engagement_id)
    return _save(form, None)


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(action_id: int):
    action = _action(action_id)
    form = ActionForm(obj=None if request.method == "POST" else _as_form_data(action))
    return _save(form, action)


def _as_form_data(action: Action):
    class Data:
        title = action.title
        description = action.description
        themes = [theme.id for theme in action.themes]
        engagement = str(action.engagement_id or "")
        service = str(action.service_id or "")
        owner_organisation = str(action.owner_organisation_id)
        owner_name = action.owner_name
        due_on = action.due_on
        status = action.status.value
        not_possible_reason = action.not_possible_reason or ""

    return Data()


@bp.route("/<int:action_id>")
def show(action_id: int):
    action = _action(action_id)
    return _show_page(action, ProgressForm(status=action.status.value))


def _show_page(action: Action, progress_form: ProgressForm, status: int = 200):
    return render_template(
        "improve/show.html",
        action=action,
        overdue=actions.is_overdue(action),
        labels=STATUS_LABELS,
        prompting=actions.prompting_answers(
            action, None if sees_everything() else visible_survey_ids()
        ),
        progress_form=progress_form,
        can_edit=_can_edit(),
    ), status


@bp.route("/<int:action_id>/progress", methods=["POST"])
@roles_required(*EDITORS)
def progress(action_id: int):
    action = _action(action_id)
    form = ProgressForm()
    if form.validate():
        try:
            actions.add_progress(
                action,
                form.text.data,
                ActionStatus(form.status.data),
                form.not_possible_reason.data or "",
                user_id=current_user.id,
            )
            record("action_progress", "action", action.id)
            db.session.commit()
        except actions.ActionError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [_(error.message)]
        else:
            flash(_("Progress update added"), "success")
            return redirect(url_for("improve.show", action_id=action.id), 303)
    return _show_page(action, form, status=400)
