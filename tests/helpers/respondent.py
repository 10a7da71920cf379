"""A respondent answering the demo's surveys through HTTP, as the survey pages ask: start,
answer question by question, check, submit. Needs the `demo` fixture's surveys."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from engage.extensions import db
from engage.listen.models import Answer, Response

EASY = "talking-help-at-school"
STANDARD = "local-offer-and-sen-support"


def begin(client, slug):
    response = client.post(f"/surveys/{slug}/start")
    assert response.status_code == 303
    return response.headers["Location"]


def answer(client, slug, key, data=None, action="continue", **params):
    form = {"action": action}
    form.update({f"answer-{k}": v for k, v in (data or {}).items()})
    query = "?change=1" if params.get("change") else ""
    return client.post(f"/surveys/{slug}/questions/{key}{query}", data=form)


def submission_token(client, slug):
    """The hidden token on the check-your-answers page, which the submit button sends."""
    page = BeautifulSoup(client.get(f"/surveys/{slug}/check").get_data(as_text=True), "html.parser")
    return page.find("input", attrs={"name": "submission_token"})["value"]


def complete_easy_read(client):
    """Answers every question of the easy read survey; returns the submission token."""
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    answer(client, EASY, "feel_about_help", {"feel_about_help": "happy"})
    answer(client, EASY, "helps_most", {"helps_most": ["pictures", "games"]})
    answer(client, EASY, "listened_to", {"listened_to": "agree"})
    answer(client, EASY, "better", {"better": "More time with my therapist <b>please</b>"})
    answer(client, EASY, "answered_how", {"answered_how": "with_help"})
    answer(client, EASY, "age_band", {"age_band": "12_15"})
    return submission_token(client, EASY)


def submit_with_contact(app, client) -> str:
    """Completes and submits the easy read survey, leaving an email on the confirmation page;
    returns the response's receipt code."""
    token = complete_easy_read(client)
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    client.post(done.headers["Location"], data={"email": "young.person@example.com"})
    with app.app_context():
        return db.session.scalar(select(Response.receipt_code))


def submit_written_answer(app, client, text: str) -> tuple[int, int]:
    """Submits the easy read survey with this answer to "what would make it better"; returns
    the answer's id and its engagement's id."""
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "no"})
    answer(client, EASY, "listened_to", {"listened_to": "disagree"})
    answer(client, EASY, "better", {"better": text})
    client.post(
        f"/surveys/{EASY}/submit", data={"submission_token": submission_token(client, EASY)}
    )
    with app.app_context():
        found = db.session.scalar(select(Answer).where(Answer.text == text))
        return found.id, found.response.survey.engagement_id
