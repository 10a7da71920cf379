"""axe-core in real Chromium on the improve, respond and dashboard pages."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from engage.extensions import db
from engage.improve.models import ActionStatus
from tests.browser.conftest import assert_accessible
from tests.helpers.browser import sign_in
from tests.improve import factories


@pytest.fixture
def published(app):
    with app.app_context():
        nhs = factories.organisation("NHS Northmoor")
        therapy = factories.service(nhs, "Speech therapy")
        talk = factories.engagement([therapy], "Talking help", closes_on=date(2026, 5, 1))
        waits = factories.theme("Waiting times")
        survey = factories.survey(talk, "Talking survey")
        said = factories.response(survey, text="<b>Waited</b> ages", receipt_code="ABCD-EFGH-JKMN")
        factories.code(said, waits)
        factories.theme("Buildings")
        late = factories.action(
            owner=nhs,
            themes=[waits],
            service_=therapy,
            engagement_=talk,
            title="We will publish waiting times",
            status=ActionStatus.IN_PROGRESS,
            due_on=date(2020, 1, 1),
        )
        factories.update(
            talk,
            waits,
            title="Shorter waits",
            published_at=datetime(2026, 5, 20, tzinfo=UTC),
            actions=[late],
            we_did="<ul><li>We hired <strong>two</strong> therapists.</li></ul>"
            '<p><a href="https://example.org/plan">Read the plan</a></p>',
        )
        db.session.commit()
        return late.id


def test_public_pages_have_no_axe_violations(page, axe, published):
    for path in (
        "/you-said-we-did",
        "/you-said-we-did/shorter-waits?version=standard",
        "/you-said-we-did/shorter-waits?version=easy-read",
        "/receipt",
    ):
        assert page.goto(path).status == 200
        assert page.locator("h1").count() == 1
        assert_accessible(page, axe)
    page.get_by_label("Receipt code").fill("abcd-efgh-jkmn")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("main")).to_contain_text("Shorter waits")
    assert_accessible(page, axe)
    page.goto("/receipt")
    page.get_by_label("Receipt code").fill("nope")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, axe)
    assert page.outside_requests == []


def test_staff_pages_have_no_axe_violations(page, axe, published, make_user):
    sign_in(page, make_user)
    for path in (
        "/staff/actions/",
        "/staff/actions/?status=overdue",
        "/staff/actions/new",
        f"/staff/actions/{published}",
        "/staff/updates",
        "/staff/updates/new",
        "/staff/dashboard",
    ):
        assert page.goto(path).status == 200, path
        assert_accessible(page, axe)
    page.goto("/staff/actions/new")
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, axe)
    assert page.outside_requests == []


def _scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def test_pages_reflow_at_320_px(page, published, make_user):
    # WCAG 2.2 SC 1.4.10: no sideways scrolling at 320 CSS px (wide tables scroll in a box).
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for path in (
        "/you-said-we-did",
        "/you-said-we-did/shorter-waits?version=standard",
        "/you-said-we-did/shorter-waits?version=easy-read",
        "/receipt",
    ):
        page.goto(path)
        if _scrolls_sideways(page):
            wide.append(path)
    sign_in(page, make_user)
    for path in (
        "/staff/actions/",
        "/staff/actions/new",
        f"/staff/actions/{published}",
        "/staff/updates",
        "/staff/dashboard",
        "/staff/reports",
    ):
        page.goto(path)
        if _scrolls_sideways(page):
            wide.append(path)
    assert wide == []
