"""Telling people back in their language: the "tell me what happened" email and the public
update are in the language the respondent answered in when the update has that translation,
else in English with a line in their language saying so."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from engage import content_translations as content
from engage.extensions import db
from engage.respond import translations, updates
from engage.respond.models import OutboxMessage
from tests.improve import factories

PAGE = "https://engage.example/you-said-we-did/waits"
ENGLISH_BODY = (
    "Hello,\n\n"
    "You asked us to tell you what happened after you answered our survey about "
    "“Talking help”.\n\n"
    "We have published an update: Waits\n\n"
    f"Read what people said and what we are doing about it:\n{PAGE}\n\n"
    "There is an easy read version on the same page.\n\n"
    "You are getting this email because you asked to hear back. We will not use your "
    "email address for anything else.\n"
)


def _untranslated_demo_content():
    for model in (content.ContentTranslation, content.ContentLanguage):
        db.session.execute(delete(model))


def _update_in_polish():
    """An update translated into Polish and offered in it; respondents who answered in
    English, Polish and Urdu asked to hear back."""
    _untranslated_demo_content()
    engagement = factories.engagement(title="Talking help")
    survey = factories.survey(engagement)
    for email, language in (
        ("en@example.org", "en"),
        ("pl@example.org", "pl"),
        ("ur@example.org", "ur"),
    ):
        factories.response(survey, email=email).language = language
    update = factories.update(engagement, title="Waits")
    db.session.flush()
    texts = translations.update_texts(update)
    polish = {text.field: f"PL {text.english}" for text in texts}
    polish["title"] = "Kolejki"
    content.save_translations(translations.KIND, update.id, texts, "pl", polish, None)
    content.mark_complete(translations.KIND, update.id, texts, "pl", None)
    db.session.commit()
    return update


def test_the_email_is_in_the_respondents_language_or_english_with_a_note(app_context):
    update = _update_in_polish()
    assert updates.publish(update, PAGE) == 3
    db.session.commit()
    sent = {m.to: m for m in db.session.scalars(select(OutboxMessage))}

    english = sent["en@example.org"]
    assert english.subject == "You said, we did: Waits" and english.body == ENGLISH_BODY

    polish = sent["pl@example.org"]
    assert polish.subject == "Wy powiedzieliście, my zrobiliśmy: Kolejki"
    assert polish.body.startswith("Dzień dobry,\n\n")
    assert "Opublikowaliśmy informację: Kolejki" in polish.body
    assert f"{PAGE}?lang=pl" in polish.body  # the link opens the page in Polish
    assert "Hello" not in polish.body

    urdu = sent["ur@example.org"]
    note = "یہ تازہ معلومات ابھی اردو میں دستیاب نہیں، اس لیے یہ ای میل انگریزی میں ہے۔"
    assert urdu.body == note + "\n\n" + ENGLISH_BODY
    assert urdu.subject == "You said, we did: Waits"


def test_the_latest_response_decides_a_persons_language(app_context):
    _untranslated_demo_content()
    engagement = factories.engagement(title="Talking help")
    survey = factories.survey(engagement)
    first = factories.response(
        survey, email="p@example.org", submitted_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    first.language = "ur"
    factories.response(
        survey, email="P@example.org", submitted_at=datetime(2026, 2, 1, tzinfo=UTC)
    ).language = "en"
    update = factories.update(engagement, title="Waits")
    updates.publish(update, PAGE)
    db.session.commit()
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.body == ENGLISH_BODY


def test_the_public_update_says_in_the_visitors_language_when_it_is_in_english(app, client):
    with app.app_context():
        update = _update_in_polish()
        update.status = updates.UpdateStatus.PUBLISHED
        update.published_at = datetime(2026, 6, 1, tzinfo=UTC)
        db.session.commit()
        slug = update.slug
    urdu = client.get(f"/you-said-we-did/{slug}?lang=ur").get_data(as_text=True)
    assert "یہ تازہ معلومات ابھی اردو میں دستیاب نہیں، اس لیے انگریزی میں دکھائی جا رہی ہے۔" in urdu
    polish = client.get(f"/you-said-we-did/{slug}?lang=pl").get_data(as_text=True)
    assert "Kolejki" in polish and "nie jest jeszcze dostępna" not in polish
    english = client.get(f"/you-said-we-did/{slug}?lang=en").get_data(as_text=True)
    assert "is not available in" not in english
