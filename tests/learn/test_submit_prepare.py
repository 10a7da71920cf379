"""A submit's free text is screened before its write transaction and any flag stored inside
it, with the response; sentiment and themes follow from the analysis worker. A repeat stores
nothing twice, an answer changed in between is screened and analysed as submitted, and the
write lock is free while the screen runs."""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn import analysis
from engage.learn.models import Coding, FlagEvent, SafeguardingFlag, Sentiment, SentimentLabel
from engage.listen import runner
from engage.listen.models import Answer, Response, ResponseStatus
from engage.respond.models import OutboxMessage
from engage.schema import utcnow
from tests.helpers.respondent import EASY, answer, begin, submission_token

WORRYING = "My uncle hurts me when I get home"
HAPPY = "The games are brilliant and the staff are lovely, thank you"


def _complete(client, text: str) -> str:
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "no"})
    answer(client, EASY, "listened_to", {"listened_to": "disagree"})
    answer(client, EASY, "better", {"better": text})
    return submission_token(client, EASY)


def _submit(client, token: str):
    return client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@contextmanager
def _while_preparing(app, action):
    """Run action(response) right after learn's prepare step has screened the draft."""
    prepares = app.extensions["engage_submit_prepares"]
    original = prepares[analysis.screen_submitted_response]

    def prepare(response):
        prepared = original(response)
        action(response)
        return prepared

    prepares[analysis.screen_submitted_response] = prepare
    try:
        yield
    finally:
        prepares[analysis.screen_submitted_response] = original


def _expected(text: str):
    question = db.session.scalar(select(Answer).where(Answer.text == text)).question
    [result] = analysis.current_analyser().analyse_texts([text], [question.text])
    return result


def test_flag_event_and_email_commit_with_the_response(
    app, client, demo, analyse_waiting, make_user
):
    lead = make_user(Role.SAFEGUARDING_LEAD)
    assert _submit(client, _complete(client, WORRYING)).status_code == 303
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status is ResponseStatus.SUBMITTED
        flag = db.session.scalar(select(SafeguardingFlag))
        assert flag.response_id == response.id and flag.verbatim == WORRYING
        assert [event.note for event in db.session.scalars(select(FlagEvent))] == [
            "Raised by the phrase screen"
        ]
        [email] = db.session.scalars(select(OutboxMessage)).all()
        assert email.to == lead and f"/{flag.id}" in email.body
        assert _count(Sentiment) == 0  # the worker's, next
    assert analyse_waiting() == 1
    with app.app_context():
        sentiment = db.session.scalar(select(Sentiment))
        assert sentiment.label is _expected(WORRYING).sentiment.label


def test_a_repeat_submit_stores_one_set_of_rows(app, client, demo, analyse_waiting, make_user):
    make_user(Role.SAFEGUARDING_LEAD)
    token = _complete(client, WORRYING)
    assert _submit(client, token).status_code == 303
    analyse_waiting()
    with app.app_context():
        first = [_count(model) for model in (Sentiment, Coding)]
    assert _submit(client, token).status_code == 303
    assert analyse_waiting() == 0
    with app.app_context():
        assert [_count(model) for model in (Sentiment, Coding)] == first
        assert first[0] == 1
        assert _count(SafeguardingFlag) == 1
        assert _count(FlagEvent) == 1
        assert _count(OutboxMessage) == 1


def test_two_submits_prepared_at_once_store_once(app, client, demo, analyse_waiting, make_user):
    make_user(Role.SAFEGUARDING_LEAD)
    token = _complete(client, WORRYING)
    with app.app_context():
        survey = runner.find_survey(EASY, with_questions=False)
        first = runner.prepare_submit(survey, token)
        second = runner.prepare_submit(survey, token)
        assert runner.submit(survey, token, first).first_time
        db.session.commit()
        assert not runner.submit(survey, token, second).first_time
        db.session.commit()
    assert analyse_waiting() == 1
    with app.app_context():
        assert _count(Sentiment) == 1
        assert _count(SafeguardingFlag) == 1
        assert _count(OutboxMessage) == 1


def _change_text(app, text: str):
    def change(response):
        # Another tab saves the page between the analysis and the submit's write; a save
        # sets the draft's updated_at, as runner.save_page does.
        with db.engine.begin() as other:
            other.execute(
                update(Answer)
                .where(Answer.response_id == response.id, Answer.text.is_not(None))
                .values(text=text)
            )
            other.execute(
                update(Response)
                .where(Response.id == response.id)
                .values(updated_at=utcnow() + timedelta(seconds=1))
            )

    return _while_preparing(app, change)


def test_an_answer_changed_to_worrying_words_after_the_analysis_is_flagged(
    app, client, demo, analyse_waiting, make_user
):
    make_user(Role.SAFEGUARDING_LEAD)
    token = _complete(client, HAPPY)
    with _change_text(app, WORRYING):
        assert _submit(client, token).status_code == 303
    analyse_waiting()
    with app.app_context():
        flag = db.session.scalar(select(SafeguardingFlag))
        assert flag is not None and flag.verbatim == WORRYING
        assert _count(OutboxMessage) == 1
        assert db.session.scalar(select(Sentiment.label)) is _expected(WORRYING).sentiment.label


def test_an_answer_changed_after_the_analysis_is_stored_as_submitted(
    app, client, demo, analyse_waiting
):
    token = _complete(client, WORRYING)
    with _change_text(app, HAPPY):
        assert _submit(client, token).status_code == 303
    analyse_waiting()
    with app.app_context():
        expected = _expected(HAPPY)
        assert expected.sentiment.label is SentimentLabel.POSITIVE
        assert _count(SafeguardingFlag) == 0
        assert db.session.scalar(select(Sentiment.label)) is SentimentLabel.POSITIVE
        codes = {coding.theme.slug for coding in db.session.scalars(select(Coding))}
        assert codes == set(expected.themes)


@pytest.fixture
def sqlite_path(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip(reason="SQLite only: the one write lock")
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def _takes_write_lock(path: str) -> bool:
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_the_write_lock_is_free_while_the_answers_are_screened(
    app, client, demo, analyse_waiting, sqlite_path
):
    free = []
    token = _complete(client, HAPPY)
    with _while_preparing(app, lambda _response: free.append(_takes_write_lock(sqlite_path))):
        assert _submit(client, token).status_code == 303
    assert free == [True]
    analyse_waiting()
    with app.app_context():
        assert _count(Sentiment) == 1


def test_a_locked_database_at_submit_keeps_the_answers(
    app, client, demo, analyse_waiting, sqlite_path, short_busy_timeout
):
    # The page must not wait for the lock a second time.
    token = _complete(client, HAPPY)
    holder = sqlite3.connect(sqlite_path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        busy = _submit(client, token)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert waited < 2, waited  # the 100 ms it was told, not the 5 s default
    assert busy.status_code == 503
    assert busy.headers["Retry-After"]
    page = busy.get_data(as_text=True)
    assert "Your answers are kept" in page and token in page
    with app.app_context():
        assert db.session.scalar(select(Response.status)) is ResponseStatus.DRAFT
        assert _count(Sentiment) == 0
    assert _submit(client, token).status_code == 303
    analyse_waiting()
    with app.app_context():
        assert db.session.scalar(select(Response.status)) is ResponseStatus.SUBMITTED
        assert _count(Sentiment) == 1
