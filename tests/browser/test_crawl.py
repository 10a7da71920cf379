"""axe-core (WCAG 2.0, 2.1 and 2.2 A and AA) on every page a visitor, a commissioner and an
admin can reach by following links, found by crawling so that new pages are covered as they
land. With ENGAGE_WRITE_AUDIT=1 the run is recorded in docs/accessibility-audit.json, which
the accessibility statement reads for the date of the last audit."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from tests.browser.conftest import AXE, WCAG_TAGS
from tests.browser.site_crawl import MISSING_PAGE, crawl_site

REPO = Path(__file__).resolve().parents[2]
AUDIT_FILE = REPO / "docs" / "accessibility-audit.json"
VNU_PACKAGE = REPO / "node_modules" / "vnu-jar" / "package.json"


def _package_version(path: Path) -> str | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def describe(found: list[tuple[str, str, dict]]) -> str:
    lines = [f"axe-core found {len(found)} violation(s):"]
    for path, role, violation in found:
        nodes = "; ".join(violation["nodes"]) or "(page)"
        lines.append(
            f"  {path} [{role}] {violation['id']} ({violation['impact']}): "
            f"{violation['help']} — {nodes}"
        )
    return "\n".join(lines)


def write_audit(crawl, browser_version: str, found) -> None:
    counts: dict[tuple[str, str], int] = {}
    for path, role, _violation in found:
        counts[(path, role)] = counts.get((path, role), 0) + 1
    record = {
        "date": datetime.now(UTC).date().isoformat(),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "standard": "WCAG 2.2 level AA",
        "axe_tags": WCAG_TAGS,
        "tools": {
            "axe-core": _package_version(AXE.parent / "package.json"),
            "chromium": browser_version,
            "playwright": version("playwright"),
            "vnu-jar": _package_version(VNU_PACKAGE),
            "python": sys.version.split()[0],
        },
        "page_count": len(crawl.pages),
        "truncated": crawl.truncated,
        "violations": len(found),
        "pages": [
            {
                "path": crawled.path,
                "as": crawled.role,
                "status": crawled.status,
                "violations": counts.get((crawled.path, crawled.role), 0),
            }
            for crawled in crawl.pages
        ],
    }
    AUDIT_FILE.parent.mkdir(exist_ok=True)
    AUDIT_FILE.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def test_every_reachable_page_has_no_axe_violations(app, demo, page, axe, make_user, live_server):
    found: list[tuple[str, str, dict]] = []

    def audit(browser_page, crawled) -> None:
        for violation in axe(browser_page):
            found.append((crawled.path, crawled.role, violation))

    crawl = crawl_site(app, page, make_user, live_server, visit=audit)
    if os.environ.get("ENGAGE_WRITE_AUDIT") == "1":
        write_audit(crawl, page.context.browser.version, found)

    paths = {crawled.path for crawled in crawl.pages}
    roles = {crawled.role for crawled in crawl.pages}
    # The crawl must really have found the site, or a passing run would prove nothing.
    assert {"/", "/accessibility", "/privacy", "/staff/sign-in", MISSING_PAGE} <= paths
    assert any(path.startswith("/surveys/") for path in paths)
    assert {"public", "commissioner", "admin"} <= roles
    assert found == [], describe(found)
    assert crawl.broken == [], "Broken links:\n  " + "\n  ".join(crawl.broken)
    assert page.outside_requests == [], f"requests outside the app: {page.outside_requests}"


def test_the_audit_fails_on_a_real_violation(app, demo, page, axe, make_user, live_server):
    # A page with a violation must fail the crawl and be named: break one and look.
    found = []

    def audit(browser_page, crawled) -> None:
        if crawled.path == "/privacy":
            browser_page.evaluate(
                "document.querySelector('main').appendChild(document.createElement('img'))"
            )
            # A file the page needs that the server cannot find.
            browser_page.evaluate("fetch('/static/missing.css').then(response => response.status)")
        found.extend((crawled.path, crawled.role, v) for v in axe(browser_page))

    crawl = crawl_site(app, page, make_user, live_server, limit=6, visit=audit, staff_roles=())
    message = describe(found)
    assert "/privacy [public] image-alt" in message
    assert any("/static/missing.css answered 404, on /privacy" in line for line in crawl.broken)
