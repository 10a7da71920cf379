"""The submit reads the draft and its survey in one go: a closed survey, another survey's
token or an unknown slug must still be refused as before, and staff may still enter paper
answers into a closed survey."""

from __future__ import annotations

from sqlalchemy import select, update

from engage.accounts.models import Role
from engage.ask.models import Survey, SurveyStatus
from engage.extensions import db
from engage.listen.models import Response, ResponseStatus
from tests.helpers.respondent import EASY, STANDARD, answer, complete_easy_read, submission_token


def _close(app, slug: str) -> None:
    with app.app_context():
        db.session.execute(
            update(Survey).where(Survey.slug == slug).values(status=SurveyStatus.CLOSED)
        )
        db.session.commit()


def _statuses(app) -> list[ResponseStatus]:
    with app.app_context():
        return list(db.session.scalars(select(Response.status)))


def test_a_survey_closed_before_the_submit_refuses_it_and_keeps_the_draft(app, client, demo):
    token = complete_easy_read(client)
    _close(app, EASY)
    refused = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    # To the start page, which says it closed and shows the answers that were not sent.
    assert refused.status_code == 303 and refused.headers["Location"].endswith(f"/surveys/{EASY}")
    assert "Your answers were not sent" in client.get(refused.headers["Location"]).text
    assert _statuses(app) == [ResponseStatus.DRAFT]


def test_a_token_posted_to_another_survey_submits_nothing(app, client, demo):
    token = complete_easy_read(client)
    other = client.post(f"/surveys/{STANDARD}/submit", data={"submission_token": token})
    assert other.status_code == 303 and other.headers["Location"].endswith(f"/surveys/{STANDARD}")
    assert (
        client.post("/surveys/no-such-survey/submit", data={"submission_token": token}).status_code
        == 404
    )
    assert _statuses(app) == [ResponseStatus.DRAFT]
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert done.status_code == 303 and "/confirmation" in done.headers["Location"]
    assert _statuses(app) == [ResponseStatus.SUBMITTED]


def test_staff_enter_paper_answers_into_a_closed_survey(app, staff_client, demo):
    staff = staff_client(Role.COMMISSIONER)
    _close(app, STANDARD)
    started = staff.post(f"/staff/surveys/{STANDARD}/enter", data={"channel": "paper"})
    assert started.status_code == 303
    answer(staff, STANDARD, "respondent_group", {"respondent_group": "parent_carer"})
    token = submission_token(staff, STANDARD)
    done = staff.post(f"/surveys/{STANDARD}/submit", data={"submission_token": token})
    assert done.status_code == 303 and "/confirmation" in done.headers["Location"]
    assert _statuses(app) == [ResponseStatus.SUBMITTED]
