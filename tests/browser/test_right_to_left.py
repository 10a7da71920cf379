"""Arabic and Urdu pages in Chromium at phone and desktop widths: the page runs right to left,
radio and checkbox markers sit on the right over their inputs, the back link points right,
the error bar, progress text and feelings faces mirror; an error message, save and resume,
the receipt are in the language and the response stored with it; axe-core finds nothing."""

from __future__ import annotations

import os
import re

from playwright.sync_api import expect
from sqlalchemy import select

from engage.extensions import db
from engage.listen.models import Response
from tests.browser.conftest import assert_accessible
from tests.helpers.html_checker import check_html, describe

SHOTS = os.environ.get("ENGAGE_SCREENSHOTS")
EASY = "talking-help-at-school"
STANDARD = "local-offer-and-sen-support"
WIDTHS = (320, 1280)

# Where the drawn marker (::before) of each option is, beside the real (transparent) input.
MARKERS = """selector => [...document.querySelectorAll(selector)].map(item => {
    const input = item.querySelector('input').getBoundingClientRect();
    const label = item.querySelector('label');
    const text = label.getBoundingClientRect();
    const marker = getComputedStyle(label, '::before');
    const box = item.getBoundingClientRect();
    const left = box.left + parseFloat(marker.left);
    return {input: [input.left, input.right], text: [text.left, text.right],
            marker: [left, left + parseFloat(marker.width)]};
})"""

BACK_LINK = """() => {
    const link = document.querySelector('.govuk-back-link');
    const box = link.getBoundingClientRect();
    const chevron = getComputedStyle(link, '::before');
    return {width: box.width, chevronLeft: parseFloat(chevron.left),
            transform: chevron.transform};
}"""

# Each English text's first letter is drawn left of its last ("survey?" not "?survey").
ENGLISH_READS_LEFT_TO_RIGHT = """() => [...document.querySelectorAll('main [lang=en]')]
    .filter(e => e.textContent.trim().length > 1).every(e => {
        const text = [...e.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
        if (!text) return true;
        const value = text.textContent, first = value.search(/\\S/);
        const last = value.trimEnd().length - 1, range = document.createRange();
        range.setStart(text, first); range.setEnd(text, first + 1);
        const a = range.getBoundingClientRect();
        range.setStart(text, last); range.setEnd(text, last + 1);
        const b = range.getBoundingClientRect();
        return a.top < b.top - 1 || (Math.abs(a.top - b.top) <= 1 && a.left < b.left);
    })"""


# Each language name's separator (drawn at its inline end) shows only when another name follows
# on the same line; returns the number of lines, or 0 when a separator is wrong.
SEPARATORS = """() => {
    const nav = document.querySelector('.engage-language-switcher').getBoundingClientRect();
    const items = [...document.querySelectorAll('.engage-language-switcher__item')];
    const boxes = items.map(item => item.getBoundingClientRect());
    const rtl = getComputedStyle(items[0]).direction === 'rtl';
    const right = boxes.every((box, i) => {
        const shown = rtl ? box.left >= nav.left - 0.5 : box.right <= nav.right + 0.5;
        const next = boxes[i + 1];
        return shown === Boolean(next && Math.abs(next.top - box.top) < 2);
    });
    return right ? new Set(boxes.map(box => Math.round(box.top))).size : 0;
}"""


def check_page(page, axe, name: str, sent: dict[str, str] | None = None) -> None:
    if sent is not None:
        # What the server sent, for the Nu Html Checker (before scripts change the page).
        sent[name] = page.evaluate(
            "() => fetch(location.href, {credentials: 'same-origin'}).then(r => r.text())"
        )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        assert_accessible(page, axe)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/rtl-{name}-{width}.png", full_page=True)


def assert_markers_on_the_right(page, selector: str) -> None:
    options = page.evaluate(MARKERS, selector)
    assert options
    for option in options:
        # The marker is drawn over its input, and both are to the right of the words.
        assert option["input"][0] - 1 <= option["marker"][0] < option["input"][1], option
        assert option["text"][1] <= option["input"][0] + 1, option


def test_arabic_survey_journey_runs_right_to_left(app, demo, page, axe, vnu, tmp_path):
    sent: dict[str, str] = {}
    page.goto(f"/surveys/{STANDARD}?lang=ar")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    check_page(page, axe, "start")
    page.get_by_role("button", name="ابدأ الآن").click()

    # A radio question: markers right, back link pointing right, progress at the right.
    expect(page.locator(".engage-progress")).to_contain_text("السؤال 1 من")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_markers_on_the_right(page, ".govuk-radios__item")
        back = page.evaluate(BACK_LINK)
        assert back["chevronLeft"] > back["width"] / 2, back
        # rotate(45deg), pointing right, where left to right it is rotate(225deg).
        assert back["transform"].startswith("matrix(0.707"), back
        progress = page.locator(".engage-progress").bounding_box()
        form = page.locator(".engage-question-form").bounding_box()
        assert abs((progress["x"] + progress["width"]) - (form["x"] + form["width"])) < 2
    # Any English still shown (a text not yet translated) runs left to right inside the page.
    assert page.evaluate(ENGLISH_READS_LEFT_TO_RIGHT), "English text shown right to left"
    check_page(page, axe, "radios")

    page.get_by_label("A parent or carer").check()
    page.get_by_role("button", name="متابعة").click()
    # Every question in turn: yes to the Local Offer, the first answer on the agree scale.
    for key in ("used_local_offer", "found_information"):
        expect(page).to_have_url(re.compile(f"/questions/{key}$"))
        page.locator(".govuk-radios__input").first.check()
        page.get_by_role("button", name="متابعة").click()
    expect(page).to_have_url(re.compile("/questions/looked_for$"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_markers_on_the_right(page, ".govuk-checkboxes__item")
    check_page(page, axe, "checkboxes")

    # Save, leave (the visit forgotten), and carry on from the survey's link in Arabic.
    page.locator(".govuk-checkboxes__input").first.check()
    page.get_by_role("button", name="احفظ وعُد لاحقًا").click()
    expect(page.locator("h1")).to_have_text("إجاباتك محفوظة")
    code = page.locator(".engage-resume-code").inner_text().strip()
    check_page(page, axe, "saved", sent)
    page.context.clear_cookies()
    page.goto(f"/surveys/{STANDARD}?lang=ar")
    page.get_by_role("link", name="لديّ رمز لأتابع من حيث توقفت").click()
    expect(page.locator("h1")).to_have_text("تابع إجاباتك")
    check_page(page, axe, "resume", sent)
    page.get_by_label("تابع إجاباتك").fill(code)
    page.get_by_role("button", name="متابعة").click()
    # On at the next question, in Arabic, with the saved answers kept.
    expect(page).to_have_url(re.compile("/questions/sen_support$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name=re.compile("رجوع")).click()
    expect(page).to_have_url(re.compile("/questions/looked_for$"))
    expect(page.locator(".govuk-checkboxes__input").first).to_be_checked()
    page.get_by_role("button", name="متابعة").click()
    # These two by keyboard alone: Tab to the first choice, an arrow to the next, Enter sends.
    for key in ("sen_support", "listened_to"):
        expect(page).to_have_url(re.compile(f"/questions/{key}$"))
        choices = page.locator(".govuk-radios__input")
        page.locator("h1").focus()
        for _ in range(10):
            page.keyboard.press("Tab")
            if choices.first.evaluate("c => c === document.activeElement"):
                break
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        expect(choices.nth(1)).to_be_checked()
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/questions/one_change$"))

    # An error: the summary and the question's red bar at the right, in Arabic.
    page.locator("textarea").fill("ب" * 1501)
    page.get_by_role("button", name="متابعة").click()
    expect(page.locator(".govuk-error-summary__title")).to_have_text("توجد مشكلة")
    # The message itself is in Arabic too, in the summary and above the field.
    for message in (".govuk-error-summary__list", "#answer-one_change-error"):
        words = page.locator(message).inner_text()
        assert re.search("[\u0600-\u06ff]", words) and not re.search("[A-Za-z]{3}", words), words
    group = page.locator(".govuk-form-group--error")
    assert group.evaluate("g => getComputedStyle(g).borderRightWidth") == "5px"
    assert group.evaluate("g => getComputedStyle(g).borderLeftWidth") == "0px"
    assert page.locator("textarea").input_value() == "ب" * 1501
    # GOV.UK's character count speaks the page's language too.
    expect(page.locator(".govuk-character-count__status")).to_contain_text("أحرف زائدة")
    check_page(page, axe, "error")

    # Check answers, send, the receipt: all in Arabic, right to left.
    page.locator("textarea").fill("مكان واحد لكل المعلومات")
    page.get_by_role("button", name="متابعة").click()
    expect(page.locator("h1")).to_have_text("راجع إجاباتك")
    check_page(page, axe, "check", sent)
    page.get_by_role("button", name="أرسل إجاباتي").click()
    expect(page.locator("h1")).to_contain_text("تم إرسال إجاباتك")
    receipt = page.locator(".engage-receipt").inner_text().strip()
    # One sentence with the code in it.
    expect(page.locator(".govuk-panel__body")).to_have_text(f"رمز الإيصال الخاص بك هو {receipt}")
    check_page(page, axe, "confirmation")
    with app.app_context():
        stored = db.session.scalar(select(Response).where(Response.receipt_code == receipt))
        assert stored.language == "ar"
    page.goto("/receipt")
    page.get_by_label("رمز الإيصال").fill(receipt)
    page.get_by_role("button", name="ابحث").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("وجدنا إيصالك")
    # The date the answers were sent, written as Arabic speakers write it.
    text = page.locator("main").inner_text()
    assert re.search(r"في \d{1,2} \S+ \d{4}", text), text
    assert not re.search(
        r"January|February|March|April|May|June|July|August|September|"
        r"October|November|December",
        text,
    ), text
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    check_page(page, axe, "receipt")
    for name in ("start", "receipt-form"):
        url = f"/surveys/{STANDARD}" if name == "start" else "/receipt"
        sent[name] = page.evaluate(
            "url => fetch(url, {credentials: 'same-origin'}).then(r => r.text())", url
        )
    files = []
    for name, html in sent.items():
        assert '<html lang="ar" dir="rtl"' in html, name
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
        files.append(tmp_path / f"{name}.html")
    errors = check_html(vnu, files)
    assert errors == [], describe(errors, {})


def test_urdu_feelings_faces_read_from_the_right(demo, page, axe):
    # At 320 px the language names wrap, and no line begins or ends with a separator.
    page.set_viewport_size({"width": 320, "height": 900})
    for language in ("ur", "en"):
        page.goto(f"/?lang={language}")
        assert page.evaluate(SEPARATORS) >= 2, language
    page.goto(f"/surveys/{EASY}?lang=ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name="ابھی شروع کریں").click()
    page.goto(f"/surveys/{EASY}/questions/feel_about_help")
    faces = page.locator(".engage-faces .govuk-radios__item")
    expect(faces).to_have_count(5)
    page.set_viewport_size({"width": 1280, "height": 900})
    first, last = faces.first.bounding_box(), faces.last.bounding_box()
    assert first["x"] > last["x"], (first, last)
    check_page(page, axe, "faces")
