"""A survey's translations: stored apart from the English, out of date when the English
changes, offered only when complete and marked so, and shown to respondents in the language
with English fallback marked lang="en"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engage import content_translations as content
from engage.ask import translations
from engage.ask.models import Question
from engage.content_translations import ContentTranslation, TranslationError
from engage.extensions import db
from engage.listen.models import Answer
from tests.ask.translation_helpers import PARENTS, languages_app, mark, survey, translate_all


@pytest.fixture
def area(app, database_uri, demo):
    return languages_app(database_uri)


def test_every_text_of_the_survey_is_listed_with_easy_read_hints_and_pictures(area):
    with area.app_context():
        fields = {text.field for text in translations.survey_texts(survey())}
    assert {"title", "easy_read_title", "description"} <= fields
    assert "questions.used_local_offer.easy_read_hint" in fields
    assert "questions.looked_for.options.therapies.easy_read_text" in fields
    assert "questions.used_local_offer.symbol_alt" in fields
    # The standard answers of an "about you" question are texts too.
    assert "questions.respondent_group.options.parent_carer.text" in fields
    # An empty English field is not a text to translate.
    assert "questions.one_change.section" in fields
    assert "questions.found_information.hint" not in fields


def test_translations_are_stored_apart_and_an_english_change_marks_one_out_of_date(area):
    with area.app_context():
        found = survey()
        texts = translate_all(found)
        db.session.commit()
        row = db.session.scalar(
            select(ContentTranslation).where(
                ContentTranslation.field == "questions.used_local_offer.text"
            )
        )
        assert row.language == "pl" and row.text.startswith("PL Have you used")
        assert row.source_text == "Have you used the Local Offer website in the last 12 months?"
        status = {s.language: s for s in translations.statuses(found)}
        assert (status["pl"].total, status["pl"].missing, status["pl"].out_of_date) == (
            len(texts),
            0,
            0,
        )
        assert status["ur"].missing == len(texts)
        question = db.session.scalar(select(Question).where(Question.key == "used_local_offer"))
        question.text = "Have you used the Local Offer website this year?"
        db.session.commit()
        status = {s.language: s for s in translations.statuses(survey())}
        assert (status["pl"].missing, status["pl"].out_of_date) == (0, 1)
        # The English stays as it was typed.
        assert question.text == "Have you used the Local Offer website this year?"


def test_marking_complete_is_refused_while_texts_are_missing(area):
    with area.app_context():
        found = survey()
        translate_all(found, leave_out=2)
        with pytest.raises(TranslationError) as refused:
            mark(found)
        assert len(refused.value.problems) == 2
        assert all(message == "has no translation" for _field, message in refused.value.problems)
        assert content.marked_languages(translations.KIND, found.id) == set()


def test_html_in_a_plain_text_translation_is_refused_and_nothing_is_stored(area):
    with area.app_context():
        found = survey()
        texts = translations.survey_texts(found)
        with pytest.raises(TranslationError) as refused:
            content.save_translations(
                translations.KIND,
                found.id,
                texts,
                "pl",
                {"title": "Ankieta", "description": "<script>alert(1)</script>Opis"},
                None,
            )
        assert refused.value.problems[0][0] == "description"
        assert "HTML" in refused.value.problems[0][1]
        assert db.session.scalar(select(ContentTranslation)) is None


def _start(client, language="pl"):
    return client.get(f"/surveys/{PARENTS}?lang={language}").get_data(as_text=True)


def test_the_survey_is_offered_in_a_language_only_when_complete_and_marked(area):
    client = area.test_client()
    with area.app_context():
        translate_all(survey())
        db.session.commit()
    # Every text translated but not marked complete: still English, marked as English.
    page = _start(client)
    assert "PL The Local Offer" not in page
    assert '<h1 class="govuk-heading-xl" lang="en">The Local Offer and SEN support' in page
    with area.app_context():
        mark(survey())
        db.session.commit()
    page = _start(client)
    assert '<h1 class="govuk-heading-xl">PL The Local Offer and SEN support</h1>' in page
    # The engagement is not translated: its words stay English, said to be English.
    assert '<p class="govuk-body" lang="en">We are planning the next Local Offer' in page
    # An English change takes the language away until the translation catches up.
    with area.app_context():
        survey().title = "The Local Offer and SEN support in schools"
        db.session.commit()
    page = _start(client)
    assert "PL The Local Offer" not in page
    assert 'lang="en">The Local Offer and SEN support in schools' in page


def test_an_english_page_has_no_lang_marks(area):
    page = area.test_client().get(f"/surveys/{PARENTS}").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">The Local Offer and SEN support</h1>' in page


def test_answers_in_the_language_are_stored_with_the_same_option_values(area):
    client = area.test_client()
    with area.app_context():
        translate_all(survey())
        mark(survey())
        db.session.commit()
    start = client.post(f"/surveys/{PARENTS}/start?lang=pl")
    assert start.status_code == 303
    page = client.get(f"/surveys/{PARENTS}/questions/used_local_offer?lang=pl").get_data(
        as_text=True
    )
    assert "PL Have you used the Local Offer website in the last 12 months?" in page
    assert '<span class="engage-option__text">PL Yes</span>' in page
    assert 'lang="en"' not in page.split("<main", 1)[1].split("</form>", 1)[0]
    saved = client.post(
        f"/surveys/{PARENTS}/questions/used_local_offer?lang=pl",
        data={"action": "continue", "answer-used_local_offer": "yes"},
    )
    assert saved.status_code == 303
    with area.app_context():
        assert db.session.scalars(select(Answer.choice)).all() == ["yes"]
        # Nothing of the translation was written over the English.
        assert survey().title == "The Local Offer and SEN support"


def test_the_language_switcher_offers_the_languages_the_survey_is_complete_in(area):
    client = area.test_client()
    page = _start(client, "en")
    assert 'hreflang="pl"' not in page and 'hreflang="ur"' not in page
    with area.app_context():
        translate_all(survey())
        mark(survey())
        db.session.commit()
    page = _start(client, "en")
    assert 'hreflang="pl"' in page and 'hreflang="ur"' not in page


def test_the_demo_parents_survey_and_its_engagement_are_in_polish_and_urdu(client, demo):
    """`engage demo` ships them translated and marked complete (machine-drafted)."""
    survey_page = client.get(f"/surveys/{PARENTS}?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl"' in survey_page
    assert '<h1 class="govuk-heading-xl">لوکل آفر اور SEN سپورٹ</h1>' in survey_page
    assert 'hreflang="pl"' in survey_page and 'hreflang="ro"' not in survey_page
    # The engagement's words on the start page are translated too: nothing marked English.
    assert 'lang="en"' not in survey_page.split("<main", 1)[1].split("</main>", 1)[0]
    engagement = client.get(f"/engagements/{PARENTS}?lang=pl").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">Local Offer i wsparcie SEN</h1>' in engagement
    # The other demo survey is English only.
    other = client.get("/surveys/talking-help-at-school?lang=pl").get_data(as_text=True)
    assert 'lang="en">Help with talking at school</h1>' in other


def test_english_fallback_on_a_right_to_left_page_reads_left_to_right(client, demo):
    """On an Urdu page, a survey not offered in Urdu is English marked lang="en" dir="ltr"."""
    page = client.get("/surveys/talking-help-at-school?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl"' in page
    assert 'lang="en" dir="ltr">Help with talking at school</h1>' in page
    home = client.get("/?lang=ur").get_data(as_text=True)
    main = home.split("<main", 1)[1]
    assert main.count('lang="en"') == main.count('lang="en" dir="ltr"') > 0
    # A left-to-right page needs no direction on its English.
    polish = client.get("/surveys/talking-help-at-school?lang=pl").get_data(as_text=True)
    assert 'lang="en">Help with talking at school</h1>' in polish


def test_the_paper_version_is_printed_in_the_language(client, demo):
    page = client.get(f"/surveys/{PARENTS}/print?lang=pl").get_data(as_text=True)
    assert "Czy w ciągu ostatnich 12 miesięcy korzystali Państwo ze strony" in page
    assert 'lang="en"' not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_copy_keeps_the_translations_but_is_offered_only_once_marked(area):
    from engage.ask.copying import copy_survey

    with area.app_context():
        original = survey()
        translate_all(original)
        mark(original)
        copy = copy_survey(original, None, "Local Offer survey 2027")
        db.session.commit()
        status = {s.language: s for s in translations.statuses(copy)}["pl"]
        # Every text carried over; the new title's translation is out of date.
        assert (status.missing, status.out_of_date) == (0, 1)
        assert not status.marked_complete
