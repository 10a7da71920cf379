"""Learn pages as staff use them: who may see what, results, quotes, concerns and exports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag, SentimentLabel
from engage.listen.models import Channel, RespondentGroup, Response
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


def test_results_page_shows_charts_with_the_same_numbers_in_tables(staff_request, survey_id):
    page = staff_request(Role.VIEWER).get("learn.survey_results", survey_id=survey_id)
    assert "3 submitted responses" in page.words()  # the draft is not counted
    feel_table = page.table_rows("How do you feel about the help?: the numbers")
    assert feel_table == {
        "Very happy": ["1"],
        "Happy": ["1"],
        "Okay": ["0"],
        "Sad": ["1"],
        "Very sad": ["0"],
    }
    # The chart beside it carries a title and the same numbers in its description.
    # (From the chart's heading: the contents list names the question first.)
    heading = page.find("h3", string="How do you feel about the help?")
    svg = heading.find_next("svg")
    assert svg["role"] == "img" and svg.title.get_text()
    assert "Very happy: 1; Happy: 1; Okay: 0; Sad: 1; Very sad: 0." in svg.desc.get_text()
    assert page.table_rows("Responses by who answered: the numbers") == {
        "Children and young people": ["2"],
        "Parents and carers": ["1"],
    }


def test_filters_apply_to_the_whole_page(staff_request, survey_id):
    commissioner = staff_request(Role.COMMISSIONER)
    page = commissioner.get("learn.survey_results", survey_id=survey_id, group="parent_carer")
    assert "1 submitted response" in page.words()
    feel_table = page.table_rows("How do you feel about the help?: the numbers")
    assert feel_table["Sad"] == ["1"] and feel_table["Very happy"] == ["0"]
    # Links on the page keep the filter, exports included.
    export = commissioner.url(
        "learn.export", survey_id=survey_id, kind="responses", fmt="csv", group="parent_carer"
    )
    assert page.find("a", href=export)
    phone = commissioner.get("learn.survey_results", survey_id=survey_id, channel="phone")
    assert "1 submitted response" in phone.words()


def test_a_bad_date_filter_is_shown_as_an_error_and_ignored(staff_request, survey_id):
    page = staff_request(Role.VIEWER).get(
        "learn.survey_results", survey_id=survey_id, date_from="31/02/2026"
    )
    assert page.error_summary == ["Enter a date like 2026-03-31"]
    assert "3 submitted responses" in page.words()


def test_date_filter_can_empty_the_page(staff_request, survey_id):
    page = staff_request(Role.VIEWER).get(
        "learn.survey_results", survey_id=survey_id, date_from="2030-01-01"
    )
    assert "0 submitted responses" in page.words()


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


def test_engagement_results_cover_its_surveys(app, staff_request):
    with app.app_context():
        survey = make_survey()
        make_response(survey, feel="happy")
        db.session.commit()
        engagement_id = survey.engagement_id
    page = staff_request(Role.VIEWER).get("learn.engagement_results", engagement_id=engagement_id)
    assert "1 submitted response" in page.words()
    assert "Results for the engagement" in page.words()


def test_service_page_shows_satisfaction_and_listened_to(app, staff_request):
    with app.app_context():
        service = make_service()
        survey = make_survey(services=[service])
        make_response(survey, feel="happy", listened_to="agree")
        make_response(survey, feel="sad", listened_to="strongly_agree")
        theme = make_theme("Waiting times")
        code(free_text_answer(make_response(survey, better="too long a wait")), theme)
        db.session.commit()
        service_id = service.id
    page = staff_request(Role.COMMISSIONER).get("learn.service_results", service_id=service_id)
    assert "3 submitted responses" in page.words()
    # Positive answers, all answers, per cent: 3 of 4 scale answers positive.
    satisfaction = page.table_rows("Satisfaction per month: the numbers")
    assert satisfaction == {"Mar 2026": ["3", "4", "75"]}
    listened = page.table_rows("Felt listened to, per month: the numbers")
    assert listened == {"Mar 2026": ["2", "2", "100"]}
    assert "Waiting times" in page.words()


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


def _quotes(page) -> list[str]:
    """The written answers the quotes browser lists, in order."""
    return page.texts_of(".govuk-inset-text")


def test_quotes_are_plain_text_and_flagged_answers_are_left_out(app, staff_request):
    with app.app_context():
        survey = make_survey()
        make_response(survey, better="<b>More</b> games & my son is called Tom")
        worrying = make_response(survey, better="Someone at home hurts me")
        flag(worrying, free_text_answer(worrying))
        db.session.commit()
        survey_id = survey.id
    page = staff_request(Role.VIEWER).get("learn.quotes_browser", survey_id=survey_id)
    # The respondent's markup is shown as the words they typed, never as markup.
    assert _quotes(page) == ["<b>More</b> games & my son is called Tom"]
    assert page.select_one(".govuk-inset-text b") is None
    assert "&lt;b&gt;More&lt;/b&gt; games &amp; my son is called Tom" in str(page)
    assert "1 answer" in page.texts_of("h2")
    # The identifying-details check names what it found.
    warning = page.text_of(".govuk-warning-text")
    assert "Before publishing, remove what could identify someone: name." in warning


def test_quotes_search_and_theme_filter(app, staff_request):
    with app.app_context():
        survey = make_survey()
        waiting = make_theme("Waiting times")
        code(free_text_answer(make_response(survey, better="The wait was long")), waiting)
        feel(free_text_answer(make_response(survey, better="Kind staff")), SentimentLabel.POSITIVE)
        db.session.commit()
        survey_id, theme_id = survey.id, waiting.id
    viewer = staff_request(Role.VIEWER)

    def quotes(**search):
        return _quotes(viewer.get("learn.quotes_browser", survey_id=survey_id, **search))

    assert quotes(search="wait") == ["The wait was long"]
    assert quotes(theme=theme_id) == ["The wait was long"]
    assert quotes(sentiment="positive") == ["Kind staff"]


def test_quotes_are_paged(app, staff_request):
    with app.app_context():
        survey = make_survey()
        for n in range(45):
            make_response(survey, better=f"Answer number {n}")
        db.session.commit()
        survey_id = survey.id
    viewer = staff_request(Role.VIEWER)
    first = viewer.get("learn.quotes_browser", survey_id=survey_id)
    assert "45 answers" in first.texts_of("h2") and len(_quotes(first)) == 20
    third = viewer.get("learn.quotes_browser", survey_id=survey_id, page=3)
    assert len(_quotes(third)) == 5
    second = viewer.get("learn.quotes_browser", survey_id=survey_id, page=2)
    every = _quotes(first) + _quotes(second) + _quotes(third)
    assert sorted(every) == sorted(f"Answer number {n}" for n in range(45))  # each once


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


def test_raise_concern_needs_csrf(app, csrf_client_request, survey_id):
    with app.app_context():
        response_id = db.session.scalars(select(Response.id).order_by(Response.id)).first()
    viewer = csrf_client_request.sign_in(Role.VIEWER)
    viewer.get("learn.raise_concern", response_id=response_id)
    concern = {"note": "Says they do not feel safe"}
    viewer.post(
        "learn.raise_concern", concern, response_id=response_id, _csrf=False, _expected_status=400
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 0
    viewer.post("learn.raise_concern", concern, response_id=response_id, _expected_status=303)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)) == 1


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
