"""The analyser the submit hook keeps between submits: a codebook change or a label staff
confirm in this process applies to the very next submit, and the kept analyser is reused
otherwise (so a submit does not re-read every confirmed label)."""

from __future__ import annotations

from sqlalchemy import select

from engage.extensions import db
from engage.learn import analysis, themes
from engage.learn import tally as learn_tally
from engage.learn.models import Coding, Sentiment, SentimentLabel
from engage.learn.sentiment import confirm_sentiment
from engage.listen.hooks import run_submit_hooks
from tests.learn.factories import GOOD, make_response, make_staff, make_survey


def _submit(survey, text: str):
    response = make_response(survey, text)
    run_submit_hooks(response)
    db.session.commit()
    return response.answers[0]


def _codes(answer) -> set[str]:
    rows = db.session.scalars(select(Coding).where(Coding.answer_id == answer.id))
    return {coding.theme.slug for coding in rows}


def test_a_new_theme_applies_to_the_next_submit(app, app_context):
    app.config["ANALYSER_RECHECK_SECONDS"] = 3600
    try:
        survey = make_survey(GOOD)
        first = _submit(survey, "The trampoline park trip was brilliant")
        assert "trampolines" not in _codes(first)
        kept = analysis.submit_analyser()
        assert analysis.submit_analyser() is kept

        themes.create_theme("Trampolines", keywords="trampoline")
        db.session.commit()
        second = _submit(survey, "The trampoline park trip was brilliant")
        assert "trampolines" in _codes(second)
    finally:
        del app.config["ANALYSER_RECHECK_SECONDS"]


def test_an_automatic_sentiment_does_not_drop_the_kept_analyser(app, app_context):
    app.config["ANALYSER_RECHECK_SECONDS"] = 3600
    try:
        survey = make_survey(GOOD)
        _submit(survey, "Lovely staff")
        kept = analysis.submit_analyser()
        _submit(survey, "Kind and helpful people")
        assert analysis.submit_analyser() is kept

        row = db.session.scalars(select(Sentiment)).first()
        with learn_tally.recount([row.answer_id]):
            confirm_sentiment(row, SentimentLabel.NEGATIVE, make_staff())
        db.session.commit()
        assert analysis.submit_analyser() is not kept
    finally:
        del app.config["ANALYSER_RECHECK_SECONDS"]
