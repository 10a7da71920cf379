"""The accessibility statement (with the date of the last automated audit) and the display
preferences, which last for the visit in the session cookie only."""

from __future__ import annotations

import json
from datetime import date

import pytest

from engage.inform.accessibility import AUDIT_FILE, last_audit, long_date


@pytest.fixture
def wired(app):
    """The preferences page and the statement's audit date need the inform blueprint wired."""
    if "inform.preferences" not in app.view_functions:
        pytest.fail(
            "the preferences page is not registered: call accessibility.register(bp) in "
            "engage/inform/views.py"
        )


def test_last_audit_reads_the_record_the_crawl_writes(tmp_path):
    record = tmp_path / "audit.json"
    record.write_text(
        json.dumps(
            {
                "date": "2026-11-20",
                "page_count": 42,
                "violations": 0,
                "tools": {"axe-core": "4.14.1", "chromium": "156.0", "vnu-jar": None},
                "pages": [],
            }
        )
    )
    audit = last_audit(record)
    assert audit.day == date(2026, 11, 20)
    assert audit.date_text == "20 November 2026"
    assert audit.page_count == 42
    assert audit.tools == {"axe-core": "4.14.1", "chromium": "156.0"}


@pytest.mark.parametrize("content", [None, "not json", '{"pages": []}', '{"date": "soon"}'])
def test_no_audit_or_an_unreadable_one_is_none(tmp_path, content):
    record = tmp_path / "audit.json"
    if content is not None:
        record.write_text(content)
    assert last_audit(record) is None


def test_statement_has_the_sections_the_regulations_expect(client):
    page = client.get("/accessibility").get_data(as_text=True)
    for heading in (
        "Accessibility statement for Engage",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Equality Advisory and Support Service (EASS)",
        "Compliance status",
        "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2",
        "Non-accessible content",
        "Disproportionate burden",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "OpenMoji" in page and "CC BY-SA 4.0" in page
    assert "GOV.UK Frontend design system (MIT licence)" in page


def test_statement_gives_the_date_and_tools_of_the_last_audit(wired, client):
    audit = last_audit()
    assert audit is not None, f"{AUDIT_FILE} is missing: run the crawl with ENGAGE_WRITE_AUDIT=1"
    page = client.get("/accessibility").get_data(as_text=True)
    assert f"This service was last tested on {long_date(audit.day)}." in page
    assert f"axe-core {audit.tools['axe-core']}" in page


def test_preferences_page_is_public_and_shows_the_choices(wired, client):
    response = client.get("/preferences")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Larger text" in page and "High contrast" in page


def test_chosen_preferences_put_classes_on_every_page(wired, client):
    response = client.post("/preferences", data={"preferences": ["larger_text", "high_contrast"]})
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "engage-text-larger" in page and "engage-high-contrast" in page
    client.post("/preferences", data={})
    page = client.get("/").get_data(as_text=True)
    assert "engage-text-larger" not in page and "engage-high-contrast" not in page


def test_preferences_last_only_for_the_visit(wired, client):
    response = client.post("/preferences", data={"preferences": ["larger_text"]})
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1, cookies
    # A session cookie: no expiry date, so the browser forgets it when it closes.
    assert "expires=" not in cookies[0].lower() and "max-age" not in cookies[0].lower()


def test_saving_returns_to_the_page_the_visitor_came_from(wired, client):
    data = {"preferences": ["larger_text"], "next": "/privacy"}
    response = client.post("/preferences", data=data)
    assert response.headers["Location"].endswith("/privacy")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "privacy"])
def test_saving_never_redirects_off_the_site(wired, client, target):
    response = client.post("/preferences", data={"preferences": ["larger_text"], "next": target})
    assert response.headers["Location"].endswith("/preferences")


def test_an_unknown_preference_is_refused(wired, client):
    response = client.post("/preferences", data={"preferences": ["dark_mode"]})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert "engage-" not in client.get("/").get_data(as_text=True).split("<body")[1][:80]


def test_saving_needs_the_csrf_token(wired, csrf_client):
    response = csrf_client.post("/preferences", data={"preferences": ["larger_text"]})
    assert response.status_code == 400
