"""A "You said, we did" update in another language: translated side by side (rich text
cleaned by nh3, never raw), shown in the language when complete, else in English marked so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engage.content_translations import ContentTranslation
from engage.extensions import db
from engage.respond import translations
from engage.respond.models import Update
from tests.ask.translation_helpers import languages_app, signed_in
from tests.improve import factories

XSS = '<script>alert("x")</script>'


@pytest.fixture
def area(app, database_uri):
    return languages_app(database_uri)


@pytest.fixture
def published(area):
    with area.app_context():
        talk = factories.engagement([factories.service(name="Speech therapy")], title="Talking")
        update = factories.update(
            talk,
            title="Shorter waits",
            published_at=datetime(2026, 6, 1, tzinfo=UTC),
            you_said="<p>Waits were <strong>long</strong></p>",
        )
        db.session.commit()
        return update.id


def _form(area, update_id, **changes):
    with area.app_context():
        texts = translations.update_texts(db.session.get(Update, update_id))
    form = {text.field: f"PL {text.english}" for text in texts}
    form.update(changes)
    return form


def test_update_translated_side_by_side_is_shown_in_polish_once_complete(
    area, published, make_user
):
    editor = signed_in(area, make_user)
    page = f"/staff/updates/{published}/translations/pl"
    screen = editor.get(page).get_data(as_text=True)
    assert "Paragraphs, lists, bold, italics and links are kept" in screen
    form = _form(area, published, you_said=f"<p>Kolejki były <strong>długie</strong>{XSS}</p>")
    done = editor.post(page, data={**form, "action": "complete"})
    assert done.status_code == 303
    with area.app_context():
        stored = db.session.scalar(
            select(ContentTranslation.text).where(ContentTranslation.field == "you_said")
        )
    assert stored == "<p>Kolejki były <strong>długie</strong></p>"
    public = area.test_client().get("/you-said-we-did/shorter-waits?lang=pl")
    text = public.get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">PL Shorter waits</h1>' in text
    assert "Kolejki były <strong>długie</strong>" in text and "<script>alert" not in text
    assert 'hreflang="pl"' in area.test_client().get("/you-said-we-did/shorter-waits").get_data(
        as_text=True
    )
    listed = area.test_client().get("/you-said-we-did?lang=pl").get_data(as_text=True)
    assert 'href="/you-said-we-did/shorter-waits">PL Shorter waits</a>' in listed


def test_update_not_translated_is_english_marked_as_english(area, published):
    text = area.test_client().get("/you-said-we-did/shorter-waits?lang=pl").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl" lang="en">Shorter waits</h1>' in text
    assert '<div class="govuk-body" lang="en"><p>Waits were <strong>long</strong></p>' in text
    listed = area.test_client().get("/you-said-we-did?lang=pl").get_data(as_text=True)
    assert 'href="/you-said-we-did/shorter-waits" lang="en">Shorter waits</a>' in listed


def test_update_titles_are_plain_text(area, published, make_user):
    editor = signed_in(area, make_user)
    page = f"/staff/updates/{published}/translations/pl"
    refused = editor.post(page, data={**_form(area, published, title="<b>x</b>"), "action": "save"})
    assert refused.status_code == 400
    assert "Update: Title: has HTML in it" in refused.get_data(as_text=True)
