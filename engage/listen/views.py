"""Public survey pages: start, questions, check answers, submit, confirmation, save and resume.
Staff pages: preview and entering paper, focus-group and phone responses."""

from __future__ import annotations

import json

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DBAPIError, IntegrityError

from engage import content_translations as content
from engage.accounts.access import public, roles_required
from engage.accounts.models import Role
from engage.ask import translations as survey_translations
from engage.ask.access import require_survey
from engage.ask.models import SurveyStatus
from engage.ask.schedule import SurveyState, schedule
from engage.database import reading_first
from engage.errors import RETRY_AFTER
from engage.extensions import EXPORT_LIMIT, RESUME_LIMIT, SUBMIT_LIMIT, db, rate_limit
from engage.inform import translations as engagement_translations
from engage.inform.engagements import wants_easy_read
from engage.listen import bp, paper, runner
from engage.listen import own_answers as own
from engage.listen import questions as page_questions
from engage.listen.hooks import closed_survey_links
from engage.listen.models import Channel, ResponseStatus
from engage.mail import MailError

STAFF_ENTRY_CHANNELS = (Channel.PAPER, Channel.FOCUS_GROUP, Channel.PHONE)


def _survey(
    slug: str,
    *,
    must_be_open: bool = True,
    with_questions: bool = True,
    with_options: bool = False,
):
    survey = runner.find_survey(slug, with_questions=with_questions, with_options=with_options)
    if survey is None:
        abort(404)
    if must_be_open and not runner.takes_drafts(survey) and not _staff_entry(survey):
        if survey.status == SurveyStatus.DRAFT:
            abort(404)
        # Not open yet, or closed: the start page says which, and keeps any draft's answers.
        abort(redirect(url_for("listen.start", slug=slug), 303))
    return survey


def _staff_entry(survey) -> bool:
    return bool(current_user.is_authenticated and session.get("staff_entry") == survey.slug)


def _draft(survey):
    response_id = session.get("drafts", {}).get(survey.slug)
    response = runner.draft_for(survey, response_id)
    if response is None or response.status != ResponseStatus.DRAFT:
        return None
    return response


def _remember_draft(survey, response) -> None:
    _remember_draft_id(survey.slug, response.id)


def _remember_draft_id(slug: str, response_id: int) -> None:
    # Only after the draft is committed, so a session never names a row that was not saved.
    drafts = dict(session.get("drafts", {}))
    drafts[slug] = response_id
    session["drafts"] = drafts


def _not_saved(survey, status: int, **context):
    # Read-only: after a locked database, showing the page must not queue for the lock again.
    with reading_first():
        body = render_template("listen/not_saved.html", survey=survey, **context)
    return body, status, RETRY_AFTER


def _chosen_easy_read(survey) -> bool:
    """Easy read for an easy-read survey, or where the visitor chose the easy-read version
    (here or on the engagement's page) of a survey that has one."""
    if runner.easy_read(survey):
        return True
    return runner.offers_easy_read(survey) and wants_easy_read(request.args.get("version"))


def in_language(survey, *, with_engagement: bool = False) -> dict:
    """The survey (and its engagement) in the visitor's language where offered there: the
    page's context says which language each is in, and which the survey is offered in."""
    language = content.current_language()
    reading = survey_translations.show_in_language(survey, language)
    context = {"page_languages": reading.languages, "survey_lang": reading.language}
    if with_engagement and survey.engagement is not None:
        shown = engagement_translations.show_in_language(survey.engagement, language)
        context["engagement_lang"] = shown.language
    return context


@bp.route("/surveys/<slug>")
@public
def start(slug: str):
    survey = _survey(slug, must_be_open=False, with_questions=False)
    if survey.status == SurveyStatus.DRAFT:
        abort(404)
    timing = schedule(survey)
    draft = _draft(survey)
    closed = timing.state == SurveyState.CLOSED
    # Before the unsent answers are described, so their questions read in the language too.
    languages = in_language(survey, with_engagement=True)
    return render_template(
        "listen/start.html",
        survey=survey,
        easy_read=_chosen_easy_read(survey),
        offers_easy_read=runner.offers_easy_read(survey),
        has_draft=draft is not None,
        is_open=timing.takes_new_answers or (draft is not None and timing.in_grace),
        timing=timing,
        states=SurveyState,
        # A draft that can no longer be sent: its answers are shown and can be downloaded.
        unsent=own.rows(draft) if draft is not None and not timing.takes_drafts else None,
        updates=closed_survey_links(survey) if closed else [],
        **languages,
    )


@bp.route("/surveys/<slug>/start", methods=["POST"])
@public
def begin(slug: str):
    survey = _survey(slug)
    response = _draft(survey)
    if response is None and not (runner.is_open(survey) or _staff_entry(survey)):
        # In the grace period only drafts started before the close carry on.
        return redirect(url_for("listen.start", slug=slug), 303)
    easy = _chosen_easy_read(survey)
    if response is None:
        response = runner.start_draft(survey, easy=easy)
        # Read before the commit expires them: reloading would cost three more queries.
        draft_id, key = response.id, runner.first_unanswered(survey, {}, easy)
        db.session.commit()
        _remember_draft_id(slug, draft_id)
    else:
        if runner.offers_easy_read(survey) and easy != runner.easy_read(survey, response):
            runner.choose_version(response, easy)
            db.session.commit()
        key = runner.first_unanswered(survey, runner.answers_by_key(response), easy)
    if key is None:
        return redirect(url_for("listen.check", slug=slug), 303)
    return redirect(url_for("listen.question", slug=slug, key=key), 303)


@bp.route("/surveys/<slug>/questions/<key>", methods=["GET", "POST"])
@public
def question(slug: str, key: str):
    survey = _survey(slug)
    response = _draft(survey)
    if response is None:
        return redirect(url_for("listen.start", slug=slug))
    easy_read = runner.easy_read(survey, response)
    page = runner.page_for(survey, key, easy_read)
    if page is None:
        abort(404)
    if page[0].key != key:
        # "Change" on the check page names the question; its page is addressed by the first.
        change = {"change": 1} if request.args.get("change") else {}
        return redirect(url_for("listen.question", slug=slug, key=page[0].key, **change))
    saved = runner.answers_by_key(response)
    values = {q.key: saved.get(q.key) or runner.AnswerValue() for q in page}
    errors: dict[str, str] = {}
    action = request.form.get("action", "continue")
    if request.method == "POST":
        skip = action == "skip"
        values = page_questions.read_page(page, request.form, skip=skip)
        errors = page_questions.check_page(page, values, easy_read=easy_read, skip=skip)
        if not errors:
            try:
                runner.save_page(response, values)
                code = runner.issue_resume_code(response) if action == "save" else None
                # Before the commit, which expires the survey, its questions and the answers:
                # working out the next page after it would load them all again.
                following = None if code else _after(survey, key, response)
                db.session.commit()
            except DBAPIError:
                db.session.rollback()
                return _render_question(
                    survey, response, page, values, {}, status=503, not_saved=True
                )
            if code:
                session["resume_code"] = code
                return redirect(url_for("listen.saved", slug=slug), 303)
            return redirect(following, 303)
    return _render_question(survey, response, page, values, errors, status=400 if errors else 200)


def _after(survey, key: str, response) -> str:
    answers = runner.answers_by_key(response)
    easy = runner.easy_read(survey, response)
    if request.args.get("change"):
        # A changed answer may show questions never seen: ask them before checking again.
        revealed = runner.next_revealed(survey, key, answers, easy)
        if revealed is None:
            return url_for("listen.check", slug=survey.slug)
        return url_for("listen.question", slug=survey.slug, key=revealed, change=1)
    _, following = runner.neighbours(survey, key, answers, easy)
    if following is None:
        return url_for("listen.check", slug=survey.slug)
    return url_for("listen.question", slug=survey.slug, key=following)


def _render_question(survey, response, page, values, errors, *, status: int, not_saved=False):
    easy_read = runner.easy_read(survey, response)
    answers = runner.answers_by_key(response)
    previous, _following = runner.neighbours(survey, page[0].key, answers, easy_read)
    number, total = runner.progress(survey, page[0].key, answers)
    back = (
        url_for("listen.check", slug=survey.slug)
        if request.args.get("change")
        else url_for("listen.question", slug=survey.slug, key=previous)
        if previous
        else url_for("listen.start", slug=survey.slug)
    )
    body = render_template(
        "listen/question.html",
        survey=survey,
        page=page,
        values=values,
        errors=errors,
        easy_read=easy_read,
        number=number,
        total=total,
        back=back,
        not_saved=not_saved,
        staff_entry=_staff_entry(survey),
        q=page_questions,
        **in_language(survey),
    )
    headers = RETRY_AFTER if status == 503 else {}
    return body, status, headers


@bp.route("/surveys/<slug>/check")
@public
def check(slug: str):
    survey = _survey(slug, with_options=True)
    response = _draft(survey)
    if response is None:
        return redirect(url_for("listen.start", slug=slug))
    easy_read = runner.easy_read(survey, response)
    answers = runner.answers_by_key(response)
    languages = in_language(survey)
    rows = [
        (question, page_questions.describe(question, answers.get(question.key), easy_read))
        for page in runner.visible_pages(survey, answers, easy_read)
        for question in page
    ]
    set_aside = [
        (question, page_questions.describe(question, value, easy_read))
        for question, value in runner.set_aside(response)
        if value.given
    ]
    return render_template(
        "listen/check.html",
        survey=survey,
        rows=rows,
        answers=answers,
        nothing_answered=not runner.anything_answered(response),
        set_aside=set_aside,
        easy_read=easy_read,
        token=response.submission_token,
        q=page_questions,
        **languages,
    )


@bp.route("/surveys/<slug>/submit", methods=["POST"])
@public
@rate_limit(SUBMIT_LIMIT)
def submit(slug: str):
    token = request.form.get("submission_token", "")
    # Reading the draft and analysing its answers happen before the write transaction, so
    # SQLite's one write lock is held for the submit's own writes only.
    with reading_first():
        # The draft comes with its survey: no query for the survey alone unless it is missing
        # or closed (then _survey gives the 404).
        draft = runner.draft_to_submit(slug, token)
        survey = draft.survey if draft is not None else None
        if survey is None or not (runner.takes_drafts(survey) or _staff_entry(survey)):
            survey = _survey(slug, with_questions=False)
        prepared = runner.prepare_submit(survey, token, draft)
    try:
        result = runner.submit(survey, token, prepared)
        # Read before the commit: afterwards the row is expired and reloading it would open a
        # second transaction just to show the receipt.
        receipt = result.response.receipt_code
        # Pages after an easy-read survey (receipt, "my answers", updates) open in easy read.
        answered_easy = result.response.channel == Channel.EASY_READ_ONLINE
        db.session.commit()
    except runner.NothingAnswered:
        db.session.rollback()
        return redirect(url_for("listen.check", slug=slug), 303)
    except runner.RunnerError:
        db.session.rollback()
        return redirect(url_for("listen.start", slug=slug), 303)
    except IntegrityError:
        db.session.rollback()
        return _not_saved(survey, 409, token=token)
    except DBAPIError:
        db.session.rollback()
        return _not_saved(survey, 503, token=token)
    session["receipt"] = {"survey": slug, "code": receipt}
    if answered_easy:
        session["easy_read"] = True
    drafts = dict(session.get("drafts", {}))
    drafts.pop(slug, None)
    session["drafts"] = drafts
    session.pop("staff_entry", None)
    session.pop("resume_code", None)
    return redirect(url_for("listen.confirmation", slug=slug), 303)


@bp.route("/surveys/<slug>/confirmation", methods=["GET", "POST"])
@public
def confirmation(slug: str):
    survey = _survey(slug, must_be_open=False, with_questions=False)
    receipt = session.get("receipt") or {}
    response = (
        runner.find_by_receipt(survey, receipt.get("code"))
        if receipt.get("survey") == slug
        else None
    )
    if response is None:
        return redirect(url_for("listen.start", slug=slug))
    error = None
    email = ""
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        error = _email_error(email)
        if error is None:
            runner.add_contact(response, email)
            db.session.commit()
            session["contact_saved"] = True
            return redirect(url_for("listen.confirmation", slug=slug), 303)
    return render_template(
        "listen/confirmation.html",
        survey=survey,
        receipt=response.receipt_code,
        easy_read=runner.easy_read(survey, response),
        error=error,
        email=email,
        contact_saved=session.get("contact_saved") and response.contact is not None,
        **in_language(survey, with_engagement=True),
    ), 400 if error else 200


def _email_error(email: str) -> str | None:
    if not email:
        return _("Enter your email address")
    if len(email) > 254 or "@" not in email or "." not in email.split("@")[-1] or " " in email:
        return _("Enter an email address in the correct format, like name@example.com")
    return None


@bp.route("/surveys/<slug>/my-answers.txt")
@public
@rate_limit(EXPORT_LIMIT)
def draft_download(slug: str):
    """The answers of this visitor's draft as a text file: kept by them whatever happens."""
    survey = _survey(slug, must_be_open=False, with_questions=False)
    draft = _draft(survey)
    if draft is None:
        return redirect(url_for("listen.start", slug=slug))
    return (
        own.as_text(draft),
        200,
        {
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Disposition": f'attachment; filename="my-answers-{survey.slug}.txt"',
        },
    )


@bp.route("/surveys/<slug>/saved", methods=["GET", "POST"])
@public
def saved(slug: str):
    survey = _survey(slug, with_questions=False)
    code = session.get("resume_code")
    if code is None:
        return redirect(url_for("listen.start", slug=slug))
    error = sent = None
    email = ""
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        error = _email_error(email)
        if error is None:
            try:
                runner.email_resume_code(survey, email, code)
                sent = email
            except MailError:
                error = _("We could not send the email. Write the code down instead.")
    return render_template(
        "listen/saved.html",
        survey=survey,
        code=code,
        easy_read=runner.easy_read(survey, _draft(survey)),
        error=error,
        email=email,
        sent=sent,
        **in_language(survey),
    ), 400 if error else 200


@bp.route("/resume", methods=["GET", "POST"])
@public
@rate_limit(RESUME_LIMIT, methods=["POST"])
def resume():
    error = None
    code = ""
    if request.method == "POST":
        code = (request.form.get("code") or "").strip()[:40]
        if not code:
            error = _("Enter the code you were given when you saved your answers")
        else:
            try:
                response = runner.resume(code)
                db.session.commit()
            except runner.ResumeCodeExpired:
                db.session.rollback()
                return render_template("listen/resume_expired.html"), 410
            except runner.ResumeCodeNotFound:
                error = _("We could not find answers for that code. Check it and try again.")
            else:
                survey = response.survey
                _remember_draft(survey, response)
                session.pop("resume_code", None)
                key = runner.first_unanswered(
                    survey, runner.answers_by_key(response), runner.easy_read(survey, response)
                )
                target = (
                    url_for("listen.question", slug=survey.slug, key=key)
                    if key
                    else url_for("listen.check", slug=survey.slug)
                )
                return redirect(target, 303)
    return render_template("listen/resume.html", error=error, code=code), 400 if error else 200


@bp.route("/staff/surveys/<slug>/preview")
def preview(slug: str):
    survey = require_survey(_survey(slug, must_be_open=False, with_options=True))
    easy_read = request.args.get("mode", "easy_read" if runner.easy_read(survey) else "standard")
    return render_template(
        "listen/preview.html",
        survey=survey,
        easy_read=easy_read == "easy_read",
        q=page_questions,
        empty=runner.AnswerValue(),
    )


@bp.route("/staff/surveys/<slug>/enter", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.COMMISSIONER)
def enter(slug: str):
    survey = require_survey(_survey(slug, must_be_open=False))
    error = None
    if request.method == "POST":
        try:
            channel = Channel(request.form.get("channel", ""))
        except ValueError:
            channel = None
        if channel not in STAFF_ENTRY_CHANNELS:
            error = _("Select how the answers were collected")
        else:
            response = runner.start_draft(survey, channel, entered_by_id=current_user.id)
            db.session.commit()
            _remember_draft(survey, response)
            session["staff_entry"] = survey.slug
            first = runner.pages(survey)[0][0].key
            return redirect(url_for("listen.question", slug=slug, key=first), 303)
    return render_template(
        "listen/enter.html",
        survey=survey,
        channels=STAFF_ENTRY_CHANNELS,
        chosen=request.values.get("channel", ""),
        reference=paper.reference(survey),
        error=error,
    ), 400 if error else 200


@bp.route("/my-answers", methods=["GET", "POST"])
@public
@rate_limit(RESUME_LIMIT, methods=["POST"], scope="receipt")
def own_answers():
    error = None
    code = ""
    if request.method == "POST":
        code = (request.form.get("code") or "").strip()[:40]
        response = own.find(code)
        if response is None:
            error = (
                _("Enter your receipt code")
                if not code
                else _("We could not find answers for that receipt code. Check it and try again.")
            )
        else:
            own.grant(response)
            return redirect(url_for("listen.own_answers_view"), 303)
    return render_template(
        "listen/own_lookup.html",
        error=error,
        code=code,
        easy_read=wants_easy_read(request.args.get("version")),
    ), (400 if error else 200)


def _own_response():
    return own.granted()


@bp.route("/my-answers/view")
@public
def own_answers_view():
    response = _own_response()
    if response is None:
        return redirect(url_for("listen.own_answers"))
    return _own_view(response)


def _own_view(response, **context):
    easy = wants_easy_read(
        request.args.get("version"), default=runner.easy_read(response.survey, response)
    )
    languages = in_language(response.survey)
    return render_template(
        "listen/own_view.html",
        response=response,
        **languages,
        rows=own.rows(response, easy),
        easy_read=easy,
        **context,
    )


@bp.route("/my-answers/download.json")
@public
@rate_limit(EXPORT_LIMIT)
def own_answers_download():
    response = _own_response()
    if response is None:
        return redirect(url_for("listen.own_answers"))
    body = json.dumps(own.export(response), indent=2, ensure_ascii=False)
    return (
        body,
        200,
        {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": (
                f'attachment; filename="my-answers-{response.receipt_code}.json"'
            ),
        },
    )


@bp.route("/my-answers/delete", methods=["POST"])
@public
def own_answers_delete():
    response = _own_response()
    if response is None:
        return redirect(url_for("listen.own_answers"))
    if request.form.get("confirm") != "yes":
        return _own_view(
            response, confirm_error=_("Select yes to confirm you want to delete your answers")
        ), 400
    complete = own.erase(response)
    db.session.commit()
    own.forget()
    return render_template("listen/own_deleted.html", complete=complete)


@bp.route("/my-answers/hide", methods=["POST"])
@public
def own_answers_hide():
    own.forget()
    flash(_("Your answers are hidden. You need your receipt code to see them again."), "success")
    return redirect(url_for("listen.own_answers"), 303)


@bp.route("/my-answers/someone-else")
@public
def own_answers_someone_else():
    """A child's answers belong to the child (ICO Children's code, standard 11): a parent or
    carer is told how to ask, and staff weigh the child's best interests before sharing."""
    return render_template("listen/own_someone_else.html")
