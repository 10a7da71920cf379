"""Synthetic responses: what results, exports and benchmarks will read must look real."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.ask.models import Question, QuestionKind
from engage.extensions import db
from engage.learn.models import Sentiment
from engage.listen.models import Answer, Channel, Response, ResponseStatus
from engage.listen.runner import AnswerValue, shown_keys
from engage.synthetic import generate


def _valid(question: Question, answer: Answer) -> bool:
    values = {option.value for option in question.options}
    if answer.skipped:
        return answer.choice is None and not answer.choices and answer.text is None
    if question.kind == QuestionKind.FREE_TEXT:
        return bool(answer.text and answer.text.strip()) and len(answer.text) <= question.max_length
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return bool(answer.choices) and set(answer.choices) <= values and answer.choice is None
    return answer.choice in values and not answer.choices


def test_synthetic_responses_are_submitted_and_answer_their_questions(app_context, demo):
    made = generate(200, seed=7)

    assert made.responses == 200
    assert db.session.scalar(select(func.count()).select_from(Response)) == 200
    assert db.session.scalar(select(func.count()).select_from(Answer)) == made.answers
    responses = db.session.scalars(select(Response)).all()
    assert {r.status for r in responses} == {ResponseStatus.SUBMITTED}
    assert all(
        r.receipt_code and r.submitted_at and r.started_at <= r.submitted_at for r in responses
    )
    assert len({r.survey_id for r in responses}) == 2
    assert Channel.PAPER in {r.channel for r in responses}
    for response in responses:
        answers = {a.question.key: a for a in response.answers}
        shown = {
            key: AnswerValue(a.choice, list(a.choices or []), a.text, a.skipped)
            for key, a in answers.items()
        }
        visible = shown_keys(response.survey, shown)
        for question in response.survey.questions:
            if question.key in answers:
                assert _valid(question, answers[question.key]), (question.key, answers)
            # Skip logic: hidden questions have no answer, shown ones always do.
            assert (question.key in answers) == (question.key in visible)
        about = answers.get("age_band")
        if about is not None and about.choice not in (None, "not_said"):
            assert response.age_band == about.choice


def test_free_text_varies(app_context, demo):
    generate(200, seed=3)
    texts = db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
    assert len(texts) > 100
    assert len(set(texts)) > len(texts) // 2


def test_running_twice_adds_more_without_clashing(app_context, demo):
    generate(150, seed=1)
    generate(150, seed=1, chunk=40)

    responses = db.session.scalars(select(Response)).all()
    assert len(responses) == 300
    assert len({r.receipt_code for r in responses}) == 300
    assert len({(r.survey_id, r.submission_token) for r in responses}) == 300


def test_drafts_for_benchmarks_have_answers_but_no_receipt(app_context, demo):
    generate(20, slugs=["local-offer-and-sen-support"], status=ResponseStatus.DRAFT)

    drafts = db.session.scalars(select(Response)).all()
    assert {r.status for r in drafts} == {ResponseStatus.DRAFT}
    assert all(r.receipt_code is None and r.submitted_at is None and r.answers for r in drafts)


def test_demo_command_adds_responses(app, demo):
    result = app.test_cli_runner().invoke(
        args=["demo", "--empty", "--responses", "50", "--seed", "2"]
    )

    assert result.exit_code == 0, result.output
    assert "Added 50 synthetic responses" in result.output
    assert "Run `engage analyse` to analyse their written answers." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 50
        assert db.session.scalar(select(func.count()).select_from(Sentiment)) == 0
    # As the README says: `engage analyse` afterwards analyses them.
    analysed = app.test_cli_runner().invoke(args=["analyse"])
    assert analysed.exit_code == 0, analysed.output
    with app.app_context():
        sentiments = db.session.scalar(select(func.count()).select_from(Sentiment))
    assert sentiments > 0 and f"Analysed {sentiments} answers." in analysed.output
