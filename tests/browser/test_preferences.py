"""Larger text and high contrast, chosen on the preferences page, change every page for the
rest of the visit and keep it accessible; the device's reduce-motion setting is respected."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.helpers.browser import NARROW, reflow_problems

ROOT_FONT_SIZE = "() => getComputedStyle(document.documentElement).fontSize"


def choose(page, *labels: str) -> None:
    page.goto("/preferences?next=/privacy")
    for label in labels:
        page.get_by_label(label, exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()


def test_larger_text_and_high_contrast_last_for_the_visit(app, demo, page, axe):
    page.goto("/")
    assert page.evaluate(ROOT_FONT_SIZE) == "16px"
    choose(page, "Larger text", "High contrast")
    assert page.url.endswith("/privacy")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    for path in ("/", "/surveys/talking-help-at-school", "/privacy"):
        page.goto(path)
        classes = page.evaluate("document.body.className")
        assert "engage-text-larger" in classes and "engage-high-contrast" in classes
        assert page.evaluate(ROOT_FONT_SIZE) == "20px"
        text_colour = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
        assert text_colour == "rgb(0, 0, 0)"
        assert_accessible(page, axe)
        page.set_viewport_size(NARROW)
        assert reflow_problems(page, path) == []
        page.set_viewport_size({"width": 1280, "height": 800})


def test_choices_can_be_undone(app, page):
    choose(page, "Larger text")
    page.goto("/preferences")
    page.get_by_label("Larger text").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    page.goto("/")
    assert page.evaluate(ROOT_FONT_SIZE) == "16px"


def test_preferences_page_is_accessible(app, page, axe):
    page.goto("/preferences")
    assert_accessible(page, axe)
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, axe)


def test_reduce_motion_setting_stops_animation(app, page):
    moving = """() => {
      const box = document.createElement('div');
      box.style.transition = 'opacity 2s';
      box.style.animation = 'spin 3s infinite';
      document.querySelector('main').appendChild(box);
      const style = getComputedStyle(box);
      return [parseFloat(style.transitionDuration), parseFloat(style.animationDuration)];
    }"""
    page.goto("/")
    assert page.evaluate(moving) == [2, 3]
    page.emulate_media(reduced_motion="reduce")
    page.goto("/")
    transition, animation = page.evaluate(moving)
    assert transition < 0.001 and animation < 0.001
