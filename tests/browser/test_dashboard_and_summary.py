"""The commissioner dashboard's charts and an engagement's results summary, on the living
demo in real Chromium: every chart has its table of numbers beside it, chart text is 12 px or
more and the page never scrolls sideways at 320 px, the summary comes before the per-question
detail with a contents list that leads to each question, and axe-core finds nothing at 320
and 1280 px. The governance report's charts (a file read offline) keep the same sizes."""

from __future__ import annotations

from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.inform.models import Engagement
from engage.reports import governance
from tests.browser.conftest import assert_accessible
from tests.browser.site_crawl import sign_in
from tests.helpers.browser import CHART_TEXT, OVERFLOW

DASHBOARD_CHARTS = (
    "Loop closure per commissioner",
    "Young people's own voice, per service",
    "Satisfaction per service, by quarter",
    "Felt listened to, per service, by quarter",
    "Actions by status",
)
# Each chart on show, and the caption of the first table after it.
CHARTS_AND_TABLES = """() => [...document.querySelectorAll('.engage-chart')].map(chart => {
  const svg = [...chart.querySelectorAll('svg')].find(s => s.getClientRects().length > 0);
  let next = chart.nextElementSibling;
  while (next && !next.querySelector('table')) next = next.nextElementSibling;
  const caption = next ? next.querySelector('caption') : null;
  return {title: svg.querySelector('title').textContent,
          table: caption ? caption.textContent.trim() : null,
          rows: next ? next.querySelectorAll('tbody tr').length : 0};
})"""


def _check_page(page, axe, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(path)
    assert response.status == 200, path
    found = page.evaluate(CHART_TEXT)
    assert found["problems"] == [], (path, width, found["problems"][:10])
    assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at {width} px"
    assert_accessible(page, axe)


def test_dashboard_charts_and_results_summary(page, axe, app, make_user, living_demo):
    with app.app_context():
        engagement_id = db.session.scalar(
            select(Engagement.id).where(Engagement.slug == "short-breaks-review")
        )
    sign_in(page, make_user, Role.COMMISSIONER)

    for width in (320, 1280):
        _check_page(page, axe, "/staff/dashboard", width)
        charts = page.evaluate(CHARTS_AND_TABLES)
        titles = [chart["title"] for chart in charts]
        assert titles == list(DASHBOARD_CHARTS), titles
        for chart in charts:
            # Beside each chart, a table of its numbers with a row for each bar or quarter.
            assert chart["table"] == f"{chart['title']}: the numbers", chart
            assert chart["rows"] >= 2, chart
        # The overdue part of the actions chart is drawn in red and said in words.
        actions = page.locator(".engage-chart svg:visible", has_text="Overdue").last
        assert actions.locator('path[fill="#d4351c"]').count() >= 1

    path = f"/staff/results/engagements/{engagement_id}"
    for width in (320, 1280):
        _check_page(page, axe, path, width)
        summary = page.locator("#summary")
        first_question = page.locator("[id^=question-]").first
        assert summary.bounding_box()["y"] < first_question.bounding_box()["y"]
        figures = page.locator("dl.govuk-summary-list").first
        assert "submitted responses" in figures.inner_text()
        assert "positive, of" in figures.inner_text()
        themes = page.get_by_role("table", name="Top themes, with the sentiment of what")
        assert themes.locator("tbody tr").count() == 5
        assert page.get_by_role("heading", name="Latest actions").is_visible()
    # The contents list is a navigation landmark; each question's link lands on its section.
    contents = page.get_by_role("navigation", name="Contents")
    links = contents.locator("a[href^='#question-']")
    assert links.count() >= 10
    last = links.last
    target = last.get_attribute("href")
    last.click()
    page.wait_for_function("hash => location.hash === hash", arg=target)
    assert page.locator(target).is_visible()
    assert page.locator(target).inner_text() in last.inner_text()

    with app.test_request_context():
        report = governance.build(governance.scope_for("short-breaks-review"), use_cache=False)
        html = governance.html_for(report)
    # Opened as a file, away from the site and its content security policy.
    page.goto("about:blank")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.set_content(html)
        found = page.evaluate(CHART_TEXT)
        assert found["charts"] == 3, found
        assert found["problems"] == [], (width, found["problems"][:10])
        assert page.evaluate(OVERFLOW) <= 0, f"the governance report scrolls sideways at {width}"
    assert page.outside_requests == []
