"""Asking for the password again before sensitive actions (ASVS 7.5.1, SECURITY.md row 7).

The time the password was last typed sits in the signed session; the session itself is
checked on the server through the user's session_version, so an old cookie cannot bring it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import redirect, request, session, url_for
from flask_login import current_user

from engage.extensions import login_manager

# Changing a password or second factor, or a bulk export, within 5 minutes of typing it.
RECENT_AUTH_SECONDS = 5 * 60
SESSION_KEY = "password_at"


def mark_recent_auth() -> None:
    """Call whenever the user has just typed their password (sign-in, confirm page)."""
    session[SESSION_KEY] = int(time.time())


def has_recent_auth() -> bool:
    typed_at = session.get(SESSION_KEY)
    return isinstance(typed_at, int) and 0 <= time.time() - typed_at <= RECENT_AUTH_SECONDS


def _return_path(form_endpoint: str | None) -> str:
    if request.method in ("GET", "HEAD"):
        return request.full_path if request.query_string else request.path
    # After a POST, go back to the page holding the form: the browser cannot re-send a POST.
    if form_endpoint:
        return url_for(form_endpoint, **(request.view_args or {}))
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.path
    return url_for("accounts.home")


def require_recent_auth(view: Callable | None = None, *, form_endpoint: str | None = None):
    """Send the user to "Confirm your password" unless they typed it in the last 5 minutes.

    Use bare (@require_recent_auth) or, for a POST-only action whose form is on another page,
    @require_recent_auth(form_endpoint="step.page_with_the_form").
    """

    def decorator(inner: Callable) -> Callable:
        @wraps(inner)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_recent_auth():
                target = url_for("accounts.confirm_password", next=_return_path(form_endpoint))
                return redirect(target, 303 if request.method == "POST" else 302)
            return inner(*args, **kwargs)

        wrapper.requires_recent_auth = True
        return wrapper

    if view is not None:
        return decorator(view)
    return decorator
