"""Staff sign-in, sign-out and the staff home page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from engage.accounts import auth
from engage.accounts.access import public
from engage.accounts.forms import LoginForm
from engage.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/staff")


def _safe_next(target: str | None) -> str | None:
    # Only same-site relative paths: never an open redirect.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = auth.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"), 303)
        failed = True
        form.password.errors.append(_(auth.SIGN_IN_FAILED))
    status = 200 if not form.errors else 400
    return render_template("accounts/login.html", form=form, failed=failed), status


@bp.route("/sign-out", methods=["POST"])
def logout():
    auth.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("accounts.login"), 303)


@bp.route("/")
def home():
    return render_template("accounts/home.html")
