"""Real-browser fixtures: the app on a live local server, Debian's Chromium through
Playwright (never a downloaded browser), and axe-core from node_modules."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers.html_checker import vnu_command

CHROMIUM = os.environ.get("ENGAGE_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs the Nu Html Checker (tests/helpers/html_checker.py)."""
    return vnu_command()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def _missing(what: str):
    # In CI a missing browser is a failure, never a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must install it")
    pytest.skip(reason=f"{what} is not installed")


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server)
    page = context.new_page()
    # Nothing may be fetched from anywhere but the app itself.
    page.outside_requests = []

    def _watch(request):
        if not request.url.startswith(live_server) and not request.url.startswith("data:"):
            page.outside_requests.append(request.url)

    page.on("request", _watch)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing(f"axe-core ({AXE}); run `npm ci`")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """Run axe-core on the page's current state; return the violations."""

    def _run(page) -> list[dict]:
        # Evaluated through the DevTools protocol, so the page's CSP does not need relaxing.
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        return page.evaluate(
            """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))""",
            WCAG_TAGS,
        )

    return _run


def assert_accessible(page, axe) -> None:
    violations = axe(page)
    assert violations == [], f"axe-core on {page.url}: {violations}"
