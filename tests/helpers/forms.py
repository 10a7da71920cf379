"""Staff's create forms as a commissioner fills them in: surveys, questions of each kind, and
engagements; and the one-use token a create form carries."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from engage.extensions import db
from engage.inform.models import Engagement

CONFIRMED = {"confirmed": "yes"}  # sent by the publish confirmation page
KIND_FORMS = {
    "single_choice": {
        "text": "Where do you get help?",
        "options": "At school\nAt home\nAt a clinic",
    },
    "multiple_choice": {"text": "What helps you most?", "options": "Pictures\r\nGames\r\n\r\nTime"},
    "feelings_scale": {"text": "How do you feel about your help?"},
    "agree_scale": {"text": "Staff listen to me"},
    "yes_no": {"text": "Do you get help with talking?"},
    "free_text": {"text": "What would make help better?", "max_length": "500"},
    "respondent_group": {"text": "Who is answering?"},
    "age_band": {"text": "How old are you?"},
    "answered_how": {"text": "How did you answer?"},
}


def form_token(page: str) -> str:
    """The create form's hidden creation_token: the same token twice makes one thing."""
    found = BeautifulSoup(page, "html.parser").find_all("input", attrs={"name": "creation_token"})
    assert len(found) == 1, f"{len(found)} creation tokens on the page"
    return found[0]["value"]


def survey_form(**changes) -> dict:
    form = {
        "title": "Help with talking at school",
        "easy_read_title": "Talking at school",
        "description": "Tell us about speech and language help.",
        "easy_read_description": "Tell us about help with talking.",
        "audience": "young_people",
        "mode": "easy_read",
        "engagement": "",
        "minutes_to_complete": "5",
        "retention_days": "730",
        "one_question_per_page": "y",
    }
    form.update(changes)
    return form


def create_survey(client, **changes) -> str:
    """Creates a survey through the editor; returns its slug."""
    response = client.post("/staff/surveys/new", data=survey_form(**changes))
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def add_question(client, slug: str, kind: str, **changes):
    form = dict(KIND_FORMS[kind])
    form.update(changes)
    return client.post(f"/staff/surveys/{slug}/questions/new?kind={kind}", data=form)


def engagement_form(**changes) -> dict:
    form = {
        "title": "Help with talking at school",
        "easy_read_title": "Talking at school",
        "summary": "We want to know how speech and language help works in schools.",
        "easy_read_summary": "Tell us about help with talking.",
        "why": "We are planning next year's service.",
        "easy_read_why": "We want to make help better.",
        "next_steps": "We will publish what we heard in the spring.",
        "easy_read_next_steps": "We will tell you what we did.",
        "stage": "plan",
        "opens_on": ["1", "3", "2027"],
        "closes_on": ["30", "4", "2027"],
        "status": "open",
    }
    form.update(changes)
    return form


def stored_engagements(app) -> list[Engagement]:
    """Every engagement, with its services loaded, detached from the session."""
    with app.app_context():
        found = db.session.scalars(select(Engagement).order_by(Engagement.id)).all()
        for engagement in found:
            _ = [service.name for service in engagement.services]
        db.session.expunge_all()
        return found
