"""Pages for paper and posters (on the listen blueprint): the printable survey, the poster
with its QR code, the short link, and finding a paper form's survey by its reference."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.access import public, roles_required
from engage.accounts.models import Role
from engage.ask.access import survey_visible
from engage.ask.models import SurveyStatus
from engage.listen import bp, paper, runner
from engage.listen import questions as page_questions
from engage.listen.views import in_language


def _printable(slug: str, *, with_options: bool = True):
    survey = runner.find_survey(slug, with_questions=with_options, with_options=with_options)
    if survey is None:
        abort(404)
    # A draft is printed only by staff who may see it (to proofread it).
    if survey.status == SurveyStatus.DRAFT and not (
        current_user.is_authenticated and survey_visible(survey)
    ):
        abort(404)
    return survey


def _easy_read(survey) -> bool:
    version = request.args.get("version")
    if version in {"easy-read", "standard"}:
        return version == "easy-read"
    return runner.easy_read(survey)


@bp.route("/surveys/<slug>/print")
@public
def print_survey(slug: str):
    survey = _printable(slug)
    easy_read = _easy_read(survey)
    large = request.args.get("size") == "large"
    languages = in_language(survey)
    return render_template(
        "listen/print.html",
        survey=survey,
        **languages,
        easy_read=easy_read,
        large=large,
        reference=paper.reference(survey),
        questions=paper.paper_questions(survey, easy_read),
        q=page_questions,
        address=paper.short_address(survey),
    )


@bp.route("/surveys/<slug>/print.css")
@public
def print_style(slug: str):
    """The paper version's page margins: the survey reference on every printed page."""
    survey = _printable(slug, with_options=False)
    return paper.print_stylesheet(survey), 200, {"Content-Type": "text/css; charset=utf-8"}


@bp.route("/surveys/<slug>/poster")
@public
def poster(slug: str):
    survey = _printable(slug, with_options=False)
    return render_template(
        "listen/poster.html",
        survey=survey,
        easy_read=_easy_read(survey),
        qr=paper.qr_data_uri(survey),
        address=paper.short_address(survey),
        reference=paper.reference(survey),
    )


@bp.route("/surveys/<slug>/qr.svg")
@public
def qr_code(slug: str):
    survey = _printable(slug, with_options=False)
    return (
        paper.qr_svg(survey),
        200,
        {
            "Content-Type": "image/svg+xml",
            "Content-Disposition": f'attachment; filename="{survey.slug}-qr.svg"',
        },
    )


@bp.route("/s/<code>")
@public
def short_link(code: str):
    survey = paper.find_by_reference(code)
    if survey is None or survey.status == SurveyStatus.DRAFT:
        abort(404)
    return redirect(url_for("listen.start", slug=survey.slug), 301)


@bp.route("/staff/paper", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.COMMISSIONER)
def paper_entry():
    """Staff type the reference printed on a paper form and enter it under its survey."""
    error = None
    written = ""
    if request.method == "POST":
        written = (request.form.get("reference") or "").strip()[:20]
        survey = paper.find_by_reference(written)
        if not written:
            error = _("Enter the reference printed at the top of the paper form")
        elif survey is None or not survey_visible(survey):
            error = _(
                "No survey has the reference %(reference)s. Check it against the top of the "
                "form: a number then a letter, like 12K",
                reference=written,
            )
        else:
            return redirect(url_for("listen.enter", slug=survey.slug, channel="paper"), 303)
    return render_template("listen/paper_entry.html", error=error, written=written), (
        400 if error else 200
    )
