"""Suggested themes from answers that fit no theme, and accepting one into the codebook."""

from __future__ import annotations

from sqlalchemy import select

from engage.extensions import db
from engage.learn import suggestions, themes
from engage.learn.models import Coding, Theme
from tests.learn.factories import BARBER, DENTIST, make_response, make_survey


def test_suggests_themes_from_uncoded_answers_with_quotes(app_context):
    themes.seed_codebook()
    survey = make_survey("Anything else?")
    for text in DENTIST + BARBER:
        make_response(survey, text)
    make_response(survey, "We waited two years for an EHC plan")  # coded by keyword below
    from engage.learn.analysis import analyse_pending

    analyse_pending()
    found = suggestions.suggest_themes()
    by_keyword = {keyword: suggestion for suggestion in found for keyword in suggestion.keywords}
    dentist = by_keyword["dentist"]
    assert "dentist" in dentist.name.lower()
    assert len(dentist.quotes) == 3
    assert all(quote in DENTIST for quote in dentist.quotes)
    assert any("barber" in s.name.lower() or "haircut" in s.name.lower() for s in found)
    assert not any("EHC" in quote for s in found for quote in s.quotes)


def test_no_suggestions_from_too_few_answers(app_context):
    survey = make_survey("Anything else?")
    make_response(survey, "Dentist")
    assert suggestions.suggest_themes() == []


def test_accepting_a_suggestion_adds_the_theme_and_codes_its_answers(app_context):
    survey = make_survey("Anything else?")
    answers = [make_response(survey, text).answers[0] for text in DENTIST]
    found = suggestions.suggest_themes()
    dentist = next(s for s in found if "dentist" in s.keywords)
    theme = suggestions.accept_suggestion(
        "Dentists", dentist.keywords, user=None, answer_ids=dentist.answer_ids
    )
    db.session.commit()
    assert db.session.scalar(select(Theme).where(Theme.name == "Dentists")) is theme
    assert "dentist" in theme.keywords.split("\n")
    coded = set(db.session.scalars(select(Coding.answer_id).where(Coding.theme_id == theme.id)))
    assert coded and coded <= {answer.id for answer in answers}
    # The accepted theme is now in the codebook: it is not suggested again.
    assert not any(s.name == "Dentists" for s in suggestions.suggest_themes())
