"""Safety over tidiness: on a children's survey an answer the screen cannot read (another
language, mostly emoji, one word that is not a word) goes to the concern queue rather than
nowhere; negation never clears a concern."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.ask.models import Audience, SurveyMode
from engage.extensions import db
from engage.learn.analysis import analyse_pending, screen_submitted_response
from engage.learn.models import SafeguardingFlag
from engage.learn.text.screen import UNREADABLE, Level
from engage.listen import tally
from engage.listen.models import RespondentGroup
from engage.respond.models import OutboxMessage
from tests.learn.factories import make_response, make_staff, make_survey

ANYTHING = "Is there anything else you want to tell us?"
UNREADABLE_ANSWERS = [
    "tata mnie bije",  # Polish
    "mi mama me pega",  # Spanish, in words the English list also holds
    "baba beni dövüyor",  # Turkish
    "أنا خائف من أبي",  # Arabic
    "\U0001f62d\U0001f62d\U0001f62d",  # only emoji
    "\U0001f62d\U0001f62d\U0001f62d ok",  # mostly emoji
    "xqzvt",  # one word that is not a word
]
READABLE_ANSWERS = [
    "ok",
    "minecraft",
    "more games plz",
    "\U0001f44d",
    "im dead \U0001f480\U0001f480",
]


def _childrens_survey(kind: str):
    survey = make_survey(ANYTHING)
    if kind == "young people":
        survey.audience = Audience.YOUNG_PEOPLE
    else:
        survey.mode = SurveyMode.EASY_READ
    return survey


def _flags(survey, text: str, **response_fields) -> list[SafeguardingFlag]:
    response = make_response(survey, text)
    with tally.recount([response.id]):
        for name, value in response_fields.items():
            setattr(response, name, value)
    screen_submitted_response(response)
    db.session.commit()
    return list(db.session.scalars(select(SafeguardingFlag)))


@pytest.mark.parametrize("kind", ["young people", "easy read"])
@pytest.mark.parametrize("text", UNREADABLE_ANSWERS)
def test_a_childs_answer_the_screen_cannot_read_is_a_concern(app_context, kind, text):
    make_staff(Role.SAFEGUARDING_LEAD)
    [flag] = _flags(_childrens_survey(kind), text)
    assert flag.level is Level.CONCERN and flag.category == UNREADABLE
    assert flag.verbatim == text
    # A concern: to the queue, no e-mail.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_respondent_who_says_they_are_young_is_read_as_a_child(app_context):
    [flag] = _flags(
        make_survey(ANYTHING), "tata mnie bije", respondent_group=RespondentGroup.YOUNG_PERSON
    )
    assert flag.category == UNREADABLE


@pytest.mark.parametrize("text", UNREADABLE_ANSWERS)
def test_the_same_answer_on_a_parents_survey_is_not_flagged(app_context, text):
    assert _flags(make_survey(ANYTHING), text) == []


@pytest.mark.parametrize("text", READABLE_ANSWERS)
def test_short_readable_childrens_answers_are_not_flagged(app_context, text):
    assert _flags(_childrens_survey("young people"), text) == []


@pytest.mark.parametrize("kind", ["young people", "parents"])
def test_negation_never_clears_a_concern(app_context, kind):
    survey = _childrens_survey(kind) if kind == "young people" else make_survey(ANYTHING)
    [flag] = _flags(survey, "he doesnt hit me any more")
    assert flag.category == "Physical abuse"
    assert {"doesnt", "hit", "me"} <= set(flag.matched_words)


def test_engage_analyse_reads_childrens_answers_the_same_way(app_context):
    response = make_response(_childrens_survey("easy read"), "nu vreau sa merg acasa")
    db.session.commit()
    assert analyse_pending() == 1
    [flag] = db.session.scalars(select(SafeguardingFlag)).all()
    assert flag.response_id == response.id and flag.category == UNREADABLE


def test_the_queue_shows_an_answer_in_another_language_with_its_language(app, staff_client):
    """The lead reads a child's Urdu answer in the queue and on the flag's page, escaped,
    marked with its language and direction."""
    words = "<b>مجھے</b> اپنے والد سے ڈر لگتا ہے"
    with app.app_context():
        survey = _childrens_survey("young people")
        response = make_response(survey, words)
        response.answers[0].language = "ur"
        screen_submitted_response(response)
        db.session.commit()
        flag_id = db.session.scalar(select(SafeguardingFlag.id))
    client = staff_client(Role.SAFEGUARDING_LEAD)
    queue = client.get("/staff/safeguarding").get_data(as_text=True)
    assert '<span lang="ur" dir="rtl">&lt;b&gt;مجھے&lt;/b&gt;' in queue
    assert "Written in Urdu" in queue and "<b>مجھے" not in queue
    page = client.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert 'id="verbatim" lang="ur" dir="rtl"' in page and "Written in Urdu" in page
    assert "&lt;b&gt;مجھے&lt;/b&gt;" in page and "<b>مجھے" not in page
