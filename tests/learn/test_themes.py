"""Themes: the seed codebook, keyword auto-coding, staff codings left alone, and a model
trained from confirmed codings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.learn import tally as learn_tally
from engage.learn import themes
from engage.learn.analysis import analyse_pending
from engage.learn.models import Coding, CodingSource, Theme
from engage.learn.text.themes import CodebookError, KeywordCoder
from tests.learn.factories import GOOD, make_response, make_staff, make_survey


def _staff_code(answer, theme, staff) -> None:
    with learn_tally.recount([answer.id]):
        db.session.add(
            Coding(
                answer_id=answer.id,
                theme_id=theme.id,
                source=CodingSource.STAFF,
                confirmed=True,
                coded_by_id=staff.id,
            )
        )


def _codes(answer) -> dict[str, Coding]:
    rows = db.session.scalars(select(Coding).where(Coding.answer_id == answer.id)).all()
    return {coding.theme.slug: coding for coding in rows}


def test_seed_codebook_adds_the_send_themes_once(app_context):
    added = themes.seed_codebook()
    assert added >= 11
    names = set(db.session.scalars(select(Theme.name)))
    assert {"Waiting times", "EHC plan process", "Short breaks and respite"} <= names
    assert themes.seed_codebook() == 0


def test_seed_codebook_leaves_staff_edits_alone(app_context):
    themes.seed_codebook()
    theme = db.session.scalar(select(Theme).where(Theme.slug == "waiting-times"))
    theme.keywords = "queue"
    themes.seed_codebook()
    assert theme.keywords == "queue"


def test_answers_are_coded_by_keyword_as_unconfirmed_auto_codes(app_context):
    themes.seed_codebook()
    survey = make_survey(GOOD)
    answer = make_response(
        survey, "We waited two years for the EHCP and nobody kept us informed"
    ).answers[0]
    analyse_pending()
    codes = _codes(answer)
    assert {"waiting-times", "ehc-plan-process", "communication"} <= set(codes)
    assert all(c.source is CodingSource.AUTO and not c.confirmed for c in codes.values())


def test_keywords_match_other_forms_of_the_word():
    coder = KeywordCoder({"waiting": ["wait"], "therapy": ["speech and language"]})
    assert coder.code("We are still waiting") == {"waiting"}
    assert coder.code("He waited for speech and language therapy") == {"waiting", "therapy"}
    assert coder.code("Lovely staff") == set()


def test_reanalysis_never_overwrites_staff_codings(app_context):
    themes.seed_codebook()
    staff = make_staff()
    survey = make_survey(GOOD)
    answer = make_response(survey, "The waiting list for speech therapy is long").answers[0]
    analyse_pending()
    codes = _codes(answer)
    # Staff confirm one auto code and add a theme no keyword found.
    codes["waiting-times"].confirmed = True
    school = db.session.scalar(select(Theme).where(Theme.slug == "school-support"))
    _staff_code(answer, school, staff)
    # The keywords that found the confirmed theme change: the confirmed code must stay.
    waiting = db.session.scalar(select(Theme).where(Theme.slug == "waiting-times"))
    waiting.keywords = "queue"
    db.session.commit()
    analyse_pending(everything=True)
    db.session.commit()
    codes = _codes(answer)
    assert codes["waiting-times"].confirmed
    assert codes["school-support"].source is CodingSource.STAFF
    assert "access-to-therapy" in codes


def test_an_auto_code_whose_keyword_is_removed_is_withdrawn(app_context):
    theme = themes.create_theme("Parking", ["parking"])
    survey = make_survey(GOOD)
    answer = make_response(survey, "Parking at the clinic").answers[0]
    analyse_pending()
    assert "parking" in _codes(answer)
    theme.keywords = "car park"
    db.session.commit()
    analyse_pending()
    assert "parking" not in _codes(answer)


def test_create_theme_refuses_a_duplicate_name(app_context):
    themes.create_theme("Sensory rooms", "quiet room")
    with pytest.raises(CodebookError):
        themes.create_theme("sensory rooms")


def test_confirmed_codings_train_a_model_that_codes_without_keywords(app_context):
    theme = themes.create_theme("Sensory rooms")  # no keywords at all
    staff = make_staff()
    survey = make_survey(GOOD)
    answers = []
    for index in range(20):
        answers.append(make_response(survey, f"the calm den was good {index}").answers[0])
        answers.append(make_response(survey, f"the bus was late {index}").answers[0])
    for answer in answers:
        if "calm den" in answer.text:
            _staff_code(answer, theme, staff)
    db.session.commit()
    assert themes.current_coder().model is None  # 20 answers: too few yet
    more = [make_response(survey, f"a calm den helps {index}").answers[0] for index in range(12)]
    for answer in more:
        _staff_code(answer, theme, staff)
    # Answers staff coded to another theme teach the model what "Sensory rooms" is not.
    other = themes.create_theme("Transport", ["bus"])
    for answer in answers:
        if "bus" in answer.text:
            _staff_code(answer, other, staff)
    db.session.commit()
    coder = themes.current_coder()
    assert coder.model is not None
    new = make_response(survey, "we loved the calm den").answers[0]
    db.session.commit()
    analyse_pending()
    assert "sensory-rooms" in _codes(new)
    assert "sensory-rooms" not in _codes(make_response(survey, "the bus").answers[0])
