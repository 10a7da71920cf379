"""Pages for a forgotten password and for confirming the password before sensitive actions."""

from __future__ import annotations

from flask import (
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from engage.accounts import auth, password_reset
from engage.accounts.access import public
from engage.accounts.forms import ConfirmPasswordForm, ForgotPasswordForm, ResetPasswordForm
from engage.accounts.models import PasswordResetToken
from engage.accounts.reauth import mark_recent_auth
from engage.accounts.views import _account_key, _safe_next, bp
from engage.extensions import RESET_ACCOUNT_LIMIT, RESET_LIMIT, SIGN_IN_LIMIT, db, rate_limit

# Session keys: the link the visitor opened, or what was wrong with it.
RESET_LINK = "reset_link_id"
RESET_PROBLEM = "reset_problem"
PROBLEM_STATUS = {"used": 410, "expired": 410, "invalid": 404}


def _send_after_response(to: str, link_url: str) -> None:
    # The email goes once the answer has left, so an address with an account gets its
    # "we have sent a link" page as quickly as one without (no account enumeration by timing).
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            password_reset.send_link(to, link_url)

    @after_this_request
    def later(response):
        response.call_on_close(send)
        return response


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@rate_limit(RESET_LIMIT, methods=["POST"])
@rate_limit(RESET_ACCOUNT_LIMIT, key_func=_account_key, methods=["POST"], scope="reset-account")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        made = password_reset.request_link(form.email.data)
        db.session.commit()
        if made is not None:
            user, token = made
            link_url = url_for("accounts.reset_link", token=token, _external=True)
            _send_after_response(user.email, link_url)
        return redirect(url_for("accounts.reset_sent"), 303)
    status = 200 if not form.errors else 400
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/forgot-password/sent")
@public
def reset_sent():
    return render_template("accounts/reset_sent.html")


@bp.route("/reset-password/<token>")
@public
@rate_limit(RESET_LIMIT)
def reset_link(token: str):
    # Trade the token for a session value and move to a URL without it (SECURITY.md row 20).
    # Opening the link changes nothing stored: mail scanners that follow links use nothing up.
    link, problem = password_reset.find(token)
    session.pop(RESET_LINK, None)
    session.pop(RESET_PROBLEM, None)
    if link is not None:
        session[RESET_LINK] = link.id
    else:
        session[RESET_PROBLEM] = problem.value
    return redirect(url_for("accounts.reset_password"), 303)


def _session_link() -> tuple[PasswordResetToken | None, str]:
    if RESET_PROBLEM in session:
        return None, str(session[RESET_PROBLEM])
    link_id = session.get(RESET_LINK)
    stored = db.session.get(PasswordResetToken, link_id) if isinstance(link_id, int) else None
    link, problem = password_reset.check(stored)
    return link, "" if problem is None else problem.value


@bp.route("/reset-password", methods=["GET", "POST"])
@public
@rate_limit(RESET_LIMIT, methods=["POST"])
def reset_password():
    link, problem = _session_link()
    if link is None:
        problem = problem if problem in PROBLEM_STATUS else "invalid"
        return render_template("accounts/reset_link_problem.html", problem=problem), PROBLEM_STATUS[
            problem
        ]
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(link, form.new_password.data)
        except auth.AccountError as error:
            form.new_password.errors.append(_(str(error)))
        except password_reset.LinkAlreadyUsed:
            db.session.rollback()
            return render_template("accounts/reset_link_problem.html", problem="used"), 410
        else:
            db.session.commit()
            # Whoever was signed in on this browser is signed out; the new password (and any
            # second factor) is asked for at sign-in.
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("accounts.login"), 303)
    status = 200 if not form.errors else 400
    return render_template("accounts/reset_password.html", form=form), status


@bp.route("/confirm-password", methods=["GET", "POST"])
@rate_limit(SIGN_IN_LIMIT, methods=["POST"])
def confirm_password():
    next_url = _safe_next(request.args.get("next")) or url_for("accounts.home")
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if auth.confirm_password(user, form.password.data):
            db.session.commit()
            mark_recent_auth()
            return redirect(next_url, 303)
        db.session.commit()  # the wrong password counts towards lock-out
        if auth.is_locked(user):
            auth.end_sessions(user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(
                _(
                    "Your account is locked after too many wrong passwords. Ask an admin to "
                    "unlock it, or reset your password."
                ),
                "info",
            )
            return redirect(url_for("accounts.login"), 303)
        form.password.errors.append(_("Enter your correct password"))
    status = 200 if not form.errors else 400
    return render_template("accounts/confirm_password.html", form=form), status
