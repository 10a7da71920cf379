"""Small builders for the learn tests: a survey with free-text questions, and responses."""

from __future__ import annotations

import secrets

from engage.accounts.auth import create_user
from engage.accounts.models import Role
from engage.ask.models import Audience, Question, QuestionKind, Survey, SurveyMode, SurveyStatus
from engage.extensions import db
from engage.learn import worker
from engage.learn.analysis import screen_submitted_response
from engage.listen import tally
from engage.listen.models import Answer, Channel, Response, ResponseStatus
from engage.schema import utcnow

BETTER = "What could we do better?"
GOOD = "What was good?"
# Answers about two needs the codebook has no theme for: what theme suggestions should find.
DENTIST = [
    "The dentist could not treat him without sedation",
    "We need a dentist who can treat disabled children",
    "Finding a dentist for my son is impossible",
    "The dentist refused to see him because of his behaviour",
    "No dentist in the area takes children like mine",
    "A dentist with a quiet room would make a big difference",
]
BARBER = [
    "Haircuts are a nightmare, the barber gets cross",
    "We cut his hair at home because the barber shop is too noisy",
    "Every haircut ends in tears at the barber",
    "Barber shops should offer quiet haircuts",
    "A calm barber for haircuts please",
]


def make_survey(*questions: str) -> Survey:
    survey = Survey(
        slug=f"survey-{secrets.token_hex(4)}",
        title="Feedback on help",
        audience=Audience.PARENTS_CARERS,
        mode=SurveyMode.STANDARD,
        status=SurveyStatus.PUBLISHED,
    )
    for position, text in enumerate(questions or (BETTER, GOOD)):
        survey.questions.append(
            Question(position=position, key=f"q{position}", kind=QuestionKind.FREE_TEXT, text=text)
        )
    db.session.add(survey)
    db.session.flush()
    return survey


def make_response(survey: Survey, *texts: str | None, submitted: bool = True) -> Response:
    """A response answering the survey's questions in order with these texts."""
    response = Response(
        survey=survey,
        channel=Channel.ONLINE,
        submission_token=secrets.token_urlsafe(16),
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        submitted_at=utcnow() if submitted else None,
    )
    for question, text in zip(survey.questions, texts, strict=False):
        response.answers.append(Answer(question=question, text=text))
    db.session.add(response)
    db.session.flush()
    tally.add([response.id])
    return response


def submit_and_analyse(response: Response) -> None:
    """What the submit (its safeguarding screen) and then the analysis worker do with a
    response made by make_response. Commits."""
    screen_submitted_response(response)
    response.analysis_pending = True
    db.session.commit()
    worker.drain()


def make_staff(role: Role = Role.ADMIN):
    email = f"{role.value}-{secrets.token_hex(3)}@engage.example"
    user = create_user(email, "Staff", "correct horse battery staple", role)  # noqa: S106
    db.session.flush()
    return user
