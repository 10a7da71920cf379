"""The Atom feed and JSON list of published updates. XML is built with ElementTree, which
escapes every text node, and the JSON escapes <, > and & so it is inert if ever inlined."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from xml.etree import ElementTree

from engage.improve.models import STATUS_LABELS
from engage.respond import richtext
from engage.respond.models import Update

ATOM = "http://www.w3.org/2005/Atom"


def _iso(moment: datetime | None) -> str:
    return (moment or datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC).isoformat()


def atom(
    updates: list[Update],
    *,
    title: str,
    feed_url: str,
    index_url: str,
    page_url: Callable[[Update], str],
) -> bytes:
    # The namespace is written as a plain xmlns attribute: ElementTree.register_namespace is
    # process-wide and would rename the SVG namespace of the charts.
    feed = ElementTree.Element("feed", xmlns=ATOM)
    ElementTree.SubElement(feed, "title").text = title
    ElementTree.SubElement(feed, "id").text = feed_url
    ElementTree.SubElement(feed, "link", rel="self", href=feed_url)
    ElementTree.SubElement(feed, "link", rel="alternate", href=index_url)
    ElementTree.SubElement(feed, "updated").text = _iso(
        max((u.changed_at for u in updates if u.changed_at), default=None)
    )
    for update in updates:
        url = page_url(update)
        entry = ElementTree.SubElement(feed, "entry")
        ElementTree.SubElement(entry, "title").text = update.title
        ElementTree.SubElement(entry, "id").text = url
        ElementTree.SubElement(entry, "link", rel="alternate", href=url)
        ElementTree.SubElement(entry, "updated").text = _iso(update.changed_at)
        ElementTree.SubElement(entry, "published").text = _iso(update.published_at)
        author = ElementTree.SubElement(entry, "author")
        ElementTree.SubElement(author, "name").text = update.engagement.title
        # type="html": the cleaned HTML travels as escaped text, as RFC 4287 §3.1.1.2 asks.
        content = ElementTree.SubElement(entry, "content", type="html")
        content.text = (
            "<h2>You said</h2>"
            + richtext.clean(update.you_said)
            + "<h2>We did</h2>"
            + richtext.clean(update.we_did)
        )
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def as_dicts(updates: list[Update], page_url: Callable[[Update], str]) -> list[dict]:
    return [
        {
            "slug": update.slug,
            "title": update.title,
            "url": page_url(update),
            "engagement": {"slug": update.engagement.slug, "title": update.engagement.title},
            "published_at": _iso(update.published_at),
            "updated_at": _iso(update.changed_at),
            "you_said_html": richtext.clean(update.you_said),
            "we_did_html": richtext.clean(update.we_did),
            "easy_read_you_said_html": richtext.clean(update.easy_read_you_said),
            "easy_read_we_did_html": richtext.clean(update.easy_read_we_did),
            "actions": [
                {
                    "title": action.title,
                    "status": action.status.value,
                    "status_label": STATUS_LABELS[action.status],
                    "due_on": action.due_on.isoformat() if action.due_on else None,
                }
                for action in update.actions
            ],
        }
        for update in updates
    ]


def json_text(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
