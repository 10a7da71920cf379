"""Page weight of a public survey question page: HTML + CSS + JS, each gzip-compressed, against
the goal of 100 KB, and whether the page makes any third-party or render-blocking request.

    .venv/bin/python -m bench.page_weight [--goal-kb 100]

Starts the app in this process (Flask's test client) on a fresh SQLite database with the demo
surveys, starts the easy-read and the standard demo survey as a respondent would, fetches the
first question page of each and every stylesheet, script and image it references, and
compresses each response with gzip (level 6, what nginx and most servers use). Images are
reported apart: the goal counts HTML, CSS and JS. The last line is key=value pairs.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.common import EASY, STANDARD, app_for, csrf_token, fresh_database

GZIP_LEVEL = 6
# Static imports of an ES module: the browser fetches them before running it.
JS_IMPORT = re.compile(r"""\bimport\s+(?:[^'"]*?\bfrom\s+)?["']([^"']+)["']""")


@dataclass
class Reference:
    kind: str  # "css", "js" or "image"
    url: str
    blocking: bool  # must arrive before the page can be drawn


@dataclass
class Page:
    label: str
    url: str
    html: bytes
    references: list[Reference] = field(default_factory=list)


class _References(HTMLParser):
    """Stylesheets, scripts and images in a page, and which of them block rendering."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Reference] = []
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
        elif tag == "link" and "stylesheet" in (values.get("rel") or "").split():
            # A stylesheet blocks rendering unless its media never matches at load.
            media = (values.get("media") or "all").strip()
            self.found.append(
                Reference("css", values.get("href") or "", media in ("all", "screen"))
            )
        elif tag == "script" and values.get("src"):
            deferred = "defer" in values or "async" in values or values.get("type") == "module"
            self.found.append(Reference("js", values["src"] or "", self._in_head and not deferred))
        elif tag == "img" and values.get("src"):
            self.found.append(Reference("image", values["src"] or "", False))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False


def compressed(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL))


def first_question_page(client, slug: str, label: str) -> Page:
    start = client.get(f"/surveys/{slug}")
    assert start.status_code == 200, f"{slug}: start page {start.status_code}"
    begun = client.post(
        f"/surveys/{slug}/start", data={"csrf_token": csrf_token(start.get_data(as_text=True))}
    )
    assert begun.status_code in (302, 303), f"{slug}: start {begun.status_code}"
    url = urlsplit(begun.headers["Location"]).path
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    html = page.get_data()
    parser = _References()
    parser.feed(html.decode("utf-8"))
    return Page(label, url, html, parser.found)


def is_third_party(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) and parts.netloc not in ("", "localhost")


def measure(client, page: Page) -> dict[str, float]:
    totals = {"html": compressed(page.html), "css": 0, "js": 0, "image": 0}
    raw = {"html": len(page.html), "css": 0, "js": 0, "image": 0}
    print(f"\n{page.label}: {page.url}")
    html_kb, html_gz_kb = raw["html"] / 1024, totals["html"] / 1024
    print(f"  {'html':<6} {page.url:<52} {html_kb:7.1f} KB {html_gz_kb:6.1f} KB gz")
    third_party = blocking_third_party = blocking = 0
    seen: set[str] = set()
    queue = [(ref, page.url) for ref in page.references]
    while queue:
        ref, base = queue.pop(0)
        url = urljoin(base, ref.url)
        if url in seen:
            continue
        seen.add(url)
        if is_third_party(url):
            third_party += 1
            blocking_third_party += ref.blocking
            print(f"  {ref.kind:<6} {url:<52} THIRD PARTY (not fetched)")
            continue
        reply = client.get(url)
        body = reply.get_data()
        size = compressed(body)
        totals[ref.kind] += size
        raw[ref.kind] += len(body)
        blocking += ref.blocking
        note = " render-blocking" if ref.blocking else ""
        status = "" if reply.status_code == 200 else f" (status {reply.status_code})"
        print(
            f"  {ref.kind:<6} {url:<52} {len(body) / 1024:7.1f} KB {size / 1024:6.1f} KB gz"
            f"{note}{status}"
        )
        if ref.kind == "js":
            imports = JS_IMPORT.findall(body.decode("utf-8", "replace"))
            queue += [(Reference("js", found, ref.blocking), url) for found in imports]
    page_kb = (totals["html"] + totals["css"] + totals["js"]) / 1024
    print(
        f"  HTML + CSS + JS: {page_kb:.1f} KB compressed "
        f"({(raw['html'] + raw['css'] + raw['js']) / 1024:.1f} KB raw); images apart: "
        f"{totals['image'] / 1024:.1f} KB compressed"
    )
    print(
        f"  third-party requests: {third_party} (render-blocking: {blocking_third_party}); "
        f"own render-blocking requests: {blocking}"
    )
    return {
        "kb": page_kb,
        "image_kb": totals["image"] / 1024,
        "third_party": third_party,
        "blocking_third_party": blocking_third_party,
        "blocking_own": blocking,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--goal-kb", type=float, default=100.0)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="engage-weight-") as tmp,
        fresh_database(Path(tmp), demo=True) as db,
    ):
        app = app_for(db)
        if not (Path(app.static_folder) / "build" / "engage.css").exists():
            print("engage/static/build/engage.css is missing: run `make assets` first")
            return 1
        figures = {}
        for label, slug in (("easy read", EASY), ("standard", STANDARD)):
            client = app.test_client()
            figures[label] = measure(client, first_question_page(client, slug, label))
        from engage.extensions import db as sqla

        with app.app_context():
            sqla.engine.dispose()
    worst = max(f["kb"] for f in figures.values())
    third = sum(int(f["third_party"]) for f in figures.values())
    blocking_third = sum(int(f["blocking_third_party"]) for f in figures.values())
    verdict = "met" if worst <= args.goal_kb and third == 0 else "missed"
    easy, standard = figures["easy read"]["kb"], figures["standard"]["kb"]
    print(
        f"easy_read_kb={easy:.1f} standard_kb={standard:.1f} "
        f"worst_kb={worst:.1f} goal_kb={args.goal_kb:.0f} images_kb="
        f"{max(f['image_kb'] for f in figures.values()):.1f} third_party={third} "
        f"render_blocking_third_party={blocking_third} goal={verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
