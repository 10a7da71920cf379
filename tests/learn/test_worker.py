"""The analysis worker: a submit leaves sentiment and themes to it, the results say how many
answers wait, a worker stopped mid-batch loses nothing and analyses each answer once, and two
workers on PostgreSQL never take the same answer."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.learn import worker
from engage.learn.analysis import Analyser, current_analyser
from engage.learn.models import Sentiment
from engage.listen.models import Response
from tests.helpers.respondent import EASY, complete_easy_read
from tests.learn.factories import BETTER, make_response, make_survey


@dataclass
class Recording:
    """The real analyser, noting every text it is given; fails on its call number fail_on."""

    inner: Analyser
    seen: list[str] = field(default_factory=list)
    fail_on: int | None = None
    pause: float = 0.0
    calls: int = 0

    @property
    def version(self) -> str:
        return self.inner.version

    def analyse_texts(self, texts, question_texts):
        self.calls += 1
        if self.calls == self.fail_on:
            raise RuntimeError("the worker stopped here")
        time.sleep(self.pause)
        self.seen.extend(texts)
        return self.inner.analyse_texts(texts, question_texts)


def _waiting(count: int) -> list[str]:
    survey = make_survey(BETTER)
    texts = [f"The waiting list was long, answer {number}" for number in range(count)]
    for text in texts:
        make_response(survey, text).analysis_pending = True
    db.session.commit()
    return texts


def _sentiments() -> int:
    return db.session.scalar(select(func.count(Sentiment.id)))


def test_a_submit_leaves_the_analysis_to_the_worker_and_results_say_so(
    app, client, staff_client, demo, analyse_waiting
):
    token = complete_easy_read(client)
    assert client.post(f"/surveys/{EASY}/submit", data={"submission_token": token}).status_code
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == EASY))
        assert db.session.scalar(select(Response.analysis_pending)) is True
        assert _sentiments() == 0
    staff = staff_client(Role.VIEWER)
    page = staff.get(f"/staff/results/surveys/{survey_id}").get_data(as_text=True)
    assert "1 answer awaiting analysis" in page
    assert analyse_waiting() == 1
    with app.app_context():
        assert db.session.scalar(select(Response.analysis_pending)) is False
        assert _sentiments() == 1
    page = staff.get(f"/staff/results/surveys/{survey_id}").get_data(as_text=True)
    assert "awaiting analysis" not in page


def test_a_worker_stopped_mid_batch_loses_nothing_and_analyses_each_answer_once(app_context):
    texts = _waiting(7)
    stopped = Recording(current_analyser(), fail_on=2)
    worker.analyse_batch(batch_size=3, analyser=stopped)  # the first batch is done
    with pytest.raises(RuntimeError):
        worker.analyse_batch(batch_size=3, analyser=stopped)
    db.session.rollback()
    assert _sentiments() == 3
    restarted = Recording(current_analyser())
    while worker.analyse_batch(batch_size=3, analyser=restarted)[0]:
        pass
    # The batch in hand when it stopped is analysed by the restart, and nothing twice.
    assert Counter(stopped.seen[:3] + restarted.seen) == Counter(texts)
    assert _sentiments() == 7
    assert not db.session.scalar(select(func.count()).where(Response.analysis_pending))


def test_two_workers_never_analyse_the_same_answer(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip(reason="PostgreSQL only: SELECT … FOR UPDATE SKIP LOCKED")
        texts = _waiting(24)
    analysers: list[Recording] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work() -> None:
        with app.app_context():
            try:
                analyser = Recording(current_analyser(), pause=0.05)
                analysers.append(analyser)
                start.wait()
                while worker.analyse_batch(batch_size=2, analyser=analyser)[0]:
                    pass
            except BaseException as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    first, second = (set(analyser.seen) for analyser in analysers)
    assert first and second, "both workers took part"
    assert not first & second
    assert Counter(analysers[0].seen + analysers[1].seen) == Counter(texts)
    with app.app_context():
        assert _sentiments() == 24
