"""Sentiment: what the question asked changes what an answer means; negation; learning from
staff-confirmed labels."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.learn import sentiment
from engage.learn import tally as learn_tally
from engage.learn.analysis import analyse_pending
from engage.learn.models import Sentiment, SentimentLabel
from engage.learn.text.sentiment import (
    LEXICON_VERSION,
    LexiconAnalyser,
    ModelAnalyser,
    QuestionContext,
    question_context,
)
from tests.learn.factories import BETTER, GOOD, make_response, make_staff, make_survey

POSITIVE, NEUTRAL, NEGATIVE = (
    SentimentLabel.POSITIVE,
    SentimentLabel.NEUTRAL,
    SentimentLabel.NEGATIVE,
)


@pytest.fixture
def lexicon():
    return LexiconAnalyser()


@pytest.mark.parametrize("answer", ["Nothing", "Nothing.", "nothing really", "No", "None, thanks"])
def test_nothing_to_what_could_be_better_is_not_negative(lexicon, answer):
    assert lexicon.analyse(answer, BETTER).label is POSITIVE


@pytest.mark.parametrize("answer", ["Nothing", "nothing at all", "None"])
def test_nothing_to_what_was_good_is_negative(lexicon, answer):
    assert lexicon.analyse(answer, GOOD).label is NEGATIVE


def test_nothing_to_an_open_question_is_neutral(lexicon):
    assert (
        lexicon.analyse("Nothing", "Is there anything else you want to tell us?").label is NEUTRAL
    )


def test_nothing_then_praise_to_what_could_be_better_is_positive(lexicon):
    assert lexicon.analyse("Nothing, you were all brilliant", BETTER).label is POSITIVE


def test_a_wish_for_change_is_negative_even_with_positive_words(lexicon):
    # "better" is a positive word to a lexicon, but here it asks for change.
    assert lexicon.analyse("Get better information about the Local Offer", BETTER).label is NEGATIVE
    assert lexicon.analyse("More speech therapy sessions", BETTER).label is NEGATIVE


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        ("The staff were kind and helpful", POSITIVE),
        ("The staff were not kind or helpful", NEGATIVE),
        ("I don't feel listened to and the wait was terrible", NEGATIVE),
    ],
)
def test_negation(lexicon, answer, label):
    assert lexicon.analyse(answer, "Tell us about the service").label is label


def test_negated_complaint_is_not_negative(lexicon):
    assert lexicon.analyse("The therapist was not bad at all", GOOD).label is not NEGATIVE


def test_no_opinion_and_empty_answers_are_neutral(lexicon):
    assert lexicon.analyse("Not sure", GOOD).label is NEUTRAL
    assert lexicon.analyse("   ", BETTER).label is NEUTRAL


def test_question_context_from_wording():
    assert question_context(BETTER) is QuestionContext.IMPROVE
    assert question_context("What would make the help better?") is QuestionContext.IMPROVE
    assert question_context(GOOD) is QuestionContext.PRAISE
    assert question_context("Anything else?") is QuestionContext.GENERAL


def test_scores_run_from_negative_to_positive(lexicon):
    good = lexicon.analyse("Brilliant, caring staff", GOOD)
    bad = lexicon.analyse("Awful, rude and dismissive", GOOD)
    assert -1 <= bad.score < 0 < good.score <= 1


def _confirm_all(rows, label, user):
    with learn_tally.recount([row.answer_id for row in rows]):
        for row in rows:
            sentiment.confirm_sentiment(row, label, user)


def test_confirmed_labels_train_a_model_that_changes_predictions(app_context):
    # Words no lexicon knows: only what staff confirm can give them a sentiment.
    survey = make_survey("Tell us about the service")
    for index in range(30):
        make_response(survey, f"the blorf team number {index} again")
        make_response(survey, f"the zandle team number {index} again")
    analyse_pending()
    db.session.commit()
    assert sentiment.current_analyser().version == LEXICON_VERSION
    unseen = make_response(survey, "blorf blorf").answers[0]
    db.session.commit()
    analyse_pending()
    before = db.session.scalar(select(Sentiment).where(Sentiment.answer_id == unseen.id))
    assert before.label is NEUTRAL

    staff = make_staff()
    rows = db.session.scalars(select(Sentiment).join(Sentiment.answer)).all()
    _confirm_all([r for r in rows if "blorf team" in r.answer.text], NEGATIVE, staff)
    _confirm_all([r for r in rows if "zandle team" in r.answer.text], POSITIVE, staff)
    db.session.commit()

    analyser = sentiment.current_analyser()
    assert isinstance(analyser, ModelAnalyser)
    assert analyser.analyse("zandle zandle", None).label is POSITIVE
    assert analyse_pending() > 0
    db.session.commit()
    after = db.session.scalar(select(Sentiment).where(Sentiment.answer_id == unseen.id))
    assert after.label is NEGATIVE
    assert after.analyser_version.startswith("model-")


def test_a_confirmed_label_survives_reanalysis(app_context):
    survey = make_survey(GOOD)
    answer = make_response(survey, "Lovely caring staff").answers[0]
    analyse_pending()
    row = db.session.scalar(select(Sentiment).where(Sentiment.answer_id == answer.id))
    assert row.label is POSITIVE
    _confirm_all([row], NEUTRAL, make_staff())
    db.session.commit()
    analyse_pending(everything=True)
    db.session.commit()
    db.session.refresh(row)
    assert row.label is NEUTRAL and row.confirmed_label is NEUTRAL


def test_too_few_labels_keep_the_lexicon(app_context):
    survey = make_survey(GOOD)
    for _ in range(5):
        make_response(survey, "blorf")
    analyse_pending()
    staff = make_staff()
    _confirm_all(db.session.scalars(select(Sentiment)).all(), NEGATIVE, staff)
    db.session.commit()
    assert isinstance(sentiment.current_analyser(), LexiconAnalyser)
