"""Read aloud in real Chromium, with the browser's speech synthesis replaced by a recorder:
hidden where there is no voice, and where there is one it reads the question and answers in
British English, as plain sentences, and has a Stop button."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

EASY = "talking-help-at-school"

# A stand-in for window.speechSynthesis: its voices are given, what it is asked to say is kept.
# Like Chromium, it lists its voices only after firing "voiceschanged".
STUB = """
(() => {
  const voices = %s;
  const listeners = [];
  let ready = false;
  window.__spoken = [];
  window.__cancelled = 0;
  class Utterance {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; }
  }
  const synth = {
    getVoices: () => (ready ? voices : []),
    speak: (u) => window.__spoken.push({text: u.text, lang: u.lang,
                                         voice: u.voice ? u.voice.name : null}),
    cancel: () => { window.__cancelled += 1; },
    addEventListener: (name, listener) => {
      if (name === "voiceschanged") listeners.push(listener);
    },
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
  window.addEventListener("load", () => setTimeout(() => {
    ready = true;
    listeners.forEach((listener) => listener(new Event("voiceschanged")));
  }, 50));
})();
"""
NO_VOICES = STUB % "[]"
ENGLISH_VOICES = STUB % (
    '[{name: "US English", lang: "en-US"}, {name: "British English", lang: "en-GB"},'
    ' {name: "Polski", lang: "pl-PL"}]'
)


def _first_question(page) -> None:
    page.goto(f"/surveys/{EASY}")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(re.compile(r"/questions/get_help"))


def test_no_voices_no_read_aloud(app, demo, page, axe):
    page.add_init_script(NO_VOICES)
    page.goto(f"/surveys/{EASY}")
    page.wait_for_timeout(200)  # after the stub's voiceschanged
    expect(page.get_by_text("Press Read aloud to hear a question.")).to_be_hidden()
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(re.compile(r"/questions/get_help"))
    page.wait_for_timeout(200)
    expect(page.get_by_role("button", name="Read aloud")).to_have_count(0)
    expect(page.get_by_role("button", name="Stop reading")).to_have_count(0)
    assert "Read aloud" not in (page.locator("main").aria_snapshot() or "")
    assert_accessible(page, axe)


def test_no_speech_synthesis_no_read_aloud(app, demo, page):
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    _first_question(page)
    page.wait_for_timeout(200)
    expect(page.get_by_role("button", name="Read aloud")).to_have_count(0)


def test_read_aloud_speaks_british_english_sentences_and_stops(app, demo, page, axe):
    page.add_init_script(ENGLISH_VOICES)
    page.goto(f"/surveys/{EASY}")
    expect(page.get_by_text("Press Read aloud to hear a question.")).to_be_visible()
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url(re.compile(r"/questions/get_help"))
    read = page.get_by_role("button", name="Read aloud", exact=True)
    stop = page.get_by_role("button", name="Stop reading", exact=True)
    expect(read).to_be_visible()
    expect(stop).to_be_visible()
    # Both buttons are named for what they do in the accessibility tree.
    snapshot = page.locator("main").aria_snapshot()
    assert '- button "Read aloud"' in snapshot and '- button "Stop reading"' in snapshot
    assert_accessible(page, axe)

    question = page.locator(".engage-question__text").inner_text().strip()
    options = [text.strip() for text in page.locator(".engage-option__text").all_inner_texts()]
    read.click()
    spoken = page.evaluate("window.__spoken")
    texts = [item["text"] for item in spoken]
    # The question, then each answer, each a sentence of its own.
    assert texts[0].rstrip(".?!") == question.rstrip(".?!")
    assert [text.rstrip(".") for text in texts[-len(options) :]] == options
    assert all(re.search(r"[.?!]$", text) for text in texts)
    assert {item["lang"] for item in spoken} == {"en-GB"}
    assert {item["voice"] for item in spoken} == {"British English"}
    cancelled = page.evaluate("window.__cancelled")
    stop.click()
    assert page.evaluate("window.__cancelled") == cancelled + 1

    # Reachable from the keyboard, and Enter reads again.
    read.focus()
    page.keyboard.press("Enter")
    assert len(page.evaluate("window.__spoken")) == 2 * len(spoken)


def test_read_aloud_reads_words_not_symbols_or_markup(app, demo, page):
    page.add_init_script(ENGLISH_VOICES)
    _first_question(page)
    expect(page.get_by_role("button", name="Read aloud", exact=True)).to_be_visible()
    # Wording as staff might type it, with emoji, markup, brackets, dashes and "and/or".
    page.evaluate(
        """() => {
        document.querySelector('.engage-question__text').textContent =
            'Do you get help 😀 at school (or college) – <b>every</b> day?!!';
        document.querySelectorAll('.engage-option__text')[0].textContent = '✔ Yes & "always"';
        document.querySelectorAll('.engage-option__text')[1].textContent = 'No... parent/carer *';
        document.querySelector('.govuk-hint').textContent =
            '➡️ For example: a teacher, a TA — or "someone else"';
    }"""
    )
    page.get_by_role("button", name="Read aloud", exact=True).click()
    texts = [item["text"] for item in page.evaluate("window.__spoken")]
    assert texts[0] == "Do you get help at school, or college, every day?"
    assert texts[1] == "For example: a teacher, a TA, or someone else."
    assert texts[2] == "Yes and always."
    assert texts[3] == "No. parent or carer."


def test_a_page_in_another_language_is_read_only_with_a_voice_for_it(app, demo, page):
    page.add_init_script(STUB % '[{name: "British English", lang: "en-GB"}]')
    page.goto(f"/surveys/{EASY}?lang=pl")
    assert page.evaluate("document.documentElement.lang") == "pl"
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/questions/get_help"))
    page.wait_for_timeout(200)
    # An English voice reading Polish words would be gibberish: no control at all.
    expect(page.locator(".engage-read-aloud")).to_be_hidden()

    polish = page.context.new_page()
    polish.add_init_script(STUB % '[{name: "Polski", lang: "pl_PL"}]')
    polish.goto(page.url)
    polish.locator(".engage-read-aloud__start").click()
    spoken = polish.evaluate("window.__spoken")
    assert spoken and {item["lang"] for item in spoken} == {"pl"}
    assert {item["voice"] for item in spoken} == {"Polski"}
    polish.close()
