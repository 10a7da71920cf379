"""Stored XSS: payloads typed by a respondent (and by staff in plain-text fields) are pushed
through the real forms and models, then every page an admin and the public can reach is
fetched: a payload may appear only escaped."""

from __future__ import annotations

import re
from collections import deque
from datetime import date, timedelta

from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from tests.helpers.respondent import EASY, STANDARD, answer, begin, submission_token

PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(2)>",
    "</textarea><script>alert(3)</script>",
]
SKIP = ("/staff/sign-out", "/delete", "/withdraw", "/publish", "/export", ".csv", ".xlsx", ".yaml")


def _seed(app, client, make_user):
    text = " ".join(PAYLOADS)
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "no"})
    answer(client, EASY, "better", {"better": "Waiting lists are long " + text})
    client.post(
        f"/surveys/{EASY}/submit", data={"submission_token": submission_token(client, EASY)}
    )
    other = app.test_client()
    begin(other, STANDARD)
    answer(other, STANDARD, "one_change", {"one_change": "Therapy " + text})
    other.post(
        f"/surveys/{STANDARD}/submit", data={"submission_token": submission_token(other, STANDARD)}
    )
    with app.app_context():
        from engage.improve.models import Action
        from engage.inform.models import Engagement, Organisation
        from engage.learn.models import Theme

        engagement = db.session.scalar(select(Engagement))
        engagement.summary = "Summary " + PAYLOADS[1]
        organisation = db.session.scalar(select(Organisation))
        theme = Theme(slug="xss-theme", name="Theme " + PAYLOADS[2], keywords="waiting")
        db.session.add(theme)
        db.session.add(
            Action(
                title="Action " + PAYLOADS[0],
                description=PAYLOADS[3],
                owner_organisation=organisation,
                due_on=date.today() + timedelta(days=30),
                themes=[theme],
            )
        )
        db.session.commit()


def _crawl(client, start: list[str], limit: int = 160) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or any(part in path for part in SKIP):
            continue
        response = client.get(path)
        body = response.get_data(as_text=True)
        seen[path] = body
        if "html" not in response.headers.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#]*)"', body):
            href = href.replace("&amp;", "&")
            if href.startswith("/static/"):
                continue
            shape = re.sub(r"\d+", "N", href.split("?")[0])
            if sum(1 for p in seen if re.sub(r"\d+", "N", p.split("?")[0]) == shape) < 2:
                queue.append(href)
    return seen


def test_payloads_appear_only_escaped_everywhere(app, client, demo, staff_client, make_user):
    _seed(app, client, make_user)
    admin = staff_client(Role.ADMIN)
    pages = _crawl(admin, ["/staff/", "/staff/codebook", "/staff/actions", "/staff/updates"])
    pages.update(
        _crawl(
            app.test_client(),
            ["/", "/you-said-we-did", "/you-said-we-did.json", "/you-said-we-did/feed.atom"],
        )
    )
    assert len(pages) > 30, sorted(pages)
    for path, body in pages.items():
        for payload in PAYLOADS:
            assert payload not in body, f"unescaped payload on {path}: {payload}"
    shown = [
        path
        for path, body in pages.items()
        if "&lt;script&gt;alert" in body
        or "\\u003cscript\\u003e" in body
        or "&lt;img src=x" in body
    ]
    assert shown, "the payloads were expected to be shown, escaped, somewhere"
