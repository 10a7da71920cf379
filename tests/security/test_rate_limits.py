"""test_rate_limits: over the limit, sign-in answers 429 with Retry-After and the GOV.UK page;
limits are per IP and per account; Redis storage works; required endpoints carry a limit."""

from __future__ import annotations

import pytest

from engage.accounts.models import Role
from engage.extensions import is_rate_limited, limiter
from tests.conftest import PASSWORD, make_app
from tests.security.conftest import REDIS_URI, redis_available

# Endpoints SECURITY.md row 21 says must be rate-limited (login, reset, resume, submit, export).
MUST_BE_LIMITED = (
    "accounts.login",
    "accounts.sign_in_code",
    "accounts.forgot_password",
    "accounts.reset_link",
    "accounts.reset_password",
    "accounts.confirm_password",
    "listen.submit",
    "listen.resume",
)


def _attempt(client, email, address="203.0.113.7", password="wrong password here"):
    return client.post(
        "/staff/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_in_over_the_limit_gets_429_with_retry_after(limited_app, make_user):
    email = make_user(Role.VIEWER)
    client = limited_app.test_client()
    for _ in range(3):
        assert _attempt(client, email).status_code == 400
    response = _attempt(client, email, password=PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page and "govuk-heading-xl" in page
    assert response.headers["Cache-Control"] == "no-store"
    # Another address is not affected by this one's attempts.
    assert _attempt(client, email, address="203.0.113.8", password=PASSWORD).status_code == 303


def test_sign_in_is_limited_per_account_across_addresses(limited_app, make_user):
    email = make_user(Role.VIEWER)
    client = limited_app.test_client()
    statuses = [_attempt(client, email, address=f"198.51.100.{n}").status_code for n in range(6)]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429


def test_the_sign_in_page_itself_is_not_limited(limited_app):
    client = limited_app.test_client()
    assert all(client.get("/staff/sign-in").status_code == 200 for _ in range(6))


def test_limits_are_off_in_the_test_suite_unless_asked_for(app, client, make_user):
    email = make_user(Role.VIEWER)
    assert all(_attempt(client, email).status_code == 400 for _ in range(8))


@pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_limits_shared_through_redis(app, database_uri, make_user):
    def server():
        return make_app(
            database_uri,
            RATE_LIMITS_ON=True,
            RATELIMIT_STORAGE_URI=REDIS_URI,
            RATELIMIT_SIGN_IN="2 per minute",
        )

    email = make_user(Role.VIEWER)
    first = server()
    limiter.reset()
    try:
        assert _attempt(first.test_client(), email, address="192.0.2.50").status_code == 400
        assert _attempt(first.test_client(), email, address="192.0.2.50").status_code == 400
        # A second app server sharing the store sees the same count.
        second = server()
        assert _attempt(second.test_client(), email, address="192.0.2.50").status_code == 429
    finally:
        limiter.reset()
        make_app(database_uri)  # back to in-memory storage for the rest of the run


@pytest.mark.parametrize("endpoint", MUST_BE_LIMITED)
def test_required_endpoints_carry_a_rate_limit(app, endpoint):
    if endpoint not in app.view_functions:
        pytest.skip(reason=f"{endpoint} does not exist yet")
    assert is_rate_limited(app, endpoint), (
        f"{endpoint} needs @rate_limit(...) from engage.extensions (see docs/security.md)"
    )


# Survey definitions (questions and options as YAML) hold no personal data.
NOT_PERSONAL_EXPORTS = {"ask.export"}


def test_every_export_carries_a_rate_limit(app):
    exports = [
        endpoint
        for endpoint in app.view_functions
        if ("export" in endpoint or endpoint.endswith(("csv", "xlsx", "download")))
        and endpoint not in NOT_PERSONAL_EXPORTS
    ]
    unlimited = [endpoint for endpoint in exports if not is_rate_limited(app, endpoint)]
    assert not unlimited, f"add @rate_limit(EXPORT_LIMIT) to: {unlimited}"
