"""An engagement page in another language: its texts side by side in the staff editor, shown
to the public in the language once complete, else in English marked lang="en"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.inform import translations
from engage.inform.models import Engagement
from tests.ask.translation_helpers import languages_app, signed_in

SLUG = "local-offer-and-sen-support"


@pytest.fixture
def area(app, database_uri, demo):
    return languages_app(database_uri)


def _engagement_id(area) -> int:
    with area.app_context():
        return db.session.scalar(select(Engagement.id).where(Engagement.slug == SLUG))


def test_engagement_translated_side_by_side_then_offered(area, make_user):
    editor = signed_in(area, make_user)
    engagement_id = _engagement_id(area)
    staff_page = editor.get(f"/staff/engagements/{engagement_id}").get_data(as_text=True)
    assert "Polish" in staff_page and "8 of 8 texts missing" in staff_page
    with area.app_context():
        texts = translations.engagement_texts(db.session.get(Engagement, engagement_id))
    form = {text.field: f"UR {text.english}" for text in texts[:-1]}
    page = f"/staff/engagements/{engagement_id}/translations/ur"
    refused = editor.post(page, data={**form, "action": "complete"})
    assert refused.status_code == 400
    assert "What happens next (easy read): has no translation" in refused.get_data(as_text=True)
    form[texts[-1].field] = f"UR {texts[-1].english}"
    assert editor.post(page, data={**form, "action": "complete"}).status_code == 303
    public = area.test_client().get(f"/engagements/{SLUG}?lang=ur").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl"' in public
    assert '<h1 class="govuk-heading-xl">UR The Local Offer and SEN support</h1>' in public
    # The survey listed on it is not translated: its title is marked as English.
    assert 'class="govuk-link govuk-!-font-size-24" lang="en"' in public


def test_engagement_not_translated_is_english_marked_as_english(area):
    public = area.test_client().get(f"/engagements/{SLUG}?lang=pl").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl" lang="en">The Local Offer and SEN support</h1>' in public


def test_the_home_page_lists_engagements_in_the_language_where_offered(client, demo):
    page = client.get("/?lang=pl").get_data(as_text=True)
    assert '/engagements/local-offer-and-sen-support">Local Offer i wsparcie SEN</a>' in page
    assert 'lang="en">Speech and language therapy in schools</a>' in page
