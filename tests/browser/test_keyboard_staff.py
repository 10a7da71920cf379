"""Staff sign-in with the keyboard alone (WCAG 2.1.1), focus always visible (2.4.7), the error
summary taking focus after a failed submit (GOV.UK Frontend's error summary), and no keyboard
trap (2.1.2)."""

from __future__ import annotations

from playwright.sync_api import expect

from engage.accounts.models import Role
from tests.conftest import PASSWORD

MAX_TABS = 60

# What the focused element is, and whether its focus indicator can be seen: GOV.UK Frontend
# draws focus with a yellow outline, a yellow background with a dark underline (box-shadow),
# or both; a transparent outline alone (kept for Windows high contrast mode) shows nothing.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const transparent = c => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && !transparent(style.outlineColor);
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = (element.labels && element.labels[0] ? element.labels[0].innerText
    : element.innerText || element.value || element.getAttribute('aria-label') || '').trim();
  return {
    tag: element.tagName.toLowerCase(), id: element.id, type: element.type || '',
    name: element.name || '', label: label.slice(0, 60),
    classes: element.className, visible: Boolean(outline || shadow),
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    shadow: style.boxShadow,
  };
}"""


def tab_to(page, matches, *, seen: list | None = None) -> dict:
    """Press Tab until the focused element matches, checking focus is visible at every stop."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if seen is not None:
            seen.append(focused)
        assert focused["visible"], f"focus is not visible on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the element after {MAX_TABS} presses")


def test_staff_sign_in_with_the_keyboard_alone(app, page, make_user):
    email = make_user(Role.COMMISSIONER)
    page.goto("/staff/sign-in")
    tab_to(page, lambda f: f["tag"] == "input" and f["type"] == "email" or f["name"] == "email")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["type"] == "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Staff home")


def test_error_summary_takes_focus_and_links_to_the_field(app, page, make_user):
    page.goto("/staff/sign-in")
    tab_to(page, lambda f: f["tag"] == "button" and "Sign in" in f["label"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The summary is in the HTML at once; focus moves when GOV.UK Frontend initialises it.
    page.locator(".govuk-error-summary[data-govuk-error-summary-init]").wait_for()
    assert page.title().startswith("Error:")
    # GOV.UK Frontend moves focus to the summary so screen readers announce the errors.
    assert page.evaluate(
        "document.activeElement === document.querySelector('.govuk-error-summary')"
    ), f"focus is on {page.evaluate(FOCUSED)}"
    first_error = tab_to(page, lambda f: f["tag"] == "a")
    assert "govuk-error-summary" in page.evaluate(
        "document.activeElement.closest('.govuk-error-summary') ? 'govuk-error-summary' : ''"
    ), first_error
    page.keyboard.press("Enter")
    focused = page.evaluate(FOCUSED)
    assert focused and focused["tag"] == "input", f"the error link moved focus to {focused}"
    # Typed after the error: the form still works from the keyboard.
    page.keyboard.type(make_user(Role.COMMISSIONER))
    tab_to(page, lambda f: f["type"] == "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Staff home")


def test_tab_reaches_every_control_and_leaves_the_page(app, page):
    # No keyboard trap: Tab walks through every control to the footer and back out of the
    # page, and Shift+Tab walks back.
    page.goto("/staff/sign-in")
    controls = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden])')]
            .filter(e => e.getClientRects().length).length"""
    )
    seen: list[dict] = []
    last_link = page.locator("footer a").last.inner_text()
    tab_to(page, lambda f: f["tag"] == "a" and f["label"] == last_link, seen=seen)
    assert len(seen) >= controls, f"Tab skipped controls: {len(seen)} of {controls}: {seen}"
    page.keyboard.press("Shift+Tab")
    back = page.evaluate(FOCUSED)
    assert back and back["label"] != last_link and back["visible"]


def test_the_check_catches_an_invisible_focus(app, page):
    page.goto("/staff/sign-in")
    # A stylesheet that hides every focus indicator must make the check fail.
    page.evaluate(
        """() => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync('*:focus { outline: none !important; box-shadow: none !important; }');
          document.adoptedStyleSheets = [sheet];
        }"""
    )
    try:
        tab_to(page, lambda f: f["type"] == "password")
    except AssertionError as error:
        assert "focus is not visible" in str(error)
    else:
        raise AssertionError("an invisible focus indicator was not caught")
