"""Learn pages for staff: results, quotes, exports, the codebook, review and safeguarding."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from engage.accounts.access import roles_required
from engage.accounts.audit import record
from engage.accounts.models import Role
from engage.accounts.reauth import require_recent_auth
from engage.ask.access import require_survey, survey_visible, visible_survey_ids
from engage.ask.models import Survey
from engage.extensions import EXPORT_LIMIT, db, rate_limit
from engage.inform.access import (
    engagement_visible,
    require_engagement,
    require_service,
    sees_everything,
    service_visible,
)
from engage.inform.models import Engagement, Service
from engage.languages import configured_languages, direction, english_name
from engage.learn import (
    analysis,
    answer_translations,
    codebook,
    escalation,
    exports,
    flags,
    quotes,
    results,
    review,
)
from engage.learn import safeguarding as safeguarding_screen
from engage.learn.charts import chart_svg
from engage.learn.forms import (
    ActiveForm,
    BreakGlassForm,
    ConcernForm,
    DecisionForm,
    FilterForm,
    QuoteSearchForm,
    ReviewForm,
    ThemeForm,
)
from engage.learn.hooks import latest_actions
from engage.learn.models import FLAG_STATUS_LABELS, FlagStatus, SentimentLabel, Theme
from engage.learn.worker import awaiting_analysis
from engage.listen.models import CHANNEL_LABELS, GROUP_LABELS, HOW_LABELS
from engage.navigation import NavItem, add_staff_nav
from engage.spreadsheet import CSV_TYPE, XLSX_TYPE

bp = Blueprint("learn", __name__, url_prefix="/staff")

RESULTS_ROLES = (Role.ADMIN, Role.COMMISSIONER, Role.VIEWER)
CODING_ROLES = (Role.ADMIN, Role.COMMISSIONER)
EXPORT_ROLES = (Role.ADMIN, Role.COMMISSIONER)
SAFEGUARDING_ROLES = (Role.ADMIN, Role.SAFEGUARDING_LEAD)
SENTIMENT_VALUES = {label.value for label in SentimentLabel}
EXPORT_KINDS = {"responses": exports.responses_export, "codings": exports.codings_export}
EXPORT_FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def register_nav(app: Flask) -> None:
    def names(roles: tuple[Role, ...]) -> tuple[str, ...]:
        return tuple(role.value for role in roles)

    add_staff_nav(app, NavItem("learn.index", "Results", names(RESULTS_ROLES), order=40))
    add_staff_nav(app, NavItem("learn.codebook", "Codebook", names(CODING_ROLES), order=41))
    add_staff_nav(app, NavItem("learn.review_next", "Review", names(CODING_ROLES), order=42))
    add_staff_nav(
        app, NavItem("learn.safeguarding", "Safeguarding", names(SAFEGUARDING_ROLES), order=43)
    )


# A global, so that imported macros (which get no request context) can draw charts.
bp.add_app_template_global(chart_svg, "chart_svg")


@bp.app_template_filter("percent")
def _percent(value: float | None) -> str:
    """A confidence as staff read it; none when no model made the decision."""
    return _("not known") if value is None else f"{round(value * 100)}%"


@bp.context_processor
def _labels():
    return {
        "group_labels": GROUP_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "how_labels": HOW_LABELS,
        "sentiment_labels": results.SENTIMENT_LABELS,
        "flag_labels": FLAG_STATUS_LABELS,
    }


def _filter_form() -> FilterForm:
    form = FilterForm(request.args)
    form.offer(
        results.services_for_filters(),
        [(code, english_name(code)) for code in configured_languages()],
    )
    if request.args:
        form.validate()
    return form


def _get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


# --- results -----------------------------------------------------------------------------


@bp.route("/results")
@roles_required(*RESULTS_ROLES)
def index():
    found = results.results_index()
    in_reach = replace(
        found,
        surveys=[(survey, n) for survey, n in found.surveys if survey_visible(survey)],
        engagements=[
            engagement for engagement in found.engagements if engagement_visible(engagement)
        ],
        services=[service for service in found.services if service_visible(service)],
        archived_surveys=[(s, n) for s, n in found.archived_surveys if survey_visible(s)],
        archived_engagements=[e for e in found.archived_engagements if engagement_visible(e)],
    )
    return render_template("learn/index.html", index=in_reach)


@bp.route("/results/surveys/<int:survey_id>")
@roles_required(*RESULTS_ROLES)
def survey_results(survey_id: int):
    survey = require_survey(db.session.get(Survey, survey_id))
    form = _filter_form()
    filters = form.filters()
    scope = results.survey_scope(survey)
    return _results_page(
        form,
        filters,
        [survey],
        survey.engagement,
        survey=survey,
        # Every language, so staff can move from one to another.
        by_language=answer_translations.responses_by_language(
            scope, replace(filters, language=None)
        ),
        not_analysed=answer_translations.not_yet_analysed(scope, filters),
        english_name=english_name,
    )


@bp.route("/results/engagements/<int:engagement_id>")
@roles_required(*RESULTS_ROLES)
def engagement_results(engagement_id: int):
    engagement = require_engagement(db.session.get(Engagement, engagement_id))
    form = _filter_form()
    return _results_page(form, form.filters(), list(engagement.surveys), engagement)


def _results_page(form, filters, surveys, engagement, survey=None, **survey_only):
    """One survey's results, or an engagement's across its surveys: the same page."""
    return render_template(
        "learn/results.html",
        heading=(survey or engagement).title,
        survey=survey,
        engagement=engagement,
        form=form,
        filters=filters,
        awaiting=awaiting_analysis(results.Scope(tuple(each.id for each in surveys)), filters),
        page=results.results_page(surveys, filters),
        actions=latest_actions([engagement.id] if engagement else []),
        can_export=current_user.role in EXPORT_ROLES,
        **survey_only,
    )


@bp.route("/results/services/<int:service_id>")
@roles_required(*RESULTS_ROLES)
def service_results(service_id: int):
    service = require_service(db.session.get(Service, service_id))
    form = _filter_form()
    # The page is already one service's: a second service filter would only empty it.
    filters = replace(form.filters(), service_id=None)
    return render_template(
        "learn/service.html",
        service=service,
        form=form,
        filters=filters,
        page=results.service_page(service, filters),
    )


@bp.route("/results/surveys/<int:survey_id>/quotes")
@roles_required(*RESULTS_ROLES)
def quotes_browser(survey_id: int):
    survey = require_survey(db.session.get(Survey, survey_id))
    form = _filter_form()
    filters = form.filters()
    search = QuoteSearchForm(request.args)
    themes = list(db.session.scalars(db.select(Theme).order_by(Theme.name)))
    search.offer(themes)
    search.validate()
    page_number = max(1, request.args.get("page", 1, type=int))
    sentiment = search.sentiment.data
    kept_search = {
        k: request.args[k] for k in ("search", "theme", "sentiment") if request.args.get(k)
    }
    found = quotes.find_quotes(
        results.survey_scope(survey),
        filters,
        search=(search.search.data or "")[:200],
        theme_id=request.args.get("theme", type=int),
        sentiment=SentimentLabel(sentiment) if sentiment in SENTIMENT_VALUES else None,
        page=page_number,
    )
    checks = {quote.answer_id: quotes.identifying_details(quote.text) for quote in found.quotes}
    approvals = quotes.approvals_for([quote.answer_id for quote in found.quotes])
    keep = {**filters.as_args(), **kept_search}
    return render_template(
        "learn/quotes.html",
        approvals=approvals,
        can_approve=current_user.role in CODING_ROLES,
        survey=survey,
        form=form,
        search=search,
        filters=filters,
        found=found,
        checks=checks,
        keep=keep,
        english_name=english_name,
        direction=direction,
    )


@bp.route("/quotes/<int:answer_id>/approve", methods=["GET", "POST"])
@roles_required(*CODING_ROLES)
def approve_quote(answer_id: int):
    answer = _quotable_in_reach(answer_id)
    survey_id = answer.response.survey_id
    error = None
    # Staff edit the wording already approved, if any, rather than start again.
    text = quotes.approvals_for([answer.id]).get(answer.id, answer.text)
    if request.method == "POST":
        text = (request.form.get("published_text") or "")[: quotes.MAX_PUBLISHED_QUOTE + 1]
        try:
            earlier = quotes.approved_wording(answer.id)
            quotes.approve_quote(answer, text, current_user.id)
            db.session.commit()
        except quotes.QuoteError as problem:
            db.session.rollback()
            error = _(str(problem))
        else:
            message = _("Quote approved for publication.")
            if earlier and earlier != text.strip():
                message += " " + _(
                    "The earlier wording was taken out of any update it was in: add this "
                    "wording to them again if you want it there."
                )
            flash(message, "success")
            return redirect(url_for("learn.quotes_browser", survey_id=survey_id), 303)
    return render_template(
        "learn/quote_approve.html",
        answer=answer,
        survey_id=survey_id,
        text=text,
        error=error,
        findings=quotes.identifying_details(text or ""),
    ), 400 if error else 200


@bp.route("/quotes/<int:answer_id>/withdraw", methods=["POST"])
@roles_required(*CODING_ROLES)
def withdraw_quote(answer_id: int):
    answer = _quotable_in_reach(answer_id)
    changed = quotes.withdraw_quote(answer_id)
    db.session.commit()
    message = _("Quote withdrawn: it will not be offered for publication.")
    if changed:
        message += " " + ngettext(
            "It was taken out of the update %(titles)s: check it still reads well.",
            "It was taken out of %(num)d updates (%(titles)s): check they still read well.",
            len(changed),
            titles=", ".join(f"“{title}”" for title in changed),
        )
    flash(message, "success")
    return redirect(url_for("learn.quotes_browser", survey_id=answer.response.survey_id), 303)


@bp.route("/results/surveys/<int:survey_id>/translations")
@roles_required(*RESULTS_ROLES)
def answer_translations_page(survey_id: int):
    survey = require_survey(db.session.get(Survey, survey_id))
    return _translations_page(survey, _filter_form().filters())


def _translations_page(survey, filters, errors=None, typed=None, status=200):
    scope = results.survey_scope(survey)
    return render_template(
        "learn/answer_translations.html",
        survey=survey,
        filters=filters,
        waiting=answer_translations.answers_in_other_languages(
            scope, filters, language=filters.language
        ),
        translated=answer_translations.answers_in_other_languages(
            scope, filters, language=filters.language, translated=True
        ),
        not_analysed=answer_translations.not_yet_analysed(scope, filters),
        languages=[code for code in configured_languages() if code != "en"],
        can_translate=current_user.role in CODING_ROLES,
        errors=errors or {},
        typed=typed or {},
        english_name=english_name,
        direction=direction,
    ), status


@bp.route("/answers/<int:answer_id>/translation", methods=["POST"])
@roles_required(*CODING_ROLES)
def translate_answer(answer_id: int):
    answer = answer_translations.translatable_answer(answer_id)
    if answer is None:
        abort(404)
    survey = require_survey(answer.response.survey)
    filters = _filter_form().filters()
    typed = request.form.get("translation", "")
    try:
        answer_translations.translate(answer, typed, current_user)
    except answer_translations.TranslationError as error:
        db.session.rollback()
        return _translations_page(
            survey, filters, {answer_id: str(error)}, {answer_id: typed}, status=400
        )
    db.session.commit()
    flash(_("Translation saved. The answer is analysed in English now."), "success")
    return redirect(
        url_for("learn.answer_translations_page", survey_id=survey.id, **filters.as_args())
        + f"#answer-{answer_id}",
        303,
    )


def _quotable_in_reach(answer_id: int):
    answer = quotes.quotable_answer(answer_id)
    if answer is None:
        abort(404)
    require_survey(answer.response.survey)
    return answer


def _surveys_in_reach():
    """None for whole-partnership staff, else a subquery of the survey ids they may see."""
    return None if sees_everything() else visible_survey_ids()


@bp.route("/results/surveys/<int:survey_id>/export/<kind>.<fmt>")
@rate_limit(EXPORT_LIMIT)
@roles_required(*EXPORT_ROLES)
@require_recent_auth
def export(survey_id: int, kind: str, fmt: str):
    survey = require_survey(db.session.get(Survey, survey_id))
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        abort(404)
    filters = _filter_form().filters()
    built = EXPORT_KINDS[kind](survey, filters)
    record("export", "survey", survey.id, f"{kind} {fmt} {filters.as_args() or 'all'}")
    db.session.commit()
    body = exports.stream_csv(built) if fmt == "csv" else exports.stream_xlsx(built)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        stream_with_context(body),
        # content_type, not mimetype: Flask would add a second "; charset=utf-8".
        content_type=EXPORT_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{built.filename}-{stamp}.{fmt}"'},
    )


# --- raising a concern (any staff member) ------------------------------------------------


@bp.route("/responses/<int:response_id>/concern", methods=["GET", "POST"])
def raise_concern(response_id: int):
    from engage.listen.models import Response as SurveyResponse

    found = db.session.get(SurveyResponse, response_id)
    if found is None:
        abort(404)
    require_survey(found.survey)
    form = ConcernForm()
    if form.validate_on_submit():
        try:
            flags.raise_concern(response_id, form.note.data, current_user)
        except LookupError:
            db.session.rollback()
            abort(404)
        except flags.FlagError as error:
            db.session.rollback()
            form.note.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Thank you. The safeguarding lead has been told."), "success")
            survey_id = request.args.get("survey", type=int)
            if survey_id is not None:
                return redirect(url_for("learn.quotes_browser", survey_id=survey_id), 303)
            return redirect(url_for("accounts.home"), 303)
    status = 400 if form.errors else 200
    return render_template("learn/concern.html", form=form, response_id=response_id), status


# --- codebook ----------------------------------------------------------------------------


@bp.route("/codebook", endpoint="codebook")
@roles_required(*CODING_ROLES)
def codebook_index():
    return render_template(
        "learn/codebook.html",
        themes=codebook.themes_with_counts(),
        agreement=codebook.agreement(),
    )


@bp.route("/codebook/suggestions", methods=["GET", "POST"])
@roles_required(*CODING_ROLES)
def theme_suggestions():
    """Themes suggested from answers that fit no theme; staff accept one in one step."""
    from engage.learn import suggestions
    from engage.learn.themes import CodebookError

    error = None
    if request.method == "POST":
        name = (request.form.get("name") or "").strip()[:120]
        keywords = (request.form.get("keywords") or "")[:2000]
        answer_ids = [
            int(part)
            for part in (request.form.get("answer_ids") or "").split(",")
            if part.strip().isdigit()
        ][:500]
        try:
            theme = suggestions.accept_suggestion(
                name, keywords, current_user, answer_ids, surveys=_surveys_in_reach()
            )
            db.session.commit()
        except CodebookError as problem:
            db.session.rollback()
            error = str(problem)
        else:
            record("theme_suggestion_accepted", "theme", theme.id)
            db.session.commit()
            flash(_("Theme '%(name)s' added to the codebook.", name=theme.name), "success")
            return redirect(url_for("learn.codebook"), 303)
    return render_template(
        "learn/suggestions.html",
        suggestions=suggestions.suggest_themes(surveys=_surveys_in_reach()),
        error=error,
    ), 400 if error else 200


@bp.route("/codebook/new", methods=["GET", "POST"])
@roles_required(*CODING_ROLES)
def theme_new():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = codebook.create_theme(_details(form))
        except codebook.CodebookError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Theme added: %(name)s", name=theme.name), "success")
            return redirect(url_for("learn.codebook"), 303)
    status = 400 if form.errors else 200
    return render_template("learn/theme_form.html", form=form, theme=None), status


@bp.route("/codebook/<int:theme_id>", methods=["GET", "POST"])
@roles_required(*CODING_ROLES)
def theme_edit(theme_id: int):
    theme = _get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        try:
            codebook.update_theme(theme, _details(form))
        except codebook.CodebookError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Theme saved: %(name)s", name=theme.name), "success")
            return redirect(url_for("learn.codebook"), 303)
    status = 400 if form.errors else 200
    return render_template(
        "learn/theme_form.html", form=form, theme=theme, active_form=ActiveForm()
    ), status


@bp.route("/codebook/<int:theme_id>/active", methods=["POST"])
@roles_required(*CODING_ROLES)
def theme_active(theme_id: int):
    theme = _get_or_404(Theme, theme_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    codebook.set_active(theme, request.form.get("active") == "1")
    db.session.commit()
    message = (
        _("Theme switched on: %(name)s")
        if theme.active
        else _("Theme switched off: %(name)s. Answers already coded keep it.")
    )
    flash(message % {"name": theme.name}, "success")
    return redirect(url_for("learn.codebook"), 303)


def _details(form: ThemeForm) -> codebook.ThemeDetails:
    return codebook.ThemeDetails(
        name=form.name.data or "",
        plain_name=form.plain_name.data or "",
        description=form.description.data or "",
        keywords=form.keywords.data or "",
    )


# --- review ------------------------------------------------------------------------------


def _review_choices() -> dict:
    """The reviewer's choices that every review link keeps: survey, order and theme."""
    order = request.args.get("order", review.Order.LEAST_SURE.value)
    choices = {
        "survey": request.args.get("survey", type=int),
        "order": order if order in {o.value for o in review.Order} else None,
        "theme": request.args.get("theme", type=int),
    }
    if choices["order"] == review.Order.LEAST_SURE.value:
        choices["order"] = None  # the default: kept out of the links
    return {name: value for name, value in choices.items() if value is not None}


SKIPPED = "review_skipped"
MAX_SKIPPED = 100


@bp.route("/review")
@roles_required(*CODING_ROLES)
def review_next():
    choices = _review_choices()
    after = request.args.get("after", type=int)
    if after is not None and request.args.get("skip"):
        session[SKIPPED] = [*session.get(SKIPPED, []), after][-MAX_SKIPPED:]
    answer_id = review.next_answer_id(
        after=after,
        survey_id=choices.get("survey"),
        surveys=_surveys_in_reach(),
        order=review.Order(choices.get("order", review.Order.LEAST_SURE.value)),
        theme_id=choices.get("theme"),
        skipped=session.get(SKIPPED, []),
    )
    if answer_id is None:
        return render_template("learn/review_done.html", survey_id=choices.get("survey"))
    return redirect(url_for("learn.review_answer", answer_id=answer_id, **choices), 303)


@bp.route("/review/queue")
@roles_required(*CODING_ROLES)
def review_queue():
    choices = _review_choices()
    sort = request.args.get("sort", "")
    found = review.queue_page(
        survey_id=choices.get("survey"),
        surveys=_surveys_in_reach(),
        order=review.Order(choices.get("order", review.Order.LEAST_SURE.value)),
        theme_id=choices.get("theme"),
        sort=sort if sort in review.SORTS else "",
    )
    themes = list(db.session.scalars(db.select(Theme).where(Theme.active).order_by(Theme.name)))
    return render_template(
        "learn/review_queue.html", found=found, choices=choices, sort=sort, themes=themes
    )


@bp.route("/review/<int:answer_id>", methods=["GET", "POST"])
@roles_required(*CODING_ROLES)
def review_answer(answer_id: int):
    choices = _review_choices()
    survey_id = choices.get("survey")
    try:
        item = review.load(answer_id, survey_id, _surveys_in_reach())
    except review.ReviewError:
        abort(404)
    form = ReviewForm()
    form.themes.choices = [SelectChoice(theme.id, theme.name) for theme in item.themes]
    if request.method == "GET":
        form.themes.data = sorted(item.coded_theme_ids)
        if item.suggested_sentiment is not None:
            form.sentiment.data = item.suggested_sentiment.value
    if form.validate_on_submit():
        try:
            review.save(
                answer_id,
                form.themes.data or [],
                SentimentLabel(form.sentiment.data),
                current_user,
            )
        except review.ReviewError as error:
            db.session.rollback()
            form.themes.errors.append(str(error))
        else:
            db.session.commit()
            # Refits (if enough new confirmations) start here, in the background.
            analysis.current_analyser()
            flash(_("Saved."), "success")
            return redirect(url_for("learn.review_next", after=answer_id, **choices), 303)
    status = 400 if form.errors else 200
    return render_template(
        "learn/review.html", item=item, form=form, survey_id=survey_id, choices=choices
    ), status


# --- safeguarding ------------------------------------------------------------------------


@bp.route("/safeguarding")
@roles_required(*SAFEGUARDING_ROLES)
def safeguarding():
    wanted = request.args.get("status", "")
    status = FlagStatus(wanted) if wanted in FlagStatus._value2member_map_ else None
    rows = flags.queue(status)
    # The queue shows the words flagged: reading it is part of the safeguarding record.
    record("view", "safeguarding_queue", None, detail=f"{len(rows)} flag(s)")
    db.session.commit()
    return render_template(
        "learn/safeguarding.html",
        rows=rows,
        figures=flags.figures(),
        overdue={flag.id for flag in escalation.overdue_flags()},
        sla_hours=escalation.sla().total_seconds() / 3600,
        counts=flags.status_counts(),
        status=status,
        statuses=list(FlagStatus),
        level_labels=flags.LEVEL_LABELS,
        phrases_problem=safeguarding_screen.phrases_file_problem(),
    )


@bp.route("/safeguarding/<int:flag_id>", methods=["GET", "POST"])
@roles_required(*SAFEGUARDING_ROLES)
def flag(flag_id: int):
    found = flags.detail(flag_id)
    if found is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            flags.add_decision(
                found.flag, FlagStatus(form.status.data), form.note.data or "", current_user
            )
        except flags.FlagError as error:
            db.session.rollback()
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Added to the record."), "success")
            return redirect(url_for("learn.flag", flag_id=flag_id), 303)
    # Who read a disclosure, and when, is part of the safeguarding record.
    record("view", "safeguarding_flag", flag_id)
    db.session.commit()
    status = 400 if form.errors else 200
    return render_template(
        "learn/flag.html",
        found=found,
        form=form,
        level_labels=flags.LEVEL_LABELS,
        lines=[flags.highlight(line, found.flag.matched_words) for line in found.text.splitlines()],
    ), status


@bp.route("/safeguarding/<int:flag_id>/false-flag", methods=["POST"])
@roles_required(*SAFEGUARDING_ROLES)
def mark_false_flag(flag_id: int):
    """One click: not a concern. The flag is kept, the decision recorded and counted."""
    found = flags.detail(flag_id)
    if found is None:
        abort(404)
    try:
        flags.mark_false_flag(found.flag, current_user)
    except flags.FlagError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Flag %(id)d marked not a concern (false flag). It is kept, with your name "
                "and the time, and counted.",
                id=flag_id,
            ),
            "success",
        )
    if request.form.get("back") == "flag":
        return redirect(url_for("learn.flag", flag_id=flag_id), 303)
    return redirect(url_for("learn.safeguarding"), 303)


@bp.route("/safeguarding/<int:flag_id>/contact", methods=["GET", "POST"])
@roles_required(Role.SAFEGUARDING_LEAD)
def flag_contact(flag_id: int):
    """Break glass: only a safeguarding lead sees who left contact details, with a reason
    recorded in the audit log before anything is shown (SECURITY.md section 3)."""
    found = flags.detail(flag_id)
    if found is None:
        abort(404)
    form = BreakGlassForm()
    contact = None
    if form.validate_on_submit():
        record("break_glass_contact_view", "safeguarding_flag", flag_id, detail=form.reason.data)
        db.session.commit()
        contact = found.flag.response.contact
        return render_template(
            "learn/flag_contact.html", found=found, form=form, shown=True, contact=contact
        )
    status = 400 if form.errors else 200
    return render_template(
        "learn/flag_contact.html", found=found, form=form, shown=False, contact=None
    ), status
