"""test_security_headers: exact CSP with a nonce and no inline script, frame-ancestors 'none',
HSTS of a year, nosniff, Referrer-Policy and no-store on public, survey, staff and error pages."""

from __future__ import annotations

import re

import pytest

from engage.accounts.models import Role

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def check_headers(response) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([A-Za-z0-9_-]{16,})'", csp).group(1)
    assert csp == EXPECTED_CSP.format(nonce=nonce)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    page = response.get_data(as_text=True)
    # Every inline script carries this response's nonce; no inline event handlers.
    for attributes in re.findall(r"<script\b([^>]*)>", page):
        assert f'nonce="{nonce}"' in attributes or "src=" in attributes, attributes
    assert not re.search(r"\son[a-z]+\s*=", page)
    max_age = int(re.search(r"max-age=(\d+)", headers["Strict-Transport-Security"]).group(1))
    assert max_age >= 31_536_000
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility", "/staff/sign-in"])
def test_public_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    check_headers(response)


def test_survey_pages(client, demo):
    response = client.get("/surveys/talking-help-at-school")
    assert response.status_code in (200, 302)
    check_headers(response)


@pytest.mark.parametrize("path", ["/staff/", "/staff/audit", "/staff/users", "/staff/two-step"])
def test_staff_pages(staff_client, path):
    response = staff_client(Role.ADMIN).get(path)
    assert response.status_code == 200
    check_headers(response)


@pytest.mark.parametrize("path", ["/no-such-page", "/staff/audit"])
def test_error_pages(client, staff_client, path):
    response = (staff_client(Role.VIEWER) if path == "/staff/audit" else client).get(path)
    assert response.status_code in (403, 404)
    check_headers(response)


def test_nonce_changes_every_response(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_production_pages_have_the_same_headers(production_app):
    check_headers(production_app.test_client().get("/", base_url="https://localhost"))
