"""Learn pages as staff use them: who may see what, results, quotes, concerns and exports."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag, SentimentLabel
from engage.listen.models import Channel, RespondentGroup
from tests.learn.results_factories import (
    code,
    feel,
    flag,
    free_text_answer,
    make_response,
    make_service,
    make_survey,
    make_theme,
)


@pytest.fixture
def survey_id(app):
    with app.app_context():
        survey = make_survey(title="Help at school")
        make_response(survey, feel="very_happy", better="More games please")
        make_response(survey, feel="happy")
        make_response(survey, feel="sad", group=RespondentGroup.PARENT_CARER, channel=Channel.PHONE)
        make_response(survey, feel="very_sad", better="draft words", submitted=False)
        db.session.commit()
        return survey.id


def _table_numbers(html: str, caption: str) -> dict[str, str]:
    """The rows of the table with this caption: first cell -> last cell."""
    start = html.index(caption)
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    numbers = {}
    for row in rows[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        numbers[cells[0].strip()] = cells[-1].strip()
    return numbers


# --- who may see what --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COMMISSIONER, Role.VIEWER])
def test_results_roles_see_results(staff_client, survey_id, role):
    client = staff_client(role)
    assert client.get("/staff/results").status_code == 200
    assert client.get(f"/staff/results/surveys/{survey_id}").status_code == 200
    assert client.get(f"/staff/results/surveys/{survey_id}/quotes").status_code == 200


def test_viewer_cannot_see_safeguarding_review_codebook_or_export(staff_client, survey_id):
    client = staff_client(Role.VIEWER)
    assert client.get("/staff/safeguarding").status_code == 403
    assert client.get("/staff/review").status_code == 403
    assert client.get("/staff/codebook").status_code == 403
    assert client.get(f"/staff/results/surveys/{survey_id}/export/responses.csv").status_code == 403


def test_safeguarding_lead_sees_the_queue_but_not_results(staff_client, survey_id):
    client = staff_client(Role.SAFEGUARDING_LEAD)
    assert client.get("/staff/safeguarding").status_code == 200
    assert client.get(f"/staff/results/surveys/{survey_id}").status_code == 403


def test_commissioner_cannot_see_safeguarding(staff_client):
    assert staff_client(Role.COMMISSIONER).get("/staff/safeguarding").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, survey_id):
    for path in (f"/staff/results/surveys/{survey_id}", "/staff/safeguarding", "/staff/review"):
        response = client.get(path)
        assert response.status_code in (302, 401)


# --- results pages -----------------------------------------------------------------------


def test_results_page_shows_charts_with_the_same_numbers_in_tables(staff_client, survey_id):
    html = staff_client(Role.VIEWER).get(f"/staff/results/surveys/{survey_id}").get_data(True)
    assert "3 submitted responses" in html  # the draft is not counted
    feel_table = _table_numbers(html, "How do you feel about the help?: the numbers")
    assert feel_table == {
        "Very happy": "1",
        "Happy": "1",
        "Okay": "0",
        "Sad": "1",
        "Very sad": "0",
    }
    # The chart beside it carries a title and the same numbers in its description.
    # (From the chart's heading: the contents list names the question first.)
    heading = re.search(r'id="question-\d+">How do you feel about the help\?<', html)
    svg = re.search(r"<svg[^>]*>.*?</svg>", html[heading.start() :], re.S)
    assert "<title" in svg.group(0)
    assert "Very happy: 1; Happy: 1; Okay: 0; Sad: 1; Very sad: 0." in svg.group(0)
    assert 'role="img"' in svg.group(0)
    assert _table_numbers(html, "Responses by who answered: the numbers") == {
        "Children and young people": "2",
        "Parents and carers": "1",
    }


def test_filters_apply_to_the_whole_page(staff_client, survey_id):
    client = staff_client(Role.COMMISSIONER)
    html = client.get(f"/staff/results/surveys/{survey_id}?group=parent_carer").get_data(True)
    assert "1 submitted response" in html
    feel_table = _table_numbers(html, "How do you feel about the help?: the numbers")
    assert feel_table["Sad"] == "1" and feel_table["Very happy"] == "0"
    # Links on the page keep the filter, exports included.
    assert f"/staff/results/surveys/{survey_id}/export/responses.csv?group=parent_carer" in html
    phone = client.get(f"/staff/results/surveys/{survey_id}?channel=phone").get_data(True)
    assert "1 submitted response" in phone


def test_a_bad_date_filter_is_shown_as_an_error_and_ignored(staff_client, survey_id):
    response = staff_client(Role.VIEWER).get(
        f"/staff/results/surveys/{survey_id}?date_from=31/02/2026"
    )
    html = response.get_data(True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Enter a date like 2026-03-31" in html
    assert "3 submitted responses" in html


def test_date_filter_can_empty_the_page(staff_client, survey_id):
    html = (
        staff_client(Role.VIEWER)
        .get(f"/staff/results/surveys/{survey_id}?date_from=2030-01-01")
        .get_data(True)
    )
    assert "0 submitted responses" in html


def test_question_text_is_escaped_in_charts_and_tables(app, staff_client):
    with app.app_context():
        survey = make_survey()
        survey.questions[0].text = "<script>alert(1)</script> feelings"
        make_response(survey, feel="happy")
        db.session.commit()
        survey_id = survey.id
    html = staff_client(Role.VIEWER).get(f"/staff/results/surveys/{survey_id}").get_data(True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; feelings" in html


def test_engagement_results_cover_its_surveys(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, feel="happy")
        db.session.commit()
        engagement_id = survey.engagement_id
    html = (
        staff_client(Role.VIEWER).get(f"/staff/results/engagements/{engagement_id}").get_data(True)
    )
    assert "1 submitted response" in html
    assert "Results for the engagement" in html


def test_service_page_shows_satisfaction_and_listened_to(app, staff_client):
    with app.app_context():
        service = make_service()
        survey = make_survey(services=[service])
        make_response(survey, feel="happy", listened_to="agree")
        make_response(survey, feel="sad", listened_to="strongly_agree")
        theme = make_theme("Waiting times")
        code(free_text_answer(make_response(survey, better="too long a wait")), theme)
        db.session.commit()
        service_id = service.id
    html = (
        staff_client(Role.COMMISSIONER).get(f"/staff/results/services/{service_id}").get_data(True)
    )
    assert "3 submitted responses" in html
    satisfaction = _table_numbers(html, "Satisfaction per month: the numbers")
    assert satisfaction == {"Mar 2026": "75"}  # 3 of 4 scale answers positive
    listened = _table_numbers(html, "Felt listened to, per month: the numbers")
    assert listened == {"Mar 2026": "100"}
    assert "Waiting times" in html


def test_missing_things_are_404(staff_client):
    client = staff_client(Role.ADMIN)
    for path in (
        "/staff/results/surveys/999",
        "/staff/results/engagements/999",
        "/staff/results/services/999",
        "/staff/safeguarding/999",
        "/staff/review/999",
    ):
        assert client.get(path).status_code == 404, path


# --- quotes ------------------------------------------------------------------------------


def test_quotes_are_plain_text_and_flagged_answers_are_left_out(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, better="<b>More</b> games & my son is called Tom")
        worrying = make_response(survey, better="Someone at home hurts me")
        flag(worrying, free_text_answer(worrying))
        db.session.commit()
        survey_id = survey.id
    html = (
        staff_client(Role.VIEWER).get(f"/staff/results/surveys/{survey_id}/quotes").get_data(True)
    )
    assert "&lt;b&gt;More&lt;/b&gt; games &amp; my son is called Tom" in html
    assert "<b>More</b>" not in html
    assert "hurts me" not in html
    assert "1 answer" in html
    # The identifying-details check names what it found.
    assert "Before publishing, remove what could identify someone: name." in html


def test_quotes_search_and_theme_filter(app, staff_client):
    with app.app_context():
        survey = make_survey()
        waiting = make_theme("Waiting times")
        code(free_text_answer(make_response(survey, better="The wait was long")), waiting)
        feel(free_text_answer(make_response(survey, better="Kind staff")), SentimentLabel.POSITIVE)
        db.session.commit()
        survey_id, theme_id = survey.id, waiting.id
    client = staff_client(Role.VIEWER)
    base = f"/staff/results/surveys/{survey_id}/quotes"
    assert "Kind staff" not in client.get(f"{base}?search=wait").get_data(True)
    themed = client.get(f"{base}?theme={theme_id}").get_data(True)
    assert "The wait was long" in themed and "Kind staff" not in themed
    positive = client.get(f"{base}?sentiment=positive").get_data(True)
    assert "Kind staff" in positive and "The wait was long" not in positive


def test_quotes_are_paged(app, staff_client):
    with app.app_context():
        survey = make_survey()
        for n in range(45):
            make_response(survey, better=f"Answer number {n}")
        db.session.commit()
        survey_id = survey.id
    client = staff_client(Role.VIEWER)
    first = client.get(f"/staff/results/surveys/{survey_id}/quotes").get_data(True)
    assert "45 answers" in first and first.count("govuk-inset-text") == 20
    third = client.get(f"/staff/results/surveys/{survey_id}/quotes?page=3").get_data(True)
    assert third.count("govuk-inset-text") == 5


# --- raising a concern -------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_any_staff_member_can_raise_a_concern(app, staff_client, role):
    with app.app_context():
        survey = make_survey()
        response_id = make_response(survey, better="I do not feel safe").id
        db.session.commit()
        survey_id = survey.id
    client = staff_client(role)
    assert client.get(f"/staff/responses/{response_id}/concern").status_code == 200
    posted = client.post(
        f"/staff/responses/{response_id}/concern?survey={survey_id}",
        data={"note": "Says they do not feel safe"},
    )
    assert posted.status_code == 303
    with app.app_context():
        raised = db.session.scalars(select(SafeguardingFlag)).one()
        assert raised.response_id == response_id and raised.status == FlagStatus.NEW
        events = db.session.scalars(select(FlagEvent)).all()
        assert [e.status for e in events] == [FlagStatus.NEW]
        assert raised.reason == "Says they do not feel safe"
        assert raised.raised_by_id is not None and events[0].user_id == raised.raised_by_id


def test_a_concern_needs_a_reason_and_a_real_response(staff_client, survey_id):
    client = staff_client(Role.VIEWER)
    empty = client.post(f"/staff/responses/{survey_id}/concern", data={"note": ""})
    assert empty.status_code == 400
    assert "Say briefly why you are concerned" in empty.get_data(True)
    assert client.post("/staff/responses/9999/concern", data={"note": "x"}).status_code == 404


def test_raise_concern_needs_csrf(csrf_client, make_user, survey_id):
    from tests.conftest import PASSWORD

    page = csrf_client.get("/staff/sign-in").get_data(True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    signed_in = csrf_client.post(
        "/staff/sign-in",
        data={"email": make_user(Role.VIEWER), "password": PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code == 303
    response = csrf_client.post(f"/staff/responses/{survey_id}/concern", data={"note": "x"})
    assert response.status_code == 400


# --- exports -----------------------------------------------------------------------------


def test_export_is_audited_and_excludes_drafts(app, staff_client, survey_id):
    client = staff_client(Role.COMMISSIONER)
    response = client.get(f"/staff/results/surveys/{survey_id}/export/responses.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(True)
    assert "draft words" not in body
    assert body.count("\r\n") == 4  # header and three submitted responses
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert [(e.object_type, e.object_id) for e in events] == [("survey", str(survey_id))]
        assert "More games" not in (events[0].detail or "")


def test_unknown_export_kind_is_404(staff_client, survey_id):
    client = staff_client(Role.ADMIN)
    assert (
        client.get(f"/staff/results/surveys/{survey_id}/export/everything.csv").status_code == 404
    )
    assert client.get(f"/staff/results/surveys/{survey_id}/export/responses.pdf").status_code == 404
