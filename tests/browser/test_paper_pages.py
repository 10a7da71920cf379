"""The paper version and the poster in Chromium: axe-core clean on screen and as printed,
the reference on every page of the printed PDF, and the poster's QR code, as the browser shows
it, scans to the survey's address."""

from __future__ import annotations

import io
import os

import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from engage.ask.models import Survey
from engage.extensions import db
from engage.listen import paper
from tests.browser.conftest import assert_accessible

EASY = "talking-help-at-school"
SHOTS = os.environ.get("ENGAGE_SCREENSHOTS")


def _reference(app) -> str:
    with app.app_context():
        return paper.reference(db.session.scalar(select(Survey).where(Survey.slug == EASY)))


def test_paper_version_prints_accessibly_with_the_reference_on_every_page(app, demo, page, axe):
    reference = _reference(app)
    for query in ("", "?size=large"):
        page.goto(f"/surveys/{EASY}/print{query}")
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            for width in (320, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                assert_accessible(page, axe)
                if SHOTS:
                    name = f"paper{query.replace('?size=', '-')}-{media}-{width}.png"
                    page.screenshot(path=f"{SHOTS}/{name}", full_page=True)
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        assert len(pdf.pages) >= 2
        for number, printed in enumerate(pdf.pages, start=1):
            words = printed.extract_text()
            assert f"Survey reference {reference}" in words, f"page {number}"
            assert f"Page {number} of {len(pdf.pages)}" in words
        # Nothing of the site's menus on paper.
        assert "Have your say" not in pdf.pages[0].extract_text()


def test_poster_qr_code_scans_to_the_survey(app, demo, page, axe, live_server):
    page.goto(f"/surveys/{EASY}/poster")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, axe)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/poster-{width}.png", full_page=True)
        shown = page.locator("img.engage-poster__qr").screenshot()
        (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shown)))
        assert found.text == f"{live_server}/surveys/{EASY}"
    short = page.locator(".engage-poster__link").inner_text()
    page.goto(short)
    assert page.url == f"{live_server}/surveys/{EASY}"
