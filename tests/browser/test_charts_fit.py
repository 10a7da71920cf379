"""Charts on the living demo's staff pages, in real Chromium: at every width no chart text is
cut off (legends included) or smaller than 12 px, and the page never scrolls sideways at
320 px; the pages pass axe-core at 320 and 1280 px."""

from __future__ import annotations

from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.inform.models import Engagement, Service
from tests.browser.conftest import assert_accessible
from tests.browser.site_crawl import sign_in
from tests.helpers.browser import CHART_TEXT, OVERFLOW

WIDTHS = (320, 480, 560, 800, 1280)


def _ids(app) -> dict[str, int]:
    with app.app_context():
        return {
            "engagement": db.session.scalar(
                select(Engagement.id).where(Engagement.slug == "short-breaks-review")
            ),
            "service": db.session.scalar(select(Service.id).where(Service.slug == "short-breaks")),
        }


def _check_widths(page, axe, path: str, minimum_charts: int) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(path)
        assert response.status == 200, path
        found = page.evaluate(CHART_TEXT)
        assert found["charts"] >= minimum_charts, (path, width, found)
        assert found["problems"] == [], (path, width, found["problems"][:10])
        assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at {width} px"
        if width in (320, 1280):
            assert_accessible(page, axe)


def test_charts_fit_and_stay_readable_at_every_width(page, axe, app, make_user, living_demo):
    ids = _ids(app)
    sign_in(page, make_user, Role.COMMISSIONER)
    # Bars, stacked bars with a legend, columns over time (and per cent columns per month).
    _check_widths(page, axe, f"/staff/results/engagements/{ids['engagement']}", 10)
    _check_widths(page, axe, f"/staff/results/services/{ids['service']}", 3)
    assert page.outside_requests == []


def test_every_results_page_fits_320px(page, axe, app, make_user, living_demo):
    """The results index, each survey's results and its quotes, as a commissioner on a phone:
    nothing scrolls sideways (wide tables scroll in their own box) and charts stay readable."""
    from engage.ask.models import Survey

    with app.app_context():
        surveys = list(db.session.scalars(select(Survey.id).order_by(Survey.id)))
    sign_in(page, make_user, Role.COMMISSIONER)
    page.set_viewport_size({"width": 320, "height": 900})
    paths = ["/staff/results"]
    for survey_id in surveys:
        paths += [
            f"/staff/results/surveys/{survey_id}",
            f"/staff/results/surveys/{survey_id}/quotes",
        ]
    charts = 0
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 320 px"
        found = page.evaluate(CHART_TEXT)
        assert found["problems"] == [], (path, found["problems"][:10])
        charts += found["charts"]
    assert len(surveys) >= 4 and charts >= 4
    page.goto(f"/staff/results/surveys/{surveys[0]}")
    assert_accessible(page, axe)
