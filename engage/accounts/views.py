"""Staff sign-in (with optional second factor), sign-out, staff home, accounts and audit log."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from engage.accounts import audit, auth, totp
from engage.accounts.access import public, roles_required, start_session
from engage.accounts.forms import ChangePasswordForm, CodeForm, LoginForm, TotpSetupForm
from engage.accounts.models import Role, User
from engage.accounts.reauth import require_recent_auth
from engage.extensions import SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_LIMIT, db, rate_limit

bp = Blueprint("accounts", __name__, url_prefix="/staff")

# A password accepted but no code yet: this long to type the code before starting again.
PENDING_SECONDS = 5 * 60


def _safe_next(target: str | None) -> str | None:
    # Only same-site relative paths: never an open redirect.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _account_key() -> str:
    # Throttle per account as well as per IP (ASVS 6.3.1); hashed so no email sits in Redis.
    email = auth.normalise_email(request.form.get("email", ""))
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _renew_session(user: User) -> None:
    """A fresh session: nothing from before (a planted cookie, an old session id) carries over."""
    session.clear()
    login_user(user)
    start_session()


def _sign_in(user: User, next_url: str | None):
    auth.complete_sign_in(user)
    db.session.commit()
    _renew_session(user)
    return redirect(_safe_next(next_url) or url_for("accounts.home"), 303)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@rate_limit(SIGN_IN_LIMIT, methods=["POST"])
@rate_limit(SIGN_IN_ACCOUNT_LIMIT, key_func=_account_key, methods=["POST"], scope="sign-in-account")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = auth.check_credentials(form.email.data, form.password.data)
        if user is not None and auth.totp_enrolled(user):
            db.session.commit()
            session.clear()
            session["pending_user"] = user.get_id()
            session["pending_at"] = int(time.time())
            session["pending_next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("accounts.sign_in_code"), 303)
        if user is not None:
            return _sign_in(user, request.args.get("next"))
        db.session.commit()
        form.password.errors.append(_(auth.SIGN_IN_FAILED))
    status = 200 if not form.errors else 400
    return render_template("accounts/login.html", form=form), status


def _pending_user() -> User | None:
    started = session.get("pending_at")
    if not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
        return None
    try:
        raw_id, raw_version = str(session.get("pending_user", "")).split(":", 1)
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or str(user.session_version) != raw_version:
        return None
    return user


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@rate_limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in_code():
    user = _pending_user()
    if user is None:
        session.clear()
        flash(_("Sign in again."), "info")
        return redirect(url_for("accounts.login"), 303)
    form = CodeForm()
    if form.validate_on_submit():
        if auth.check_code(user, form.code.data):
            return _sign_in(user, session.get("pending_next"))
        db.session.commit()
        if auth.is_locked(user):
            session.clear()
            flash(_(auth.SIGN_IN_FAILED), "info")
            return redirect(url_for("accounts.login"), 303)
        form.code.errors.append(_(auth.CODE_FAILED))
    status = 200 if not form.errors else 400
    return render_template("accounts/sign_in_code.html", form=form), status


@bp.route("/two-step", methods=["GET", "POST"])
@require_recent_auth
def totp_setup():
    if "new_totp_secret" not in session or request.method == "GET":
        session["new_totp_secret"] = totp.new_secret()
    secret = session["new_totp_secret"]
    form = TotpSetupForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("Enter your correct password"))
        else:
            try:
                auth.enrol_totp(current_user, secret, form.code.data)
            except auth.AccountError as error:
                form.code.errors.append(_(str(error)))
            else:
                db.session.commit()
                _renew_session(current_user._get_current_object())
                flash(
                    _("Two-step sign in is on. You will be asked for a code each time."), "success"
                )
                return redirect(url_for("accounts.home"), 303)
    status = 200 if not form.errors else 400
    return render_template(
        "accounts/totp_setup.html",
        form=form,
        secret=totp.grouped(secret),
        uri=totp.provisioning_uri(secret, current_user.email, current_app.config["SERVICE_NAME"]),
        enrolled=auth.totp_enrolled(current_user),
        required=current_app.config.get("REQUIRE_TOTP"),
    ), status


@bp.route("/password", methods=["GET", "POST"])
@require_recent_auth
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(current_user, form.current_password.data, form.new_password.data)
        except auth.AccountError as error:
            field = form.current_password if "current" in str(error) else form.new_password
            field.errors.append(_(str(error)))
            db.session.commit()  # a wrong current password still counts towards lock-out
        else:
            db.session.commit()
            _renew_session(current_user._get_current_object())
            flash(
                _("Your password has been changed. Other sessions have been signed out."), "success"
            )
            return redirect(url_for("accounts.home"), 303)
    status = 200 if not form.errors else 400
    return render_template("accounts/change_password.html", form=form), status


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


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    action = request.args.get("action", "").strip()[:64] or None
    page = request.args.get("page", 1, type=int) or 1
    events, more = audit.events(action, page)
    return render_template(
        "accounts/audit_log.html",
        events=events,
        actions=audit.actions(),
        action=action,
        page=page,
        more=more,
    )


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    people = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("accounts/users.html", users=people, is_locked=auth.is_locked)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles_required(Role.ADMIN)
def unlock_user(user_id: int):
    user = _user_or_404(user_id)
    auth.unlock(user, by=current_user)
    db.session.commit()
    flash(_("%(email)s can sign in again.", email=user.email), "success")
    return redirect(url_for("accounts.users"), 303)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def set_user_active(user_id: int):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "yes"
    if user.id == current_user.id and not active:
        flash(_("You cannot turn off your own account."), "info")
        return redirect(url_for("accounts.users"), 303)
    auth.set_active(user, active, by=current_user)
    db.session.commit()
    return redirect(url_for("accounts.users"), 303)
