"""A standard survey's easy-read version: chosen on the engagement page (or the survey's own),
it asks easy-read questions one per page and carries on to easy-read check, receipt and
"my answers" pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from engage.extensions import db
from engage.listen.models import Channel, Response
from tests.helpers.respondent import STANDARD, answer, submission_token


def test_easy_read_version_of_the_engagement_page_leads_to_easy_read_questions(app, client, demo):
    engagement = client.get(f"/engagements/{STANDARD}?version=easy-read").get_data(as_text=True)
    link = re.search(rf'href="(/surveys/{STANDARD}[^"]*)"', engagement).group(1)
    start = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">Finding help and support</h1>' in start
    assert "There is one question on each page." in start
    first = client.post(f"/surveys/{STANDARD}/start").headers["Location"]
    page = client.get(first).get_data(as_text=True)
    assert "Who are you?" in page and "I am a parent or carer" in page
    assert "engage-easy-read-mode" in page and 'class="engage-symbol"' in page
    answer(client, STANDARD, "respondent_group", {"respondent_group": "parent_carer"})
    moved = answer(client, STANDARD, "used_local_offer", {"used_local_offer": "yes"})
    # One question on each page, even where the standard version groups two.
    assert moved.headers["Location"].endswith("/questions/found_information")
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Could you find what you needed on the website?" in page
    assert "What did you look for?" not in page
    answer(client, STANDARD, "found_information", {"found_information": "agree"})
    answer(client, STANDARD, "looked_for", {"looked_for": ["other"]})
    page = client.get(f"/surveys/{STANDARD}/questions/looked_for_other").get_data(as_text=True)
    assert "What else did you look for?" in page
    check = client.get(f"/surveys/{STANDARD}/check").get_data(as_text=True)
    assert "Look at your answers. You can change them." in check
    assert "Could you find what you needed on the website?" in check
    client.post(
        f"/surveys/{STANDARD}/submit", data={"submission_token": submission_token(client, STANDARD)}
    )
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.channel == Channel.EASY_READ_ONLINE
        receipt = response.receipt_code
    confirmation = client.get(f"/surveys/{STANDARD}/confirmation").get_data(as_text=True)
    assert "engage-easy-read-mode" in confirmation and "Your code is" in confirmation
    assert "With your code you can see what we did." in confirmation

    # "My answers" opens in the version the answers were given in, and can switch.
    fresh = app.test_client()
    fresh.post("/my-answers", data={"code": receipt})
    mine = fresh.get("/my-answers/view").get_data(as_text=True)
    assert "Could you find what you needed on the website?" in mine
    assert "Your code is " + receipt in mine and "When you finish" in mine
    standard = fresh.get("/my-answers/view?version=standard").get_data(as_text=True)
    assert "I could find the information I needed on the Local Offer." in standard
    assert "When you have finished" in standard


def test_standard_version_stays_standard(app, client, demo):
    client.get(f"/engagements/{STANDARD}")
    first = client.post(f"/surveys/{STANDARD}/start").headers["Location"]
    page = client.get(first).get_data(as_text=True)
    assert "Who is filling in this survey?" in page and "engage-easy-read-mode" not in page
    with app.app_context():
        assert db.session.scalar(select(Response)).channel == Channel.ONLINE


def test_my_answers_look_up_has_an_easy_read_version(client):
    easy = client.get("/my-answers?version=easy-read").get_data(as_text=True)
    assert "See your answers" in easy and "Type the code you got" in easy
    standard = client.get("/my-answers?version=standard").get_data(as_text=True)
    assert "See or delete your answers" in standard
