"""test_csrf_and_safe_methods: with CSRF on, a POST without a token to any route is refused
with 400 and changes nothing; GET on every route changes nothing (audit entries aside)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.extensions import db
from tests.helpers.routes import example_url

# Recording who looked at what is the one write a GET may make.
MAY_CHANGE_ON_GET = {"audit_event"}


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def test_post_without_csrf_token_is_refused_everywhere(csrf_client_request, demo):
    app = csrf_client_request.app
    client = csrf_client_request.sign_in(Role.ADMIN).client
    before = _counts(app)
    accepted = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        response = client.post(example_url(rule), data={"anything": "x"})
        if response.status_code != 400:
            accepted.append(f"{rule.endpoint}: {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)
    after = _counts(app)
    changed = {name for name in before if before[name] != after[name]} - {"audit_event"}
    assert not changed
    assert client.get("/staff/").status_code == 200  # still signed in: nothing was undone


def test_get_changes_nothing(app, staff_client, client, demo):
    staff = staff_client(Role.ADMIN)
    slugs = ["talking-help-at-school", "local-offer-and-sen-support"]
    before = _counts(app)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        urls = {example_url(rule)}
        if "slug" in rule.arguments:
            urls |= {re.sub(r"<(?:[a-z]+:)?slug>", slug, rule.rule) for slug in slugs}
        for url in urls:
            if "<" in url:
                url = example_url(type("Rule", (), {"rule": url, "arguments": rule.arguments}))
            staff.get(url)
            client.get(url)
    after = _counts(app)
    changed = {
        name: (before[name], after[name])
        for name in before
        if before[name] != after[name] and name not in MAY_CHANGE_ON_GET
    }
    assert not changed, f"a GET changed these tables (rows before, after): {changed}"
