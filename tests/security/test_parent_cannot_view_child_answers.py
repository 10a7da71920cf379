"""SECURITY.md test_parent_cannot_view_child_answers (ICO Children's code standard 11): a
child's answers are the child's; a parent never reaches them through the product."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from engage.extensions import db
from engage.listen.models import RespondentGroup, Response
from engage.listen.runner import new_code
from tests.helpers.respondent import EASY, complete_easy_read
from tests.learn.results_factories import make_response, make_survey

CHILD_WORDS = "More time with my therapist &lt;b&gt;please&lt;/b&gt;"
PARENT_WORDS = "The annual review letter came late"


def child_submits(app, client) -> tuple[int, str]:
    token = complete_easy_read(client)
    assert (
        client.post(f"/surveys/{EASY}/submit", data={"submission_token": token}).status_code == 303
    )
    with app.app_context():
        child = db.session.scalar(select(Response).where(Response.receipt_code.is_not(None)))
        return child.id, child.receipt_code


def parent_response(app) -> str:
    with app.app_context():
        survey = make_survey("parents-survey", title="Parents survey")
        response = make_response(survey, better=PARENT_WORDS, group=RespondentGroup.PARENT_CARER)
        response.receipt_code = new_code()
        db.session.commit()
        return response.receipt_code


def test_parent_with_own_code_sees_only_own_answers(app, client, demo):
    child_id, _child_code = child_submits(app, client)
    parent = app.test_client()
    parent_code = parent_response(app)
    assert parent.post("/my-answers", data={"code": parent_code}).status_code == 303
    for url in (
        "/my-answers/view",
        f"/my-answers/view?response={child_id}",
        f"/my-answers/download.json?response={child_id}",
        f"/my-answers/download.json?id={child_id}",
    ):
        page = parent.get(url).get_data(as_text=True)
        assert PARENT_WORDS in page, url
        assert "More time with my therapist" not in page, url


def test_parent_without_the_childs_code_gets_nothing(app, client, demo):
    child_submits(app, client)
    parent = app.test_client()
    for url in ("/my-answers/view", "/my-answers/download.json"):
        page = parent.get(url)
        assert page.status_code == 302, url
        assert "More time with my therapist" not in page.get_data(as_text=True)
    # The public receipt look-up says what happened next, never what was said.
    with app.app_context():
        code = db.session.scalar(select(Response.receipt_code))
    receipt = parent.post("/receipt", data={"code": code}).get_data(as_text=True)
    assert "More time with my therapist" not in receipt


def test_on_a_shared_device_the_childs_answers_close_when_hidden(app, client, demo):
    _child_id, child_code = child_submits(app, client)
    assert client.post("/my-answers", data={"code": child_code}).status_code == 303
    assert CHILD_WORDS in client.get("/my-answers/view").get_data(as_text=True)
    hidden = client.post("/my-answers/hide")
    assert hidden.status_code == 303
    # The parent picks up the same device.
    after = client.get("/my-answers/view")
    assert after.status_code == 302
    assert CHILD_WORDS not in client.get(after.headers["Location"]).get_data(as_text=True)
    assert client.get("/my-answers/download.json").status_code == 302


def test_on_a_shared_device_the_childs_answers_close_by_themselves(app, client, demo):
    _child_id, child_code = child_submits(app, client)
    with freeze_time() as clock:
        assert client.post("/my-answers", data={"code": child_code}).status_code == 303
        clock.tick(timedelta(minutes=14))
        assert CHILD_WORDS in client.get("/my-answers/view").get_data(as_text=True)
        clock.tick(timedelta(minutes=2))
        assert client.get("/my-answers/view").status_code == 302
        assert client.get("/my-answers/download.json").status_code == 302


def test_parents_are_told_how_to_ask_and_that_staff_weigh_the_childs_interests(client):
    lookup = client.get("/my-answers").get_data(as_text=True)
    assert "/my-answers/someone-else" in lookup
    page = client.get("/my-answers/someone-else").get_data(as_text=True)
    assert "we do not show them to parents or carers, even with the receipt code" in page
    assert "what is best for your child" in page
    assert "within one month" in page
