"""Deny by default: every page needs a signed-in staff user unless marked public."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from engage.accounts.models import Role, User
from engage.accounts.reauth import mark_recent_auth
from engage.extensions import db, login_manager

# Flask's own static route; everything else opts in with @public.
ALWAYS_PUBLIC = {"static", "govuk_static"}


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous visitors (reviewed allowlist: grep for @public)."""
    view.is_public = True
    return view


def roles_required(*roles: Role) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated or current_user.role not in roles:
                from engage.accounts.audit import record

                record("access_denied", "endpoint", request.endpoint)
                db.session.commit()
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = roles
        return wrapper

    return decorator


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None:
        return True  # 404s and the like: nothing to protect
    if endpoint in ALWAYS_PUBLIC:
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


# Pages a signed-in user may still reach before setting up a required second factor.
TOTP_SETUP_ALLOWED = {"accounts.totp_setup", "accounts.confirm_password", "accounts.logout"}


def start_session() -> None:
    """Call right after login_user, which follows the password being typed: the clocks for
    the idle and absolute time-outs, and for re-authentication."""
    now = int(time.time())
    # A new random id per sign-in, so the cookie differs from any issued before (ASVS 7.2.4).
    session["session_id"] = secrets.token_urlsafe(16)
    session["signed_in_at"] = now
    session["seen_at"] = now
    mark_recent_auth()


def _session_expired() -> bool:
    """Sign the user out if idle or absolute time-out has passed (ASVS 7.3.1-2)."""
    now = int(time.time())
    signed_in_at = session.get("signed_in_at")
    seen_at = session.get("seen_at")
    config = current_app.config
    expired = (
        not isinstance(signed_in_at, int)
        or not isinstance(seen_at, int)
        or now - seen_at > config["SESSION_IDLE_SECONDS"]
        or now - signed_in_at > config["SESSION_ABSOLUTE_SECONDS"]
    )
    if expired:
        logout_user()
        session.clear()
        return True
    # Rewriting the cookie at most once a minute is precise enough for a 30-minute limit.
    if now - seen_at >= 60:
        session["seen_at"] = now
    return False


def _require_login():
    public_page = is_public_endpoint(current_app, request.endpoint)
    if current_user.is_authenticated and _session_expired():
        if public_page:
            return None
        flash(_("You were signed out to keep your account safe. Sign in again."), "info")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=target), 302)
    if public_page:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if (
        current_app.config.get("REQUIRE_TOTP")
        and not getattr(current_user, "totp_secret", None)
        and request.endpoint not in TOTP_SETUP_ALLOWED
    ):
        return redirect(url_for("accounts.totp_setup"), 302)
    return None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.before_request(_require_login)
