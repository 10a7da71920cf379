"""Small factories for the results, quotes, review, export and safeguarding tests."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from engage import figures
from engage.ask.kinds import STANDARD_OPTIONS
from engage.ask.models import (
    Audience,
    Option,
    Question,
    QuestionKind,
    Survey,
    SurveyMode,
    SurveyStatus,
)
from engage.extensions import db
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    Organisation,
    OrganisationKind,
    Service,
)
from engage.learn import tally as learn_tally
from engage.learn.models import (
    Coding,
    CodingSource,
    FlagEvent,
    FlagStatus,
    SafeguardingFlag,
    Sentiment,
    SentimentLabel,
    Theme,
)
from engage.listen import tally
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
)

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


def make_service(name: str = "Speech and language therapy") -> Service:
    organisation = db.session.query(Organisation).filter_by(name="Test council").one_or_none()
    if organisation is None:
        organisation = Organisation(name="Test council", kind=OrganisationKind.COUNCIL)
        db.session.add(organisation)
    service = Service(slug=name.lower().replace(" ", "-"), name=name, commissioner=organisation)
    db.session.add(service)
    db.session.flush()
    return service


def make_survey(
    slug: str | None = None,
    *,
    services: list[Service] | None = None,
    title: str = "Help at school",
    extra_questions: int = 0,
) -> Survey:
    """A survey with one question of each kind the results pages chart, plus free text."""
    slug = slug or f"survey-{secrets.token_hex(3)}"
    engagement = Engagement(
        slug=f"eng-{slug}", title=f"Engagement for {title}", stage=CommissioningStage.REVIEW
    )
    engagement.services = list(services or [])
    survey = Survey(
        slug=slug,
        title=title,
        audience=Audience.EVERYONE,
        mode=SurveyMode.STANDARD,
        status=SurveyStatus.PUBLISHED,
        engagement=engagement,
    )
    specs = [
        ("feel", QuestionKind.FEELINGS_SCALE, "How do you feel about the help?"),
        ("listened_to", QuestionKind.AGREE_SCALE, "I feel listened to."),
        ("helps", QuestionKind.MULTIPLE_CHOICE, "What helps most?"),
        ("better", QuestionKind.FREE_TEXT, "What would make it better?"),
    ]
    specs += [
        (f"extra_{n}", QuestionKind.FREE_TEXT, f"Extra question {n}")
        for n in range(extra_questions)
    ]
    for position, (key, kind, text) in enumerate(specs):
        question = Question(position=position, key=key, kind=kind, text=text)
        if kind in STANDARD_OPTIONS:
            question.options = [
                Option(position=i, value=o.value, text=o.text)
                for i, o in enumerate(STANDARD_OPTIONS[kind])
            ]
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            question.options = [
                Option(position=0, value="pictures", text="Pictures and symbols"),
                Option(position=1, value="games", text="Games"),
                Option(position=2, value="someone_listening", text="Someone who listens"),
            ]
        survey.questions.append(question)
    db.session.add(survey)
    db.session.flush()
    return survey


def question(survey: Survey, key: str) -> Question:
    return next(q for q in survey.questions if q.key == key)


def make_response(
    survey: Survey,
    *,
    feel: str | None = None,
    listened_to: str | None = None,
    helps: list[str] | None = None,
    better: str | None = None,
    group: RespondentGroup = RespondentGroup.YOUNG_PERSON,
    channel: Channel = Channel.ONLINE,
    how: AnsweredHow = AnsweredHow.OWN,
    submitted: bool = True,
    when: datetime = WHEN,
) -> Response:
    response = Response(
        survey=survey,
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        channel=channel,
        respondent_group=group,
        answered_how=how,
        submission_token=secrets.token_hex(16),
        started_at=when - timedelta(minutes=5),
        submitted_at=when if submitted else None,
    )
    if feel is not None:
        response.answers.append(Answer(question=question(survey, "feel"), choice=feel))
    if listened_to is not None:
        response.answers.append(
            Answer(question=question(survey, "listened_to"), choice=listened_to)
        )
    if helps is not None:
        response.answers.append(Answer(question=question(survey, "helps"), choices=helps))
    if better is not None:
        response.answers.append(Answer(question=question(survey, "better"), text=better))
    db.session.add(response)
    db.session.flush()
    tally.add([response.id])
    return response


def free_text_answer(response: Response) -> Answer:
    return next(a for a in response.answers if a.text is not None)


def make_theme(name: str, keywords: str = "", *, active: bool = True) -> Theme:
    theme = Theme(
        slug=name.lower().replace(" ", "-"),
        name=name,
        plain_name=name,
        keywords=keywords,
        active=active,
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def code(
    answer: Answer,
    theme: Theme,
    *,
    source: CodingSource = CodingSource.AUTO,
    confirmed: bool = False,
) -> Coding:
    coding = Coding(answer_id=answer.id, theme_id=theme.id, source=source, confirmed=confirmed)
    with learn_tally.recount([answer.id]):
        db.session.add(coding)
    return coding


def feel(
    answer: Answer,
    label: SentimentLabel,
    score: float = 0.0,
    confirmed: SentimentLabel | None = None,
) -> Sentiment:
    """The analyser's label, or staff's confirmed label if given."""
    sentiment = Sentiment(
        answer_id=answer.id,
        label=confirmed or label,
        confirmed_label=confirmed,
        score=score,
        analyser_version="test",
    )
    with learn_tally.recount([answer.id]):
        db.session.add(sentiment)
    return sentiment


def flag(
    response: Response, answer: Answer | None = None, reason: str = "phrase"
) -> SafeguardingFlag:
    safeguarding_flag = SafeguardingFlag(
        response_id=response.id,
        answer_id=answer.id if answer else None,
        reason=reason,
        verbatim=answer.text if answer else None,
    )
    db.session.add(safeguarding_flag)
    db.session.flush()
    db.session.add(FlagEvent(flag_id=safeguarding_flag.id, status=FlagStatus.NEW, note="Flagged"))
    db.session.flush()
    figures.renew()
    return safeguarding_flag
