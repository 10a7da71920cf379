"""Shared by the translation tests: an app whose area offers Polish and Urdu, and a survey
translated text by text."""

from __future__ import annotations

from sqlalchemy import delete, select

from engage import content_translations as content
from engage.ask import translations
from engage.ask.models import Survey
from engage.extensions import db
from engage.languages import parse_languages
from tests.conftest import make_app

PARENTS = "local-offer-and-sen-support"


def languages_app(database_uri: str, languages: str = "en,pl,ur", *, untranslated: bool = True):
    """An app offering these languages; the demo's own translations are taken away unless
    asked for, so each test starts from English only."""
    app = make_app(database_uri, LANGUAGES=parse_languages(languages))
    if untranslated:
        with app.app_context():
            for model in (content.ContentTranslation, content.ContentLanguage):
                db.session.execute(delete(model))
            db.session.commit()
    return app


def survey(slug: str = PARENTS) -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def polish(english: str) -> str:
    return f"PL {english}"


def translate_all(found: Survey, language: str = "pl", *, leave_out: int = 0, user_id=None):
    """Translate every text (but the last `leave_out`) as "PL <English>"."""
    texts = translations.survey_texts(found)
    chosen = texts[: len(texts) - leave_out] if leave_out else texts
    content.save_translations(
        translations.KIND,
        found.id,
        texts,
        language,
        {text.field: polish(text.english) for text in chosen},
        user_id,
    )
    return texts


def mark(found: Survey, language: str = "pl"):
    content.mark_complete(
        translations.KIND, found.id, translations.survey_texts(found), language, None
    )


def signed_in(area, make_user, role=None):
    from engage.accounts.models import Role
    from tests.conftest import sign_in

    client = area.test_client()
    response = sign_in(client, make_user(role or Role.ADMIN))
    assert response.status_code == 303
    return client
