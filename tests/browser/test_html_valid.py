"""The Nu Html Checker (vnu-jar from npm, run with the machine's Java) on the HTML the server
sends for every page of the crawl, in one batch: 0 errors. Valid markup is what assistive
technology relies on (WCAG 2.0 SC 4.1.1 in spirit, and GOV.UK's own practice)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.site_crawl import crawl_site

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _missing(what: str):
    # In CI a missing checker is a failure, never a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must install it")
    pytest.skip(reason=f"{what} is not installed")


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        _missing("Java (for the Nu Html Checker)")
    if not VNU.exists():
        _missing(f"the Nu Html Checker ({VNU}); run `npm ci`")
    return [java, "-Xss8m", "-jar", str(VNU)]


def check_html(vnu: list[str], files: list[Path]) -> list[dict]:
    """Errors reported by the checker for the files, in one run of the JVM."""
    result = subprocess.run(  # noqa: S603 - fixed command, files we wrote
        [*vnu, "--errors-only", "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # The checker writes its report to stderr.
    try:
        report = json.loads(result.stderr or "{}")
    except json.JSONDecodeError:
        pytest.fail(f"the Nu Html Checker did not answer in JSON: {result.stderr[:2000]}")
    return [message for message in report.get("messages", []) if message.get("type") == "error"]


def describe(errors: list[dict], names: dict[str, str]) -> str:
    lines = [f"Nu Html Checker found {len(errors)} error(s):"]
    for error in errors:
        file_name = Path(unquote(urlsplit(error.get("url", "")).path)).name
        where = names.get(file_name, file_name)
        extract = " ".join(error.get("extract", "").split())[:120]
        lines.append(
            f"  {where} line {error.get('lastLine', '?')}: {error['message']}  «{extract}»"
        )
    return "\n".join(lines)


def test_every_reachable_page_is_valid_html(app, demo, page, make_user, live_server, vnu, tmp_path):
    crawl = crawl_site(app, page, make_user, live_server)
    files, names = [], {}
    for number, crawled in enumerate(crawl.pages):
        name = f"page-{number:03d}.html"
        (tmp_path / name).write_text(crawled.html, encoding="utf-8")
        files.append(tmp_path / name)
        names[name] = f"{crawled.path} [{crawled.role}]"
    assert len(files) >= 5, f"the crawl found too little to check: {names}"
    errors = check_html(vnu, files)
    assert errors == [], describe(errors, names)


def test_the_checker_fails_on_invalid_html(vnu, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        '<body><main><p id="a">one</p><p id="a">two</p></main></body></html>',
        encoding="utf-8",
    )
    errors = check_html(vnu, [broken])
    assert any("Duplicate ID" in error["message"] for error in errors), errors
