"""Staff pages for engagements: list, create, view and edit (on the inform blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage import content_translations as content
from engage import form_tokens
from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.accounts.models import Role
from engage.extensions import db
from engage.inform import access, bp, editing, translations
from engage.inform.forms import EngagementForm, error_summary
from engage.inform.models import STAGE_LABELS, STATUS_LABELS, Engagement, Organisation

EDITORS = (Role.ADMIN, Role.COMMISSIONER)


def _engagement(engagement_id: int) -> Engagement:
    return access.require_engagement(db.session.get(Engagement, engagement_id))


def _lead_organisations(engagement: Engagement | None) -> list[Organisation]:
    """Whole-partnership staff may give an engagement to anyone; others only to their own
    (or leave it with the organisation that leads it now)."""
    query = db.select(Organisation).order_by(Organisation.name)
    if not access.sees_everything():
        allowed = {current_user.organisation_id}
        if engagement is not None and engagement.organisation_id:
            allowed.add(engagement.organisation_id)
        query = query.where(Organisation.id.in_(allowed))
    return list(db.session.scalars(query))


def _can_edit() -> bool:
    return current_user.is_authenticated and current_user.role in EDITORS


@bp.route("/staff/engagements/")
def staff_engagements():
    archived = request.args.get("archived") == "yes"
    condition = access.engagement_condition()
    return render_template(
        "inform/staff_engagements.html",
        engagements=editing.all_engagements(condition, archived=archived),
        archived=archived,
        archived_count=0 if archived else editing.archived_count(condition),
        stages=STAGE_LABELS,
        can_edit=_can_edit(),
    )


@bp.route("/staff/engagements/<int:engagement_id>")
def staff_engagement(engagement_id: int):
    engagement = _engagement(engagement_id)
    return render_template(
        "inform/staff_engagement.html",
        engagement=engagement,
        stages=STAGE_LABELS,
        statuses=STATUS_LABELS,
        can_edit=_can_edit(),
        language_rows=[
            (
                status,
                content.language_name(status.language),
                url_for(
                    "inform.staff_translate_engagement",
                    engagement_id=engagement.id,
                    language=status.language,
                )
                if _can_edit()
                else None,
            )
            for status in translations.statuses(engagement)
        ],
    )


@bp.route("/staff/engagements/<int:engagement_id>/translations/<language>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_translate_engagement(engagement_id: int, language: str):
    """The engagement's texts side by side with their translation into one language."""
    engagement = _engagement(engagement_id)
    if language not in content.other_languages():
        abort(404)
    sources = translations.engagement_texts(engagement)
    typed, problems, marking = None, [], False
    if request.method == "POST":
        result = content.save_side_by_side(
            translations.KIND, engagement.id, sources, language, request.form, current_user.id
        )
        if not result.problems:
            flash(result.message, "success")
            return redirect(request.path, 303)
        problems, marking = result.problems, result.marking
        typed = None if marking else result.typed
    rows = content.text_states(translations.KIND, engagement.id, sources, language, typed)
    status = content.statuses(translations.KIND, engagement.id, sources, [language])[0]
    return render_template(
        "inform/staff_engagement_translate.html",
        engagement=engagement,
        language=language,
        name=content.language_name(language),
        direction=content.direction(language),
        rows=rows,
        errors=dict(problems),
        summary=content.problem_summary(rows, problems),
        marking=marking,
        status=status,
        states=content.State,
    ), 400 if problems else 200


def _save(form: EngagementForm, engagement: Engagement | None):
    form.offer(editing.all_services(), _lead_organisations(engagement))
    if request.method == "POST":
        if form.validate():
            try:
                if engagement is None:
                    saved, created = editing.create_engagement(
                        form.to_fields(), form.creation_token.data
                    )
                else:
                    saved, created = editing.save_engagement(engagement, form.to_fields()), False
            except editing.EngagementError as error:
                db.session.rollback()
                getattr(form, error.field or "title").errors = [_(error.message)]
            else:
                if created or engagement:
                    record(
                        "engagement_saved" if engagement else "engagement_created",
                        "engagement",
                        saved.id,
                    )
                db.session.commit()
                flash(_("Engagement saved"), "success")
                return redirect(url_for("inform.staff_engagement", engagement_id=saved.id), 303)
    status = 400 if form.errors else 200
    return render_template(
        "inform/staff_engagement_form.html",
        form=form,
        engagement=engagement,
        summary=error_summary(form) if form.errors else None,
    ), status


@bp.route("/staff/engagements/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_new_engagement():
    form = EngagementForm()
    if request.method == "GET":
        form.organisation.data = str(current_user.organisation_id or "")
        form.creation_token.data = form_tokens.new_token()
    return _save(form, None)


@bp.route("/staff/engagements/<int:engagement_id>/archive", methods=["POST"])
@roles_required(*EDITORS)
def staff_archive_engagement(engagement_id: int):
    engagement = _engagement(engagement_id)
    restore = request.form.get("action") == "restore"
    try:
        if restore:
            editing.restore_engagement(engagement)
        else:
            editing.archive_engagement(engagement)
    except editing.EngagementError as error:
        db.session.rollback()
        return render_template(
            "inform/staff_engagement.html",
            engagement=engagement,
            stages=STAGE_LABELS,
            statuses=STATUS_LABELS,
            can_edit=_can_edit(),
            error=_(error.message),
        ), 409
    record("engagement_restored" if restore else "engagement_archived", "engagement", engagement.id)
    db.session.commit()
    if restore:
        flash(_("Engagement taken out of the archive"), "success")
    else:
        flash(_("Engagement archived: it is kept for results and reports"), "success")
    return redirect(url_for("inform.staff_engagement", engagement_id=engagement.id), 303)


@bp.route("/staff/engagements/<int:engagement_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_edit_engagement(engagement_id: int):
    engagement = _engagement(engagement_id)
    data = None
    if request.method == "GET":
        data = {name: getattr(engagement, name) for name in editing.TEXT_FIELDS} | {
            "stage": engagement.stage.value,
            "status": engagement.status.value,
            "opens_on": engagement.opens_on,
            "closes_on": engagement.closes_on,
            "services": [service.id for service in engagement.services],
            "organisation": str(engagement.organisation_id or ""),
        }
    return _save(EngagementForm(data=data), engagement)


# Which organisation's work a staff member sees (admins only; the users list links here).


@bp.route("/staff/users/<int:user_id>/organisation", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def staff_user_organisation(user_id: int):
    from engage.accounts.models import User

    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    organisations = list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))
    offered = {"": None} | {str(o.id): o for o in organisations}
    error = None
    if request.method == "POST":
        choice = request.form.get("organisation", "")
        if choice not in offered:
            error = _("Select an organisation from the list")
        else:
            team = offered[choice]
            if user.organisation_id != (team.id if team else None):
                user.organisation_id = team.id if team else None
                # What they may see changed: their sessions end so it applies at once.
                user.session_version += 1
                record("account_organisation_set", "user", user.id)
                db.session.commit()
            flash(
                _(
                    "%(email)s now sees: %(reach)s",
                    email=user.email,
                    reach=team.name if team else _("the whole partnership"),
                ),
                "success",
            )
            return redirect(url_for("accounts.users"), 303)
    return render_template(
        "inform/staff_user_organisation.html",
        user=user,
        organisations=organisations,
        chosen=request.form.get("organisation") if error else str(user.organisation_id or ""),
        error=error,
        whole_role=user.role in access.WHOLE_PARTNERSHIP_ROLES,
    ), 400 if error else 200
