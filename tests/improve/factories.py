"""Small factories for the improve, respond and reports tests: each builds one row with
sensible defaults and flushes, so ids are there to use."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, timedelta  # noqa: F401 - UTC and datetime for tests

from engage import figures
from engage.ask.models import Audience, Question, QuestionKind, Survey, SurveyMode, SurveyStatus
from engage.extensions import db
from engage.improve.models import Action, ActionStatus
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    EngagementStatus,
    Organisation,
    OrganisationKind,
    Service,
)
from engage.learn import tally as learn_tally
from engage.learn.models import Coding, CodingSource, SafeguardingFlag, Theme
from engage.listen import tally
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    ContactDetail,
    RespondentGroup,
    Response,
    ResponseStatus,
)
from engage.respond.models import Update, UpdateStatus


def _suffix() -> str:
    return secrets.token_hex(3)


def organisation(name: str | None = None, kind=OrganisationKind.COUNCIL) -> Organisation:
    found = Organisation(name=name or f"Organisation {_suffix()}", kind=kind)
    db.session.add(found)
    db.session.flush()
    return found


def service(commissioner: Organisation | None = None, name: str | None = None) -> Service:
    name = name or f"Service {_suffix()}"
    found = Service(
        slug=name.lower().replace(" ", "-"),
        name=name,
        commissioner=commissioner or organisation(),
    )
    db.session.add(found)
    db.session.flush()
    return found


def engagement(
    services: list[Service] | None = None,
    title: str | None = None,
    closes_on: date | None = None,
    status=EngagementStatus.CLOSED,
    stage=CommissioningStage.REVIEW,
    organisation_: Organisation | None = None,
) -> Engagement:
    title = title or f"Engagement {_suffix()}"
    found = Engagement(
        slug=title.lower().replace(" ", "-"),
        title=title,
        summary="A summary",
        stage=stage,
        status=status,
        opens_on=(closes_on or date(2026, 5, 1)) - timedelta(days=30),
        closes_on=closes_on or date(2026, 5, 1),
        organisation=organisation_,
        services=services or [],
    )
    db.session.add(found)
    db.session.flush()
    return found


def survey(engagement_: Engagement | None = None, title: str | None = None) -> Survey:
    title = title or f"Survey {_suffix()}"
    found = Survey(
        slug=title.lower().replace(" ", "-"),
        title=title,
        audience=Audience.EVERYONE,
        mode=SurveyMode.STANDARD,
        status=SurveyStatus.PUBLISHED,
        engagement=engagement_,
    )
    found.questions.append(
        Question(position=1, key="comments", kind=QuestionKind.FREE_TEXT, text="Tell us more")
    )
    db.session.add(found)
    db.session.flush()
    return found


def response(
    survey_: Survey,
    text: str | None = "It took a long time to get an appointment",
    group=RespondentGroup.PARENT_CARER,
    answered_how=AnsweredHow.NOT_SAID,
    email: str | None = None,
    wants_updates: bool = True,
    submitted: bool = True,
    submitted_at: datetime | None = None,
    receipt_code: str | None = None,
) -> Response:
    found = Response(
        survey=survey_,
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        channel=Channel.ONLINE,
        respondent_group=group,
        answered_how=answered_how,
        submission_token=secrets.token_hex(16),
        receipt_code=(receipt_code or secrets.token_hex(4).upper()) if submitted else None,
        submitted_at=(submitted_at or datetime(2026, 4, 20, 12, tzinfo=UTC)) if submitted else None,
    )
    if text is not None:
        found.answers.append(Answer(question=survey_.questions[0], text=text))
    if email is not None:
        found.contact = ContactDetail(email=email, wants_updates=wants_updates)
    db.session.add(found)
    db.session.flush()
    tally.add([found.id])
    return found


def theme(name: str | None = None, description: str = "") -> Theme:
    name = name or f"Theme {_suffix()}"
    found = Theme(slug=name.lower().replace(" ", "-"), name=name, description=description)
    db.session.add(found)
    db.session.flush()
    return found


def code(response_: Response, theme_: Theme) -> Coding:
    found = Coding(
        answer_id=response_.answers[0].id,
        theme_id=theme_.id,
        source=CodingSource.STAFF,
        confirmed=True,
    )
    with learn_tally.recount([found.answer_id]):
        db.session.add(found)
    return found


def flag(response_: Response, whole_response: bool = False) -> SafeguardingFlag:
    found = SafeguardingFlag(
        response_id=response_.id,
        answer_id=None if whole_response else response_.answers[0].id,
        reason="phrase screen",
    )
    db.session.add(found)
    db.session.flush()
    return found


def action(
    owner: Organisation | None = None,
    themes: list[Theme] | None = None,
    status=ActionStatus.PLANNED,
    due_on: date | None = None,
    title: str | None = None,
    service_: Service | None = None,
    engagement_: Engagement | None = None,
    reason: str | None = None,
) -> Action:
    found = Action(
        title=title or f"We will act {_suffix()}",
        owner_organisation=owner or organisation(),
        themes=themes or [],
        status=status,
        due_on=due_on or date(2030, 1, 1),
        service=service_,
        engagement=engagement_,
        not_possible_reason=reason,
    )
    db.session.add(found)
    db.session.flush()
    figures.renew()
    return found


def update(
    engagement_: Engagement,
    theme_: Theme | None = None,
    published_at: datetime | None = None,
    title: str | None = None,
    actions: list[Action] | None = None,
    you_said: str = "<p>People told us waits are long.</p>",
    we_did: str = "<p>We are hiring.</p>",
) -> Update:
    title = title or f"Update {_suffix()}"
    found = Update(
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        engagement=engagement_,
        theme=theme_,
        title=title,
        you_said=you_said,
        we_did=we_did,
        easy_read_you_said="<p>You said waits are long.</p>",
        easy_read_we_did="<p>We will get more staff.</p>",
        status=UpdateStatus.PUBLISHED if published_at else UpdateStatus.DRAFT,
        published_at=published_at,
        actions=actions or [],
    )
    db.session.add(found)
    db.session.flush()
    figures.renew()
    return found
