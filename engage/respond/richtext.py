"""Staff-written rich text for "You said, we did": the only HTML Engage ever renders, cleaned
with nh3 to a short allowlist. Respondents' words never come through here."""

from __future__ import annotations

import html as html_entities
import re

import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Text with no tag at all came from the plain box (no JavaScript): its blank lines are
# paragraphs and its lines starting "- " or "* " a list.
ELEMENTS = (
    "a|abbr|article|b|blockquote|br|button|code|div|em|embed|font|footer|form|h[1-6]|header|hr|"
    "i|iframe|img|input|li|link|meta|nav|object|ol|p|pre|s|script|section|span|strong|style|"
    "sub|sup|svg|table|tbody|td|th|thead|tr|u|ul"
)
TAG = re.compile(rf"</?(?:{ELEMENTS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
LIST_ITEM = re.compile(r"^\s*[-*]\s+")


def clean(html: str | None) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def from_form(text: str | None) -> str:
    """What a staff member wrote, as clean HTML: the editor's HTML, simple HTML typed into
    the box, or plain text with paragraphs and lists."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or TAG.search(text):
        # Empty paragraphs (Enter pressed twice in the editor) would only add space.
        return EMPTY_PARAGRAPH.sub("", clean(text))
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and all(LIST_ITEM.match(line) for line in lines):
            items = "".join(
                f"<li>{html_entities.escape(LIST_ITEM.sub('', line))}</li>" for line in lines
            )
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append(f"<p>{html_entities.escape(' '.join(lines))}</p>")
    return clean("".join(blocks))


def render(html: str | None) -> Markup:
    """Cleaned again at display time, so text saved before a rule change is still safe."""
    # nh3 has just removed every tag and attribute not on the allowlist.
    return Markup(clean(html))  # noqa: S704  # nosec B704


def plain(html: str | None) -> str:
    """Text only, for email subjects, feeds' titles and search."""
    return html_entities.unescape(nh3.clean(html or "", tags=set())).strip()
