"""What the real-browser tests share: signing in through the form, and the scripts that
measure a page in Chromium (charts' text, sideways scrolling, controls off screen)."""

from __future__ import annotations

from engage.accounts.models import Role
from tests.helpers.staff import PASSWORD


def sign_in(page, make_user, role: Role = Role.COMMISSIONER) -> None:
    """Sign in through the form as a new staff member with this role, to the staff home."""
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(make_user(role))
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("h1", has_text="Staff home").wait_for()


# Every drawn text of every chart on show: its size on screen (its font size in the SVG's own
# units times the SVG's scale) and whether it lies inside the chart's box.
CHART_TEXT = """() => {
  const problems = [];
  const shown = [...document.querySelectorAll('.engage-chart svg')]
    .filter(svg => svg.getClientRects().length > 0);
  const kinds = new Set();
  for (const svg of shown) {
    const box = svg.getBoundingClientRect();
    const title = svg.querySelector('title').textContent;
    if (svg.querySelector('path[d*="L"]') && svg.querySelectorAll('use').length) kinds.add('marks');
    for (const text of svg.querySelectorAll('text')) {
      const words = text.textContent.trim();
      if (!words) continue;
      const ctm = text.getScreenCTM();
      const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
      if (size < 11.95) problems.push(`${title}: "${words}" is ${size.toFixed(1)} px`);
      const r = text.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1) {
        problems.push(`${title}: "${words}" is cut off`);
      }
    }
  }
  return {charts: shown.length, problems};
}"""
OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"

NARROW = {"width": 320, "height": 640}

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
