"""The languages an area offers: the switcher on public pages, ?lang= kept for the visit,
Accept-Language on a first visit, staff pages in English, the staff languages page."""

from __future__ import annotations

import re

import pytest

from engage.accounts.models import Role
from engage.languages import parse_languages
from tests.conftest import make_app

STANDARD = "local-offer-and-sen-support"


def html_attributes(page: str) -> tuple[str, str]:
    tag = re.search(r"<html [^>]*>", page).group(0)
    return re.search(r'lang="([^"]+)"', tag).group(1), re.search(r'dir="([^"]+)"', tag).group(1)


def switcher(page: str) -> str:
    found = re.search(r'<nav class="engage-language-switcher".*?</nav>', page, re.S)
    return found.group(0) if found else ""


def test_every_public_page_has_a_switcher_naming_languages_in_their_own_words(client, demo):
    # Pages of a survey, an engagement or an update offer only the languages it is complete
    # in (tests/ask/test_translations.py); these pages are in every language of the area.
    for url in ("/", "/you-said-we-did", "/privacy", "/receipt"):
        nav = switcher(client.get(url).get_data(as_text=True))
        assert nav, url
        assert (
            '<span class="engage-language-switcher__current" aria-current="true" lang="en"' in nav
        )
        assert f'href="{url}?lang=pl" hreflang="pl" lang="pl" dir="ltr"' in nav
        assert 'hreflang="ur" lang="ur" dir="rtl" rel="alternate">اردو</a>' in nav
        assert ">Polski</a>" in nav and ">Română</a>" in nav and ">العربية</a>" in nav
        assert ">Soomaali</a>" in nav
        # The current language is not a link to itself.
        assert 'hreflang="en"' not in nav


def test_lang_in_the_address_sets_the_page_language_and_is_kept_for_the_visit(client, demo):
    page = client.get("/?lang=ur").get_data(as_text=True)
    assert html_attributes(page) == ("ur", "rtl")
    assert 'aria-current="true" lang="ur" dir="rtl">اردو</span>' in switcher(page)
    assert 'href="/?lang=en" hreflang="en" lang="en" dir="ltr" rel="alternate">English</a>' in page
    # The next page, without ?lang=, stays in Urdu for the rest of the visit.
    later = client.get(f"/surveys/{STANDARD}").get_data(as_text=True)
    assert html_attributes(later) == ("ur", "rtl")
    back = client.get("/privacy?lang=en").get_data(as_text=True)
    assert html_attributes(back) == ("en", "ltr")
    assert html_attributes(client.get("/").get_data(as_text=True)) == ("en", "ltr")


def test_switcher_links_keep_the_rest_of_the_address(client, demo):
    page = client.get("/privacy?lang=pl&ref=poster").get_data(as_text=True)
    assert 'href="/privacy?ref=poster&amp;lang=ro"' in switcher(page)


def test_accept_language_picks_the_first_visit_language(client, demo):
    page = client.get("/", headers={"Accept-Language": "de;q=1.0, ro;q=0.8, en;q=0.5"})
    assert html_attributes(page.get_data(as_text=True)) == ("ro", "ltr")
    arabic = client.get("/", headers={"Accept-Language": "ar-SA"}).get_data(as_text=True)
    assert html_attributes(arabic) == ("ar", "rtl")


def test_a_choice_made_in_the_switcher_beats_the_browser_language(client, demo):
    client.get("/?lang=so")
    page = client.get("/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert html_attributes(page) == ("so", "ltr")


def test_a_language_the_area_does_not_offer_is_ignored(client, demo):
    page = client.get("/?lang=de", headers={"Accept-Language": "de, fr"}).get_data(as_text=True)
    assert html_attributes(page) == ("en", "ltr")
    assert "?lang=de" not in page
    hostile = client.get('/?lang="><script>').get_data(as_text=True)
    assert html_attributes(hostile) == ("en", "ltr")
    assert "<script>" not in switcher(hostile)


def test_staff_pages_stay_in_english_with_no_switcher(client, staff_client, demo):
    sign_in_page = client.get("/staff/sign-in?lang=ur").get_data(as_text=True)
    assert html_attributes(sign_in_page) == ("en", "ltr")
    assert "Sign in" in sign_in_page and not switcher(sign_in_page)
    client = staff_client(Role.ADMIN)
    client.get("/?lang=pl")
    for url in ("/staff/", "/staff/surveys/", "/staff/languages?lang=ur"):
        page = client.get(url).get_data(as_text=True)
        assert html_attributes(page) == ("en", "ltr"), url
        assert not switcher(page), url
    # The visit's choice is still there for the public pages.
    assert html_attributes(client.get("/").get_data(as_text=True)) == ("pl", "ltr")


def test_page_languages_limit_the_switcher_to_what_the_page_is_offered_in(app):
    from flask import render_template_string

    with app.test_request_context("/surveys/x?lang=pl"):
        nav = render_template_string(
            '{% include "_language_switcher.html" %}', page_languages=["en", "ur"]
        )
    # The current language is listed even when the page's own texts are not in it.
    assert ">English</a>" in nav and ">اردو</a>" in nav and ">Polski</span>" in nav
    assert "Română" not in nav and "Soomaali" not in nav
    with app.test_request_context("/surveys/x"):
        only_english = render_template_string(
            '{% include "_language_switcher.html" %}', page_languages=["en"]
        )
    assert "engage-language-switcher" not in only_english


def test_languages_setting_puts_english_first_and_refuses_nonsense():
    assert parse_languages("pl, ur,en,PL, ar") == ["en", "pl", "ur", "ar"]
    assert parse_languages("") == ["en"]
    with pytest.raises(ValueError, match="not a language code"):
        parse_languages("en,<b>")


def test_an_area_with_english_only_shows_no_switcher(database_uri, monkeypatch):
    monkeypatch.setenv("ENGAGE_LANGUAGES", "en")
    english_only = make_app(database_uri)
    page = english_only.test_client().get("/?lang=pl").get_data(as_text=True)
    assert html_attributes(page) == ("en", "ltr")
    assert not switcher(page)


def test_staff_languages_page_lists_each_language_review_status_and_progress(staff_client):
    page = staff_client(Role.VIEWER).get("/staff/languages").get_data(as_text=True)
    for name in ("Polish", "Romanian", "Urdu", "Arabic", "Somali"):
        assert name in page
    assert 'lang="ur">اردو</span>' in page
    assert "machine-drafted, awaiting review by a fluent speaker" in page
    assert re.search(r"\d+% <span", page)


def test_staff_languages_page_is_for_staff_only(client):
    response = client.get("/staff/languages")
    assert response.status_code in (302, 303)
    assert "/staff/sign-in" in response.headers["Location"]


def test_the_journey_is_in_the_chosen_language_error_messages_too(client, demo):
    start = client.get(f"/surveys/{STANDARD}?lang=pl").get_data(as_text=True)
    assert "Zacznij teraz" in start and "Start now" not in start
    assert "Zapisz i wróć później" not in start  # only on question pages
    client.post(f"/surveys/{STANDARD}/start")
    page = client.post(
        f"/surveys/{STANDARD}/questions/respondent_group",
        data={"action": "continue", "answer-respondent_group": "perhaps"},
    ).get_data(as_text=True)
    assert "Wystąpił problem" in page and "There is a problem" not in page
    assert '<span class="govuk-visually-hidden">Błąd:</span> Wybierz odpowiedź z listy' in page
    assert "Zapisz i wróć później" in page and "Pytanie 1 z" in page
    assert "<title>Błąd:" in page


def test_right_to_left_pages_carry_their_words_and_direction(client, demo):
    page = client.get(f"/surveys/{STANDARD}?lang=ur").get_data(as_text=True)
    assert html_attributes(page) == ("ur", "rtl")
    assert "ابھی شروع کریں" in page
    # Phone numbers keep their digits in order inside right-to-left text.
    assert '<a class="govuk-link" href="tel:08001111" dir="ltr">0800 1111</a>' in page
    missing = client.get("/no-such-page?lang=ar")
    assert missing.status_code == 404
    text = missing.get_data(as_text=True)
    assert html_attributes(text) == ("ar", "rtl") and "الصفحة غير موجودة" in text


def test_dates_are_written_in_the_page_language(app):
    from datetime import date

    from engage.local_time import day_text

    with app.test_request_context("/?lang=pl"):
        assert day_text(date(2027, 4, 1)) == "1 kwietnia 2027"
    with app.test_request_context("/"):
        assert day_text(date(2027, 4, 1)) == "1 April 2027"
