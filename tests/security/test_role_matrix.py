"""test_role_matrix and test_all_routes_auth_or_allowlisted: every endpoint is in
docs/roles.yaml, and each role gets exactly the access the YAML gives it."""

from __future__ import annotations

import pytest

from engage.accounts import roles
from engage.accounts.access import is_public_endpoint
from engage.accounts.models import Role
from tests.conftest import sign_in
from tests.helpers.routes import example_url

ANONYMOUS = "anonymous"
# The only account pages open without signing in: sign-in and the forgotten-password journey.
SIGN_IN_AND_RESET = {
    "accounts.login",
    "accounts.sign_in_code",
    "accounts.forgot_password",
    "accounts.reset_sent",
    "accounts.reset_link",
    "accounts.reset_password",
}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in roles.ALWAYS_PUBLIC]


@pytest.fixture(scope="module")
def matrix():
    return roles.load()


def test_every_endpoint_is_classified_in_roles_yaml(app, matrix):
    missing, stale = roles.problems(app, matrix)
    message = ""
    if missing:
        message += (
            f"\nNew endpoints must be classified in {roles.ROLES_FILE}."
            " Review and add (run `.venv/bin/engage security roles` to regenerate):\n"
            + roles.suggestions(app, missing)
        )
    if stale:
        message += f"\nRemove from {roles.ROLES_FILE.name} (no such endpoint): {stale}"
    assert not missing and not stale, message


def test_decorators_agree_with_roles_yaml(app, matrix):
    """@public and @roles_required(...) say the same as the YAML."""
    disagreements = []
    for endpoint in roles.endpoints(app):
        if endpoint not in matrix:
            continue
        declared = roles.declared(app, endpoint)
        expected = matrix[endpoint]
        has_roles = getattr(app.view_functions[endpoint], "required_roles", None)
        public_mismatch = (declared == roles.PUBLIC) != (expected == roles.PUBLIC)
        if public_mismatch or (has_roles and declared != expected):
            disagreements.append(
                f"{endpoint}: decorators say {roles.as_yaml(declared)},"
                f" roles.yaml says {roles.as_yaml(expected)}"
            )
    assert not disagreements, "\n".join(disagreements)


def test_all_routes_auth_or_allowlisted(app, client, matrix):
    """Anonymous visitors reach only the public allowlist; everything else asks to sign in."""
    checked = 0
    for rule in _rules(app):
        # The decorators decide here; test_role_matrix checks the YAML says the same.
        if is_public_endpoint(app, rule.endpoint):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(example_url(rule), method=method)
            assert response.status_code in (302, 401), (rule.endpoint, method)
            if response.status_code == 302:
                assert "/staff/sign-in" in response.headers["Location"], rule.endpoint
            checked += 1
    assert checked >= 5


def test_public_allowlist_is_small_and_reviewed(matrix):
    public = sorted(endpoint for endpoint, access in matrix.items() if access == roles.PUBLIC)
    assert not [
        endpoint
        for endpoint in public
        if endpoint.startswith("accounts.") and endpoint not in SIGN_IN_AND_RESET
    ]
    assert not [endpoint for endpoint in public if "staff" in endpoint]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_role_matrix(app, make_user, matrix, demo, role):
    """Each role: denied endpoints answer 403 (GET and POST), allowed GETs do not."""
    client = app.test_client()
    assert sign_in(client, make_user(role)).status_code == 303
    wrong = []
    for rule in _rules(app):
        access = matrix.get(rule.endpoint)
        if access is None or access == roles.PUBLIC or rule.endpoint == "accounts.logout":
            continue
        allowed = role.value in access
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if allowed:
            if "GET" not in methods:
                continue  # never POST as an allowed role here: that would change data
            status = client.get(example_url(rule)).status_code
            if status in (401, 403) or (
                status == 302
                and "sign-in" in client.get(example_url(rule)).headers.get("Location", "")
            ):
                wrong.append(f"{rule.endpoint}: {role.value} should be allowed, got {status}")
        else:
            for method in methods:
                status = client.open(example_url(rule), method=method).status_code
                if status != 403:
                    wrong.append(
                        f"{rule.endpoint} {method}: {role.value} should get 403, got {status}"
                    )
    assert not wrong, "\n".join(wrong)
