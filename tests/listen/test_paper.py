"""Paper and posters: the printable survey has every question and option with tick boxes,
symbols and easy-read wording, a large-print option and the survey reference; the poster's QR
code decodes to the survey's address; the short link and staff entry by reference."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from engage.accounts.models import Role
from engage.ask.models import Survey, SurveyStatus
from engage.extensions import db
from engage.listen import paper
from engage.listen.models import Channel, Response

EASY = "talking-help-at-school"
STANDARD = "local-offer-and-sen-support"


def _survey(app, slug: str) -> tuple[int, str, list]:
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
        return (
            survey.id,
            paper.reference(survey),
            [
                (
                    q.text,
                    q.easy_read_text,
                    q.symbol,
                    [(o.text, o.easy_read_text, o.symbol) for o in q.options],
                )
                for q in survey.questions
            ],
        )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html.replace("&#39;", "'").replace("&amp;", "&"))


def test_the_paper_version_has_every_question_and_option(app, client, demo):
    _, reference, questions = _survey(app, STANDARD)
    page = client.get(f"/surveys/{STANDARD}/print")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = _text(html)
    for number, (wording, _easy, _symbol, options) in enumerate(questions, start=1):
        assert f"{number}. {wording}" in text
        for option_text, _e, _s in options:
            assert f'<span class="govuk-body govuk-!-margin-bottom-0">{option_text}</span>' in html
    assert html.count('class="engage-tick-box"') == sum(len(q[3]) for q in questions)
    assert f"Survey reference {reference}" in text
    assert "Tick all that apply." in text and "Write your answer in the box." in text
    assert "engage-paper--large" not in html
    large = client.get(f"/surveys/{STANDARD}/print?size=large").get_data(as_text=True)
    assert 'class="engage-paper engage-paper--large"' in large


def test_the_easy_read_paper_version_has_its_symbols_and_wording(app, client, demo):
    _, _, questions = _survey(app, EASY)
    html = client.get(f"/surveys/{EASY}/print").get_data(as_text=True)
    text = _text(html)
    for number, (wording, easy, symbol, options) in enumerate(questions, start=1):
        assert f"{number}. {easy or wording}" in text
        if symbol:
            assert f"build/symbols/{symbol}.svg" in html
        for option_text, option_easy, option_symbol in options:
            assert f">{option_easy or option_text}</span>" in html
            if option_symbol:
                assert f"build/symbols/{option_symbol}.svg" in html
    # Skip logic in words: which earlier answer a question follows.
    assert "Only answer this if you ticked ‘Yes’ for question 1." in text
    standard = _text(client.get(f"/surveys/{EASY}/print?version=standard").get_data(as_text=True))
    assert f"1. {questions[0][0]}" in standard


def test_each_printed_page_carries_the_reference(app, client, demo):
    _, reference, _ = _survey(app, EASY)
    style = client.get(f"/surveys/{EASY}/print.css")
    assert style.headers["Content-Type"] == "text/css; charset=utf-8"
    assert f'@top-right {{ content: "Survey reference {reference}"' in style.get_data(as_text=True)
    assert 'content: "Page " counter(page) " of " counter(pages);' in style.get_data(as_text=True)
    assert f'href="/surveys/{EASY}/print.css" media="print"' in client.get(
        f"/surveys/{EASY}/print"
    ).get_data(as_text=True)


def test_a_draft_is_printed_only_for_staff(app, client, staff_client, demo):
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == EASY))
        survey.status = SurveyStatus.DRAFT
        db.session.commit()
        reference = paper.reference(survey)
    for path in ("print", "poster", "qr.svg", "print.css"):
        assert client.get(f"/surveys/{EASY}/{path}").status_code == 404
    assert client.get(f"/s/{reference}").status_code == 404
    assert staff_client(Role.VIEWER).get(f"/surveys/{EASY}/print").status_code == 200


def test_the_qr_code_decodes_to_the_survey_address(app, client, demo):
    with app.test_request_context(base_url="https://engage.example"):
        survey = db.session.scalar(select(Survey).where(Survey.slug == EASY))
        png = io.BytesIO()
        paper.qr_code(survey).save(png, kind="png", scale=6, border=4)
        (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
        assert found.text == f"https://engage.example/surveys/{EASY}"
        uri = paper.qr_data_uri(survey)
    page = client.get(f"/surveys/{EASY}/poster", base_url="https://engage.example")
    html = page.get_data(as_text=True)
    assert f'src="{uri.replace("&", "&amp;")}"' in html or f'src="{uri}"' in html
    assert 'alt="QR code: scan it with a phone camera' in html


def test_the_qr_code_uses_the_configured_site_address(app, demo):
    app.config["SITE_URL"] = "https://engage.northmoor.example"
    try:
        with app.test_request_context(base_url="http://internal:8000"):
            survey = db.session.scalar(select(Survey).where(Survey.slug == EASY))
            png = io.BytesIO()
            paper.qr_code(survey).save(png, kind="png", scale=6)
            (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
            assert found.text == f"https://engage.northmoor.example/surveys/{EASY}"
            assert paper.short_address(survey).startswith("https://engage.northmoor.example/s/")
    finally:
        app.config["SITE_URL"] = ""


def test_the_short_link_redirects_to_the_survey(app, client, demo):
    survey_id, reference, _ = _survey(app, EASY)
    for written in (reference, reference.lower()):
        found = client.get(f"/s/{written}")
        assert found.status_code == 301 and found.headers["Location"].endswith(f"/surveys/{EASY}")
    wrong = next(letter for letter in paper.CHECK_LETTERS if letter != reference[-1])
    assert client.get(f"/s/{survey_id}{wrong}").status_code == 404
    assert client.get("/s/99999A").status_code == 404
    poster = _text(client.get(f"/surveys/{EASY}/poster").get_data(as_text=True))
    assert f"http://localhost/s/{reference}" in poster


@pytest.mark.parametrize("written", ["{ref}", " {lower} ", "Ref {ref}"])
def test_staff_enter_a_paper_form_by_its_reference(app, staff_client, demo, written):
    _, reference, _ = _survey(app, STANDARD)
    staff = staff_client(Role.COMMISSIONER)
    found = staff.post(
        "/staff/paper", data={"reference": written.format(ref=reference, lower=reference.lower())}
    )
    assert found.status_code == 303
    assert found.headers["Location"].endswith(f"/staff/surveys/{STANDARD}/enter?channel=paper")
    page = staff.get(found.headers["Location"]).get_data(as_text=True)
    assert f"paper forms of this survey carry the reference {reference}" in page
    assert 'value="paper" checked' in page
    started = staff.post(f"/staff/surveys/{STANDARD}/enter", data={"channel": "paper"})
    assert started.status_code == 303
    with app.app_context():
        (response,) = db.session.scalars(select(Response))
        assert response.channel == Channel.PAPER and response.survey.slug == STANDARD


def test_a_mistyped_reference_is_refused_clearly(app, staff_client, demo):
    survey_id, reference, _ = _survey(app, STANDARD)
    staff = staff_client(Role.ADMIN)
    wrong = next(letter for letter in paper.CHECK_LETTERS if letter != reference[-1])
    refused = staff.post("/staff/paper", data={"reference": f"{survey_id}{wrong}"})
    assert refused.status_code == 400
    text = _text(refused.get_data(as_text=True))
    assert f"No survey has the reference {survey_id}{wrong}." in text
    assert f'value="{survey_id}{wrong}"' in refused.get_data(as_text=True)
    empty = staff.post("/staff/paper", data={"reference": ""})
    assert "Enter the reference printed at the top of the paper form" in empty.text
    assert staff_client(Role.VIEWER).get("/staff/paper").status_code == 403
