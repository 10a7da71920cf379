"""`engage analyse`: analyses what is new, and running it again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.extensions import db
from engage.learn import themes
from engage.learn.models import Coding, SafeguardingFlag, Sentiment, SentimentLabel
from tests.learn.factories import BETTER, GOOD, make_response, make_survey, submit_and_analyse


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count(model.id)))
        for model in (Sentiment, Coding, SafeguardingFlag)
    )


def test_analyse_command_is_idempotent(app, app_context):
    themes.seed_codebook()
    survey = make_survey(BETTER, GOOD)
    make_response(survey, "Nothing", "The speech therapist listened to us")
    make_response(survey, "Shorter waiting lists", None)
    make_response(survey, "He hits me", "Nothing")
    make_response(survey, "A draft is not analysed", "", submitted=False)
    db.session.commit()
    runner = app.test_cli_runner()

    result = runner.invoke(args=["analyse"])
    assert result.exit_code == 0, result.output
    assert "Analysed 5 answers." in result.output
    db.session.expire_all()
    first = _counts()
    assert first[0] == 5 and first[1] > 0 and first[2] == 1

    assert "Analysed 0 answers." in runner.invoke(args=["analyse"]).output
    assert "Analysed 5 answers." in runner.invoke(args=["analyse", "--all"]).output
    db.session.expire_all()
    assert _counts() == first


def test_answers_get_the_sentiment_their_question_gives_them(app_context):
    survey = make_survey(BETTER, GOOD)
    response = make_response(survey, "Nothing", "Nothing")
    submit_and_analyse(response)
    labels = [
        db.session.scalar(select(Sentiment.label).where(Sentiment.answer_id == answer.id))
        for answer in response.answers
    ]
    assert labels == [SentimentLabel.POSITIVE, SentimentLabel.NEGATIVE]


def test_new_keywords_reach_old_answers_on_the_next_run(app_context):
    survey = make_survey(GOOD)
    answer = make_response(survey, "The trampoline park was fun").answers[0]
    from engage.learn.analysis import analyse_pending

    assert analyse_pending() == 1
    assert analyse_pending() == 0
    themes.create_theme("Trampolines", "trampoline")
    db.session.commit()
    # The codebook changed, so the analyser's version did: the answer is analysed again.
    assert analyse_pending() == 1
    coded = db.session.scalars(select(Coding).where(Coding.answer_id == answer.id)).all()
    assert [coding.theme.name for coding in coded] == ["Trampolines"]
