"""Stored XSS: payloads typed by staff (plain fields) and by respondents appear only escaped
on staff pages, public pages, the feed and the JSON; rich text keeps only nh3's allowlist."""

import pytest
from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.improve import actions
from engage.respond.models import Update
from tests.improve import factories

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)//<a href=javascript:alert(1)>x</a>",
    "</textarea><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert_everywhere(app, staff_client, client, payload):
    with app.app_context():
        theme = factories.theme(f"Theme {payload}")
        engagement = factories.engagement(title=f"Engagement {payload}")
        survey = factories.survey(engagement)
        factories.code(factories.response(survey, text=f"Said {payload}"), theme)
        action = factories.action(
            themes=[theme], title=f"We will {payload}", engagement_=engagement
        )
        action.description = f"Description {payload}"
        action.owner_name = f"Owner {payload}"
        actions.add_progress(action, f"Progress {payload}", action.status)
        factories.update(
            engagement,
            theme,
            title=f"Update {payload}",
            actions=[action],
            you_said=f"<p>You said</p>{payload}",
            we_did=f"<p>We did</p>{payload}",
            published_at=factories.datetime(2026, 6, 1, tzinfo=factories.UTC),
        )
        db.session.commit()
        action_id = action.id
        update = db.session.scalar(select(Update))
        update_id, slug = update.id, update.slug
    staff = staff_client(Role.COMMISSIONER)
    pages = [
        staff.get("/staff/actions/").get_data(as_text=True),
        staff.get(f"/staff/actions/{action_id}").get_data(as_text=True),
        staff.get(f"/staff/actions/{action_id}/edit").get_data(as_text=True),
        staff.get("/staff/updates").get_data(as_text=True),
        staff.get(f"/staff/updates/{update_id}").get_data(as_text=True),
        staff.get(f"/staff/updates/{update_id}/edit").get_data(as_text=True),
        staff.get("/staff/dashboard").get_data(as_text=True),
        client.get("/you-said-we-did").get_data(as_text=True),
        client.get(f"/you-said-we-did/{slug}").get_data(as_text=True),
        client.get(f"/you-said-we-did/{slug}?version=easy-read").get_data(as_text=True),
    ]
    for page in pages:
        assert payload not in page
        # Escaped text such as "&lt;img onerror=..." is inert; a raw tag is not.
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "<svg/onload" not in page and "<a href=javascript" not in page
        assert 'href="javascript' not in page
    feed = client.get("/you-said-we-did/feed.atom").get_data(as_text=True)
    assert "<script" not in feed and "<img" not in feed and "<svg" not in feed
    listing = client.get("/you-said-we-did.json").get_data(as_text=True)
    assert "<" not in listing and ">" not in listing
