"""Reflow (WCAG 2.1 SC 1.4.10) and resize text (SC 1.4.4): at 320 CSS px wide, and at 200%
zoom of a 1280 px screen, no page scrolls sideways and no control is pushed off screen.

Chromium's deviceScaleFactor only sharpens pixels; it is not zoom. Zooming a 1280 x 800
window to 200% leaves 640 x 400 CSS px for the layout, so that is the viewport used here."""

from __future__ import annotations

from tests.browser.site_crawl import crawl_site

NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}
DESKTOP = {"width": 1280, "height": 800}
MAX_PAGES = 20

# Focusable controls that are rendered (display:none and hidden controls are not reachable).
OFF_SCREEN_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || element.closest('[hidden]')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // Inside a sideways-scrolling box (a wide data table's wrapper, which SC 1.4.10 allows)
    // focus scrolls the control into view.
    let scroller = element.parentElement;
    while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) {
      scroller = scroller.parentElement;
    }
    if (scroller && scroller !== document.documentElement && scroller !== document.body) continue;
    // GOV.UK radios and checkboxes hide the native input under a custom one; a 1px
    // visually-hidden element (skip link, hidden headings) is still on screen.
    const left = box.left + window.scrollX;
    if (left < -1 || left + box.width > width + 1) {
      const label = (element.innerText || element.value || element.name || element.id || '')
        .trim().slice(0, 40);
      problems.push(`${element.tagName.toLowerCase()} "${label}" at x=${Math.round(left)}..`
        + `${Math.round(left + box.width)} (viewport ${width})`);
    }
  }
  return problems;
}"""
# How wide the page is, and what sticks out: elements, or words too long to wrap (which are
# text, not elements, so they are measured with a Range).
SCROLLS_SIDEWAYS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const culprits = [];
  // The outermost element that sticks out (a wide table, say) comes first in document order.
  for (const element of document.body.querySelectorAll('*')) {
    if (culprits.length >= 2) break;
    const box = element.getBoundingClientRect();
    if (box.right + window.scrollX > width + 1 && box.width > 1
        && !culprits.some(c => c.element.contains(element))) {
      const name = element.id ? `#${element.id}` : `.${[...element.classList].join('.')}`;
      culprits.push({element, text: `${element.tagName.toLowerCase()}${name}`});
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode() && culprits.length < 4) {
    if (culprits.some(c => c.element.contains(walker.currentNode))) continue;
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const box of range.getClientRects()) {
      if (box.right + window.scrollX > width + 1) {
        const word = walker.currentNode.textContent.trim().split(/\\s+/)
          .sort((a, b) => b.length - a.length)[0];
        culprits.push({element: walker.currentNode, text: `text "${word.slice(0, 50)}"`});
        break;
      }
    }
  }
  return [root.scrollWidth, width, culprits.map(c => c.text).join(', ')];
}"""


def reflow_problems(page, label: str) -> list[str]:
    problems = []
    sideways = page.evaluate(SCROLLS_SIDEWAYS)
    if sideways:
        problems.append(
            f"{label}: scrolls sideways ({sideways[0]} px of content in {sideways[1]}): "
            f"{sideways[2]}"
        )
    problems += [
        f"{label}: off screen: {control}" for control in page.evaluate(OFF_SCREEN_CONTROLS)
    ]
    return problems


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
