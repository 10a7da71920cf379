"""The side-by-side screen in the survey editor: English on the left, the language on the
right, every text on one page, counts of what is missing, save, and marking complete."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engage import content_translations as content
from engage.accounts.models import Role
from engage.ask import translations
from engage.ask.models import Question
from engage.content_translations import ContentTranslation
from engage.extensions import db
from tests.ask.translation_helpers import (
    PARENTS,
    languages_app,
    polish,
    signed_in,
    survey,
    translate_all,
)

PAGE = f"/staff/surveys/{PARENTS}/translations/pl"


@pytest.fixture
def area(app, database_uri, demo):
    return languages_app(database_uri)


@pytest.fixture
def editor(area, make_user):
    return signed_in(area, make_user)


def _form(area, leave_out=0, **changes):
    with area.app_context():
        texts = translations.survey_texts(survey())
    chosen = texts[: len(texts) - leave_out] if leave_out else texts
    form = {text.field: polish(text.english) for text in chosen}
    form.update(changes)
    return form, texts


def test_every_text_is_on_one_page_with_english_beside_it_and_counts(area, editor):
    page = editor.get(PAGE).get_data(as_text=True)
    with area.app_context():
        texts = translations.survey_texts(survey())
    assert page.count('<textarea class="govuk-textarea"') == len(texts)
    assert f"{len(texts)} texts: {len(texts)} missing, 0 out of date" in page
    # Easy-read wording is there too, with the English beside it marked as English.
    assert "Question (easy read)" in page
    assert '<div class="govuk-body engage-translation__english" id="english-' in page
    assert 'lang="en">It tells you about help for children who need extra help to learn.' in page
    assert 'lang="pl" dir="ltr"' in page
    overview = editor.get(f"/staff/surveys/{PARENTS}/translations").get_data(as_text=True)
    assert "Polish" in overview and "Urdu" in overview


def test_urdu_text_boxes_are_right_to_left(area, editor):
    page = editor.get(f"/staff/surveys/{PARENTS}/translations/ur").get_data(as_text=True)
    assert 'lang="ur" dir="rtl"' in page


def test_saving_stores_each_text_and_counts_what_is_left(area, editor):
    form, texts = _form(area, leave_out=3)
    saved = editor.post(PAGE, data={**form, "action": "save"})
    assert saved.status_code == 303
    page = editor.get(PAGE).get_data(as_text=True)
    assert f"{len(texts)} texts: 3 missing, 0 out of date" in page
    assert "Translations saved" in page
    with area.app_context():
        row = db.session.scalar(
            select(ContentTranslation).where(ContentTranslation.field == "title")
        )
        assert row.text == "PL The Local Offer and SEN support" and row.translated_by_id


def test_mark_complete_is_refused_with_an_error_summary_naming_the_missing_texts(area, editor):
    form, texts = _form(area, leave_out=2)
    refused = editor.post(PAGE, data={**form, "action": "complete"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'class="govuk-error-summary"' in page
    missing = texts[-2:]
    for text in missing:
        assert f"{text.group}: {text.label}: has no translation" in page
    number = len(texts)
    assert f'<a href="#text-{number}">' in page
    # What was typed is kept (saved), only the marking was refused.
    with area.app_context():
        assert content.marked_languages(translations.KIND, survey().id) == set()
        assert db.session.query(ContentTranslation).count() == len(texts) - 2
    # Complete: marked, and offered.
    form, _texts = _form(area)
    done = editor.post(PAGE, data={**form, "action": "complete"})
    assert done.status_code == 303
    assert "Polish marked complete" in editor.get(PAGE).get_data(as_text=True)
    public = area.test_client().get(f"/surveys/{PARENTS}?lang=pl").get_data(as_text=True)
    assert "PL The Local Offer and SEN support" in public


def test_html_in_a_plain_text_is_refused_and_what_was_typed_is_shown_again(area, editor):
    form, _texts = _form(area, title="<b>Ankieta</b>")
    refused = editor.post(PAGE, data={**form, "action": "save"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Survey: Title: has HTML in it" in page
    # Escaped, and kept in its box.
    assert "&lt;b&gt;Ankieta&lt;/b&gt;</textarea>" in page
    assert "<b>Ankieta</b>" not in page
    with area.app_context():
        assert db.session.query(ContentTranslation).count() == 0


def test_an_out_of_date_text_shows_the_old_english_and_needs_a_tick_to_stay(area, editor):
    with area.app_context():
        translate_all(survey())
        db.session.commit()
        question = db.session.scalar(select(Question).where(Question.key == "one_change"))
        question.text = "What one thing would help your family most?"
        db.session.commit()
    page = editor.get(PAGE).get_data(as_text=True)
    assert "1 out of date" in page
    assert "What one thing would make the biggest difference for your family?" in page
    field = "questions.one_change.text"
    typed = dict(re.findall(r'name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    typed = {name: value.replace("&#39;", "'") for name, value in typed.items()}
    # Saved unchanged without the tick: still out of date.
    editor.post(PAGE, data={**typed, "action": "save"})
    assert "1 out of date" in editor.get(PAGE).get_data(as_text=True)
    editor.post(PAGE, data={**typed, "confirm": field, "action": "save"})
    assert "0 out of date" in editor.get(PAGE).get_data(as_text=True)


def test_viewers_cannot_translate(area, make_user):
    viewer = signed_in(area, make_user, Role.VIEWER)
    assert viewer.get(PAGE).status_code == 403
    assert viewer.get(f"/staff/surveys/{PARENTS}/translations").status_code == 200


def test_a_language_the_area_does_not_offer_is_not_found(area, editor):
    assert editor.get(f"/staff/surveys/{PARENTS}/translations/fr").status_code == 404
