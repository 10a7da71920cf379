"""Staff pages for drafting and publishing 'You said, we did' updates; the public index,
update pages, Atom feed, JSON and receipt look-up."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from engage import content_translations as content
from engage.accounts.access import public, roles_required
from engage.accounts.audit import record
from engage.accounts.models import Role
from engage.ask.access import require_survey
from engage.extensions import RESUME_LIMIT, db, rate_limit
from engage.improve.models import STATUS_LABELS, Action
from engage.inform.access import engagement_condition, engagement_id_visible, require_engagement_id
from engage.inform.editing import in_use
from engage.inform.engagements import wants_easy_read
from engage.inform.models import Engagement
from engage.languages import language_name as own_language_name
from engage.learn.models import Theme
from engage.listen.models import CHANNEL_LABELS, GROUP_LABELS, HOW_LABELS
from engage.respond import bp, feeds, outbox, receipts, traceability, translations, updates
from engage.respond.forms import ReceiptForm, StartForm, UpdateForm
from engage.respond.models import Update

EDITORS = (Role.ADMIN, Role.COMMISSIONER)


def _update(update_id: int) -> Update:
    found = db.session.get(Update, update_id)
    if found is None:
        abort(404)
    require_engagement_id(found.engagement_id)
    return found


def _page_url(update: Update) -> str:
    return url_for("respond.update_page", slug=update.slug, _external=True)


# Staff


@bp.route("/staff/updates")
def staff_index():
    return render_template(
        "respond/staff_index.html",
        updates=[u for u in updates.staff_updates() if engagement_id_visible(u.engagement_id)],
        unanswered=updates.themes_without_action_or_update(),
        emails=outbox.summary(),
        people_phrase=updates.people_phrase,
    )


@bp.route("/staff/updates/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    form = StartForm()
    form.offer(
        db.session.scalars(
            select(Engagement).where(in_use(), engagement_condition()).order_by(Engagement.title)
        ),
        db.session.scalars(select(Theme).order_by(Theme.name)),
    )
    if request.method == "GET":
        form.theme.data = str(request.args.get("theme", type=int) or "")
        form.engagement.data = str(request.args.get("engagement", type=int) or "")
    elif form.validate():
        engagement = db.session.get(Engagement, request.form.get("engagement", type=int) or 0)
        theme_id = request.form.get("theme", type=int)
        theme = db.session.get(Theme, theme_id) if theme_id else None
        if engagement is None or not engagement_id_visible(engagement.id):
            form.engagement.errors = [_("Select the engagement the update is about")]
        else:
            update = updates.draft(engagement, theme)
            record("update_drafted", "update", update.id)
            db.session.commit()
            return redirect(url_for("respond.edit", update_id=update.id), 303)
    return render_template("respond/new.html", form=form), 400 if form.errors else 200


@bp.route("/staff/updates/<int:update_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(update_id: int):
    update = _update(update_id)
    form = UpdateForm(obj=update if request.method == "GET" else None)
    form.actions.choices = [
        SelectChoice(action.id, action.title)
        for action in db.session.scalars(select(Action).order_by(Action.title))
    ]
    if request.method == "GET":
        form.actions.data = [action.id for action in update.actions]
    elif form.validate():
        try:
            updates.save(update, form.to_fields())
            record("update_saved", "update", update.id)
            db.session.commit()
        except updates.UpdateError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [_(error.message)]
        else:
            flash(_("Update saved"), "success")
            return redirect(url_for("respond.staff_show", update_id=update.id), 303)
    return render_template(
        "respond/edit.html", form=form, update=update
    ), 400 if form.errors else 200


@bp.route("/staff/updates/<int:update_id>/quotes", methods=["GET", "POST"])
@roles_required(*EDITORS)
def quotes(update_id: int):
    """Approved quotes go into an update only when a staff member adds each one here."""
    update = _update(update_id)
    error = None
    if request.method == "POST":
        try:
            updates.add_quote(
                update,
                request.form.get("quote", type=int) or 0,
                easy_read=request.form.get("part") == "easy_read",
            )
            record("update_quote_added", "update", update.id)
            db.session.commit()
        except updates.UpdateError as problem:
            db.session.rollback()
            error = _(problem.message)
        else:
            flash(_("Quote added. Check the update reads well before publishing."), "success")
            return redirect(url_for("respond.quotes", update_id=update.id), 303)
    return render_template(
        "respond/quotes.html",
        update=update,
        choices=updates.quote_choices(update),
        quote_html=updates.quote_html,
        error=error,
    ), 400 if error else 200


@bp.route("/staff/updates/<int:update_id>")
def staff_show(update_id: int):
    return _staff_page(_update(update_id))


def _staff_page(update: Update, error: str | None = None, status: int = 200):
    return render_template(
        "respond/staff_show.html",
        update=update,
        labels=STATUS_LABELS,
        easy_labels=updates.EASY_READ_STATUS,
        error=error,
        can_edit=_is_editor(),
        language_rows=[
            (
                language,
                content.language_name(language.language),
                url_for("respond.translate", update_id=update.id, language=language.language)
                if _is_editor()
                else None,
            )
            for language in translations.statuses(update)
        ],
    ), status


@bp.route("/staff/responses/<int:response_id>")
@roles_required(Role.ADMIN, Role.COMMISSIONER, Role.VIEWER)
def staff_response(response_id: int):
    """One response forward: what was said, how it was themed, what was done about it."""
    trace = traceability.trace_response(response_id)
    if trace is None:
        abort(404)
    require_survey(trace.response.survey)
    record("view", "response", response_id)
    db.session.commit()
    return render_template(
        "respond/staff_response.html",
        trace=trace,
        labels=STATUS_LABELS,
        who=(
            GROUP_LABELS.get(trace.response.respondent_group, ""),
            CHANNEL_LABELS.get(trace.response.channel, ""),
            HOW_LABELS.get(trace.response.answered_how, ""),
        ),
    )


def _is_editor() -> bool:
    return current_user.is_authenticated and current_user.role in EDITORS


@bp.route("/staff/updates/<int:update_id>/publish", methods=["GET", "POST"])
@roles_required(*EDITORS)
def publish(update_id: int):
    """GET asks to confirm (a page, not a script's dialog); the confirmed POST publishes."""
    update = _update(update_id)
    if request.method == "GET" or request.form.get("confirmed") != "yes":
        if request.method == "POST":
            return redirect(url_for("respond.publish", update_id=update.id), 303)
        return render_template(
            "respond/publish.html",
            update=update,
            recipients=len(outbox.recipients(update.engagement_id)),
        )
    try:
        queued = updates.publish(update, _page_url(update))
        record("update_published", "update", update.id, detail=f"emails queued: {queued}")
        db.session.commit()
    except updates.UpdateError as error:
        db.session.rollback()
        return _staff_page(update, error=_(error.message), status=400)
    flash(
        ngettext(
            "Update published. %(num)d email queued for someone who asked to hear back.",
            "Update published. %(num)d emails queued for people who asked to hear back.",
            queued,
        )
        if queued
        else _("Update published. No one asked to hear back, so no emails are sent."),
        "success",
    )
    return redirect(url_for("respond.staff_show", update_id=update.id), 303)


# Public


@bp.route("/you-said-we-did")
@public
def public_index():
    service = request.args.get("service") or None
    engagement = request.args.get("engagement") or None
    found = updates.published_updates(service, engagement)
    language = content.current_language()
    return render_template(
        "respond/public_index.html",
        updates=found,
        update_langs={
            update.id: translations.show_in_language(update, language).language for update in found
        },
        filters=updates.public_filters(),
        chosen_service=service,
        chosen_engagement=engagement,
        easy_read=wants_easy_read(request.args.get("version")),
    )


@bp.route("/you-said-we-did/<slug>")
@public
def update_page(slug: str):
    update = updates.published_update(slug)
    if update is None:
        abort(404)
    wanted = content.current_language()
    shown = translations.show_in_language(update, wanted)
    return render_template(
        "respond/public_update.html",
        # The page is in their language; the update is not yet: a line says so.
        not_translated=wanted != shown.language,
        language_name=own_language_name(wanted),
        update=update,
        easy_read=wants_easy_read(request.args.get("version")),
        labels=STATUS_LABELS,
        easy_labels=updates.EASY_READ_STATUS,
        page_languages=shown.languages,
        update_lang=shown.language,
    )


@bp.route("/you-said-we-did/feed.atom")
@public
def feed():
    body = feeds.atom(
        updates.published_updates(),
        title=_("You said, we did – %(area)s SEND partnership", area=_area()),
        feed_url=url_for("respond.feed", _external=True),
        index_url=url_for("respond.public_index", _external=True),
        page_url=_page_url,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.route("/you-said-we-did.json")
@public
def json_list():
    data = {"updates": feeds.as_dicts(updates.published_updates(), _page_url)}
    return Response(feeds.json_text(data), mimetype="application/json")


def _area() -> str:
    from flask import current_app

    return current_app.config["AREA_NAME"]


@bp.route("/receipt", methods=["GET", "POST"])
@public
# Shares listen's "receipt" budget: both pages accept guesses at the same codes.
@rate_limit(RESUME_LIMIT, methods=["POST"], scope="receipt")
def receipt():
    form = ReceiptForm()
    result = None
    if request.method == "POST" and form.validate():
        result = receipts.look_up(form.code.data)
        if result is None:
            form.code.errors = [_("We could not find that receipt code. Check it and try again.")]
    status = 400 if form.errors else 200
    # Shown in reply to the POST, never in a URL: a receipt code must not land in history
    # or logs.
    return render_template(
        "respond/receipt.html",
        form=form,
        result=result,
        labels=STATUS_LABELS,
        easy_read=wants_easy_read(request.args.get("version")),
    ), status
