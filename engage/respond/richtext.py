"""Staff-written rich text for "You said, we did": the only HTML Engage ever renders, cleaned
with nh3 to a short allowlist. Respondents' words never come through here."""

from __future__ import annotations

import html as html_entities

import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean(html: str | None) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render(html: str | None) -> Markup:
    """Cleaned again at display time, so text saved before a rule change is still safe."""
    # nh3 has just removed every tag and attribute not on the allowlist.
    return Markup(clean(html))  # noqa: S704  # nosec B704


def plain(html: str | None) -> str:
    """Text only, for email subjects, feeds' titles and search."""
    return html_entities.unescape(nh3.clean(html or "", tags=set())).strip()
