"""The review queue offers first what teaches the models most; staff see and sort by how sure
the analysis is; refits happen in the background after every few confirmations."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn import analysis, refit, review, themes
from engage.learn.models import CodingSource, Sentiment, SentimentLabel
from tests.learn.results_factories import (
    code,
    feel,
    free_text_answer,
    make_response,
    make_survey,
    make_theme,
)


def _answer(survey, text, certainty=None, label=SentimentLabel.NEUTRAL):
    answer = free_text_answer(make_response(survey, better=text))
    feel(answer, label).certainty = certainty
    return answer


def _confirm_examples(theme, survey, count):
    for index in range(count):
        answer = free_text_answer(make_response(survey, better=f"example {index} of {theme.name}"))
        code(answer, theme, confirmed=True)
        feel(answer, SentimentLabel.NEUTRAL, confirmed=SentimentLabel.NEUTRAL)


def test_an_uncertain_answer_comes_before_a_confident_one(app_context):
    survey = make_survey()
    sure = _answer(survey, "The staff were lovely", certainty=0.95)
    unsure = _answer(survey, "It was fine I suppose but", certainty=0.05)
    never_scored = _answer(survey, "ok", certainty=None)
    db.session.commit()
    assert review.next_answer_id() == unsure.id
    # Then the next least sure; an answer no model has scored comes last.
    assert review.next_answer_id(skipped=[unsure.id]) == sure.id
    assert review.next_answer_id(skipped=[unsure.id, sure.id]) == never_scored.id
    # "In order" is still arrival order.
    assert review.next_answer_id(order=review.Order.ARRIVAL) == sure.id


def test_a_rare_themes_answers_come_early(app_context):
    survey = make_survey()
    common, rare = make_theme("Waiting times"), make_theme("Communication needs")
    _confirm_examples(common, survey, review.RARE_THEME_EXAMPLES)
    _confirm_examples(rare, survey, review.RARE_THEME_EXAMPLES - 1)
    unsure_common = _answer(survey, "We waited and waited", certainty=0.01)
    code(unsure_common, common)
    sure_rare = _answer(survey, "Nobody used his signs", certainty=0.9)
    code(sure_rare, rare)
    db.session.commit()
    assert review.rare_theme_ids() == {rare.id}
    # Rarer than 10 confirmed examples beats less sure.
    assert review.next_answer_id() == sure_rare.id
    assert review.next_answer_id(skipped=[sure_rare.id]) == unsure_common.id


def test_answers_alike_the_last_one_wait_for_something_different():
    items = [
        review.QueueItem(1, 0.10, False, "theme:1"),
        review.QueueItem(2, 0.11, False, "theme:1"),
        review.QueueItem(3, 0.50, False, "theme:2"),
        review.QueueItem(4, 0.60, False, "text:nothing"),
    ]
    assert review.order_for_review(items, window=1) == [1, 3, 2, 4]
    # With no diversity it is plain least sure first.
    assert review.order_for_review(items, window=0) == [1, 2, 3, 4]
    # After an answer with theme 1, the least sure of another theme comes first.
    assert review.order_for_review(items, history=["theme:1"], window=1)[0] == 3


def test_staff_can_choose_in_order_or_a_theme(app, staff_client):
    with app.app_context():
        survey = make_survey()
        waiting = make_theme("Waiting times")
        first = _answer(survey, "first", certainty=0.9)
        second = _answer(survey, "second", certainty=0.1)
        third = _answer(survey, "third about waiting", certainty=0.5)
        code(third, waiting)
        db.session.commit()
        ids = {"first": first.id, "second": second.id, "third": third.id, "waiting": waiting.id}
    client = staff_client(Role.COMMISSIONER)
    assert (
        client.get("/staff/review")
        .headers["Location"]
        .endswith(
            f"/staff/review/{ids['third']}"  # a theme with few confirmed examples comes first
        )
    )
    in_order = client.get("/staff/review?order=arrival")
    assert f"/staff/review/{ids['first']}?order=arrival" in in_order.headers["Location"]
    # Saving keeps the order chosen: the next is the next in arrival order.
    saved = client.post(
        f"/staff/review/{ids['first']}?order=arrival", data={"sentiment": "neutral"}
    )
    assert "order=arrival" in saved.headers["Location"]
    assert (
        f"/staff/review/{ids['second']}"
        in client.get(saved.headers["Location"]).headers["Location"]
    )
    by_theme = client.get(f"/staff/review?theme={ids['waiting']}&order=arrival")
    assert f"/staff/review/{ids['third']}" in by_theme.headers["Location"]
    # Skipping in least-sure order moves on rather than offering the same answer again.
    skipped = client.get(f"/staff/review?after={ids['third']}&skip=1")
    assert f"/staff/review/{ids['second']}" in skipped.headers["Location"]


def test_confidence_is_shown_and_sortable(app, staff_client):
    with app.app_context():
        survey = make_survey()
        waiting = make_theme("Waiting times")
        low = _answer(survey, "maybe about a wait", certainty=0.2)
        code(low, waiting).confidence = 0.31
        high = _answer(survey, "waited two years", certainty=0.8)
        code(high, waiting).confidence = 0.93
        db.session.commit()
        low_id, high_id = low.id, high.id
    client = staff_client(Role.COMMISSIONER)
    page = client.get(f"/staff/review/{high_id}").get_data(True)
    assert "Suggested automatically, 93% confident" in page
    listing = client.get("/staff/review/queue?sort=confidence-high").get_data(True)
    assert "Waiting times (93%)" in listing and "Waiting times (31%)" in listing
    assert listing.index("waited two years") < listing.index("maybe about a wait")
    lowest = client.get("/staff/review/queue?sort=confidence-low").get_data(True)
    assert lowest.index("maybe about a wait") < lowest.index("waited two years")
    # The review order itself: least sure first.
    queue = client.get("/staff/review/queue").get_data(True)
    assert queue.index("maybe about a wait") < queue.index("waited two years")
    assert f"/staff/review/{low_id}" in queue


def _training_set(survey, theme):
    """Enough confirmed codings and labels for both models."""
    transport = make_theme("Transport")
    for index in range(30):
        for text, coded, label in (
            (f"the calm den was good {index}", theme, SentimentLabel.POSITIVE),
            (f"the bus was late again {index}", transport, SentimentLabel.NEGATIVE),
        ):
            answer = free_text_answer(make_response(survey, better=text))
            code(answer, coded, source=CodingSource.STAFF, confirmed=True)
            feel(answer, label, confirmed=label)


def test_the_models_refit_in_the_background_after_n_confirmations(app, staff_client):
    app.config["LEARNING_REFIT_EVERY"] = 3
    with app.app_context():
        survey = make_survey()
        theme = make_theme("Sensory rooms")
        _training_set(survey, theme)
        waiting = [_answer(survey, f"a calm den please {index}") for index in range(5)]
        db.session.commit()
        # Both models fitted here: no request, nothing to wait for.
        first = analysis.current_analyser().coder
        assert first.model is not None
        waiting_ids = [answer.id for answer in waiting]
    client = staff_client(Role.COMMISSIONER)
    started, release = threading.Event(), threading.Event()
    fitted = []
    train = themes._train_from_codings

    def slow_train(active):
        started.set()
        assert release.wait(30)
        model = train(active)
        fitted.append(model)
        return model

    themes._train_from_codings = slow_train
    try:
        for answer_id in waiting_ids[:2]:
            client.post(
                f"/staff/review/{answer_id}", data={"themes": [theme.id], "sentiment": "positive"}
            )
        assert not started.is_set()  # two confirmations: fewer than 3, the model is kept
        saved = client.post(
            f"/staff/review/{waiting_ids[2]}", data={"themes": [theme.id], "sentiment": "positive"}
        )
        # The page came back while the refit is still waiting to run.
        assert saved.status_code == 303
        assert started.wait(30) and not fitted
        # Another page meanwhile gets the model already fitted, without waiting.
        with app.test_request_context():
            assert themes.current_coder().version == first.version
        release.set()
        refit.wait_all(60)
    finally:
        themes._train_from_codings = train
        release.set()
    assert fitted and fitted[0] is not None
    with app.app_context():
        coder = themes.current_coder()
        assert coder.version != first.version
        # The answers still waiting were analysed again by the new models.
        rows = db.session.scalars(
            select(Sentiment).where(Sentiment.answer_id.in_(waiting_ids[3:]))
        ).all()
        assert rows and all(row.analyser_version.endswith(coder.version) for row in rows)
        assert all(row.certainty is not None for row in rows)


@pytest.fixture
def no_network(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the analysis tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_analysis_reads_nothing_from_the_network(app_context, monkeypatch, no_network):
    from engage.learn import analysis
    from engage.learn.text import embeddings

    # Load the embeddings afresh, with sockets refused.
    monkeypatch.setattr(embeddings, "_loaded", None)
    survey = make_survey()
    theme = make_theme("Sensory rooms")
    _training_set(survey, theme)
    new = free_text_answer(make_response(survey, better="we loved the calm den"))
    db.session.commit()
    analyser = analysis.current_analyser()
    assert analyser.coder.model is not None and analyser.sentiment.version.startswith("model")
    analysis.analyse_pending()
    stored = db.session.scalars(select(Sentiment).where(Sentiment.answer_id == new.id)).one()
    assert stored.label is SentimentLabel.POSITIVE and stored.confidence is not None
    coding = next(c for c in themes_of(new) if c.theme_id == theme.id)
    assert 0.0 < coding.confidence <= 1.0


def themes_of(answer):
    from engage.learn.models import Coding

    return db.session.scalars(select(Coding).where(Coding.answer_id == answer.id)).all()
