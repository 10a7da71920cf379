"""Answers in other languages: the language a response was submitted in, and the language of
each free-text answer, told on this machine (nothing downloaded) with the respondent's chosen
language deciding short answers."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.learn.models import SafeguardingFlag
from engage.learn.text.screen import UNREADABLE, Level
from engage.listen import answer_languages
from engage.listen.answer_languages import answer_language
from engage.listen.models import Answer, Response
from tests.helpers.respondent import EASY, answer, complete_easy_read, submission_token

POLISH = "Mój syn potrzebuje więcej pomocy w szkole, nauczyciele nie rozumieją jego potrzeb."
URDU = "میرے بیٹے کو اسکول میں مزید مدد کی ضرورت ہے، اساتذہ اس کی بات نہیں سنتے۔"


class _NoNetwork(socket.socket):
    def __init__(self, *args, **kwargs):
        raise OSError("this test allows no network")


def test_detection_loads_its_model_from_the_wheel_with_no_network(monkeypatch):
    monkeypatch.setattr(answer_languages, "_detector", None)  # load the model afresh
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    with pytest.raises(OSError, match="no network"):
        socket.create_connection(("127.0.0.1", 9))
    assert answer_language(POLISH) == "pl"
    assert answer_language(URDU) == "ur"
    assert answer_language("More speech therapy and shorter waits, please.") == "en"


@pytest.mark.parametrize(
    ("text", "chosen", "expected"),
    [
        # Short answers: the chosen language unless the model is sure of another.
        ("ok", "pl", "pl"),
        ("tak", "en", "en"),
        ("Nie wiem", "en", "pl"),
        # Long answers: what the model is sure of, whatever was chosen.
        (POLISH, "en", "pl"),
        ("The school has been really good with my daughter this year.", "pl", "en"),
        ("", "pl", None),
    ],
)
def test_short_answers_lean_on_the_chosen_language(text, chosen, expected):
    assert answer_language(text, chosen) == expected


def _stored(app):
    with app.app_context():
        response = db.session.scalars(select(Response).where(Response.status != "draft")).one()
        answers = {
            a.question.key: (a.language, a.text)
            for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
        }
        return response.language, answers


def test_a_response_records_the_language_it_was_submitted_in(app, client, demo):
    client.get(f"/surveys/{EASY}?lang=pl")
    token = complete_easy_read(client)
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert done.status_code == 303
    language, answers = _stored(app)
    assert language == "pl"
    # "More time with my therapist <b>please</b>": English, however the page was shown.
    assert answers["better"][0] == "en"


def test_a_polish_answer_on_a_childrens_survey_goes_to_the_concern_queue(app, client, demo):
    # "My tummy hurts": the phrase list reads these words as English; the language of the
    # answer (Polish, chosen by the child) is what sends it to a person.
    client.get(f"/surveys/{EASY}?lang=pl")
    complete_easy_read(client)
    answer(client, EASY, "better", {"better": "ma boli brzuch"})
    token = submission_token(client, EASY)
    client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    language, answers = _stored(app)
    assert language == "pl" and answers["better"][0] == "pl"
    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert flag.level is Level.CONCERN and flag.category == UNREADABLE
        assert flag.verbatim == "ma boli brzuch"
        assert "Polish, not yet translated" in flag.reason
