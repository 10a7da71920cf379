"""Reflow (WCAG 2.1 SC 1.4.10) and resize text (SC 1.4.4): at 320 CSS px wide, and at 200%
zoom of a 1280 px screen, no page scrolls sideways and no control is pushed off screen.

Chromium's deviceScaleFactor only sharpens pixels; it is not zoom. Zooming a 1280 x 800
window to 200% leaves 640 x 400 CSS px for the layout, so that is the viewport used here."""

from __future__ import annotations

from tests.browser.site_crawl import crawl_site
from tests.helpers.browser import NARROW, reflow_problems

ZOOMED = {"width": 640, "height": 400}
DESKTOP = {"width": 1280, "height": 800}
MAX_PAGES = 20


def test_no_page_scrolls_sideways_at_320px_or_200_percent_zoom(
    app, demo, page, make_user, live_server
):
    problems: list[str] = []

    def check(browser_page, crawled) -> None:
        for name, size in (("320 px wide", NARROW), ("200% zoom", ZOOMED)):
            browser_page.set_viewport_size(size)
            problems.extend(
                reflow_problems(browser_page, f"{crawled.path} [{crawled.role}] {name}")
            )
        browser_page.set_viewport_size(DESKTOP)

    crawl = crawl_site(app, page, make_user, live_server, limit=MAX_PAGES, visit=check)
    assert len(crawl.pages) >= 5
    assert problems == [], "Reflow problems:\n  " + "\n  ".join(problems)


def test_the_check_catches_a_page_that_scrolls_sideways(page):
    page.goto("/")
    page.set_viewport_size(NARROW)
    assert reflow_problems(page, "/") == []
    page.evaluate(
        """() => {
          const wide = document.createElement('a');
          wide.href = '#'; wide.textContent = 'wide';
          wide.style.display = 'inline-block'; wide.style.width = '900px';
          document.querySelector('main').appendChild(wide);
        }"""
    )
    problems = reflow_problems(page, "/")
    assert any("scrolls sideways" in problem for problem in problems)
    assert any('off screen: a "wide"' in problem for problem in problems)
