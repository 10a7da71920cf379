"""The Nu Html Checker (vnu-jar from npm, run with the machine's Java) on the HTML the server
sends for every page of the crawl, in one batch: 0 errors. Valid markup is what assistive
technology relies on (WCAG 2.0 SC 4.1.1 in spirit, and GOV.UK's own practice)."""

from __future__ import annotations

from tests.browser.site_crawl import crawl_site
from tests.helpers.html_checker import check_html, describe


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
