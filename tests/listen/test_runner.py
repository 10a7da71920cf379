"""The public survey runner, end to end through HTTP: answering, skip logic, check answers,
submitting once, saving and resuming, errors that keep what was typed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engage.extensions import db
from engage.listen.models import Answer, Channel, Response, ResponseStatus
from engage.listen.runner import hash_code
from tests.helpers.respondent import (
    EASY,
    STANDARD,
    answer,
    begin,
    complete_easy_read,
    submission_token,
)


def stored(app, **where):
    with app.app_context():
        return db.session.scalars(select(Response).filter_by(**where)).all()


def test_start_page_says_who_reads_answers_and_where_to_get_help(client, demo):
    page = client.get(f"/surveys/{EASY}").get_data(as_text=True)
    assert "Help with talking at school" in page
    assert "You can skip any question." in page
    assert 'Childline on <a class="govuk-link" href="tel:08001111">0800 1111</a>' in page
    assert "confidential" not in page.lower()
    assert "Start now" in page


def test_easy_read_question_page_has_symbols_progress_and_read_aloud(client, demo):
    first = begin(client, EASY)
    page = client.get(first).get_data(as_text=True)
    assert "Question 1 of" in page
    assert "Do you get help with talking at school?" in page
    assert 'class="engage-symbol"' in page and 'alt="' in page
    assert "Read aloud" in page
    assert "Skip this question" in page


def test_complete_easy_read_survey_stores_every_answer(app, client, demo):
    token = complete_easy_read(client)
    check = client.get(f"/surveys/{EASY}/check").get_data(as_text=True)
    assert "Pictures, Games" in check
    assert "More time with my therapist &lt;b&gt;please&lt;/b&gt;" in check
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith("/confirmation")
    confirmation = client.get(done.headers["Location"]).get_data(as_text=True)
    # Easy-read wording on the receipt too.
    assert "Your code is" in confirmation and "Write down your code or take a photo of it." in (
        confirmation
    )
    assert "Hear what happened (optional)" not in confirmation
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.SUBMITTED
        assert response.channel == Channel.EASY_READ_ONLINE
        assert response.answered_how.value == "with_help"
        assert response.age_band == "12_15"
        assert response.receipt_code in confirmation
        answers = {a.question.key: a for a in response.answers}
        assert answers["get_help"].choice == "yes"
        assert answers["helps_most"].choices == ["pictures", "games"]
        assert answers["better"].text == "More time with my therapist <b>please</b>"
        assert len(answers) == 7


def test_skip_logic_hides_follow_up_questions(app, client, demo):
    begin(client, EASY)
    next_page = answer(client, EASY, "get_help", {"get_help": "no"})
    assert next_page.headers["Location"].endswith("/questions/better")
    page = client.get(next_page.headers["Location"]).get_data(as_text=True)
    assert "Question 2 of 4" in page


def test_changing_an_answer_sets_aside_answers_skip_logic_now_hides(app, client, demo):
    complete_easy_read(client)
    answer(client, EASY, "get_help", {"get_help": "no"}, change=True)
    check = client.get(f"/surveys/{EASY}/check").get_data(as_text=True)
    asked, set_aside = check.split("Answers we will not send")
    assert "What helps you most?" not in asked and "What helps you most?" in set_aside
    with app.app_context():
        keys = {a.question.key for a in db.session.scalars(select(Answer))}
        assert "helps_most" not in keys and "feel_about_help" not in keys


def test_skip_records_a_skipped_answer(app, client, demo):
    begin(client, EASY)
    response = answer(client, EASY, "get_help", action="skip")
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(Answer))
        assert saved.skipped is True and saved.choice is None


def test_too_long_free_text_is_refused_and_kept(client, demo):
    begin(client, EASY)
    long_text = "x" * 1001
    response = answer(client, EASY, "better", {"better": long_text})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Your answer is too long. Use 1000 letters or fewer." in page
    assert 'href="#answer-better"' in page
    assert long_text in page


def test_invalid_choice_is_refused(client, demo):
    begin(client, EASY)
    response = answer(client, EASY, "get_help", {"get_help": "perhaps"})
    assert response.status_code == 400
    assert "Select an answer from the list" in response.get_data(as_text=True)


def test_standard_survey_uses_standard_wording_and_errors(app, client, demo):
    begin(client, STANDARD)
    page = client.get(f"/surveys/{STANDARD}/questions/respondent_group").get_data(as_text=True)
    assert "Who is filling in this survey?" in page
    assert "engage-symbol" not in page
    answer(client, STANDARD, "respondent_group", {"respondent_group": "parent_carer"})
    answer(client, STANDARD, "used_local_offer", {"used_local_offer": "yes"})
    answer(client, STANDARD, "found_information", {"found_information": "disagree"})
    answer(client, STANDARD, "looked_for", {"looked_for": ["short_breaks", "ehc_plans"]})
    answer(client, STANDARD, "sen_support", {"sen_support": "not_very_well"})
    answer(client, STANDARD, "listened_to", {"listened_to": "disagree"})
    answer(client, STANDARD, "one_change", {"one_change": '=HYPERLINK("x") one named contact'})
    token = submission_token(client, STANDARD)
    client.post(f"/surveys/{STANDARD}/submit", data={"submission_token": token})
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.SUBMITTED
        assert response.channel == Channel.ONLINE
        assert response.respondent_group.value == "parent_carer"
        assert len(response.answers) == 7


def test_double_submit_records_one_response_and_same_receipt(app, client, demo):
    token = complete_easy_read(client)
    first = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    receipt_page = client.get(first.headers["Location"]).get_data(as_text=True)
    second = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    again = client.get(second.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        responses = db.session.scalars(select(Response)).all()
        assert len(responses) == 1
        assert responses[0].receipt_code in receipt_page and responses[0].receipt_code in again


def test_drafts_are_not_submitted_responses(app, client, demo):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    with app.app_context():
        submitted = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.status == ResponseStatus.SUBMITTED)
        )
        drafts = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.status == ResponseStatus.DRAFT)
        )
    assert (submitted, drafts) == (0, 1)


def test_save_and_resume_on_a_fresh_client(app, client, demo):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    saved = answer(client, EASY, "feel_about_help", {"feel_about_help": "sad"}, action="save")
    assert saved.headers["Location"].endswith("/saved")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="resume-code">([0-9A-Z-]+)</strong>', page).group(1)
    assert "It works one time." in page  # the easy-read wording
    with app.app_context():
        draft = db.session.scalar(select(Response))
        assert draft.resume_token_hash == hash_code(code)
        assert code not in draft.resume_token_hash
    other = app.test_client()
    resumed = other.post("/resume", data={"code": code.lower().replace("-", " ")})
    assert resumed.status_code == 303
    assert resumed.headers["Location"].endswith("/questions/helps_most")
    previous = other.get(f"/surveys/{EASY}/questions/feel_about_help").get_data(as_text=True)
    assert 'value="sad" checked' in previous
    reused = app.test_client().post("/resume", data={"code": code})
    assert reused.status_code == 400
    assert "We could not find answers for that code" in reused.get_data(as_text=True)


def test_expired_resume_code_is_gone(app, client, demo):
    from datetime import timedelta

    from engage.schema import utcnow

    begin(client, EASY)
    saved = answer(client, EASY, "get_help", {"get_help": "yes"}, action="save")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="resume-code">([0-9A-Z-]+)</strong>', page).group(1)
    with app.app_context():
        draft = db.session.scalar(select(Response))
        draft.resume_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = app.test_client().post("/resume", data={"code": code})
    assert response.status_code == 410
    assert "This code has expired" in response.get_data(as_text=True)


def test_empty_resume_code_gets_a_clear_error(client):
    response = client.post("/resume", data={"code": ""})
    assert response.status_code == 400
    assert "Enter the code you were given" in response.get_data(as_text=True)


def test_database_error_at_submit_keeps_the_draft(app, client, demo):
    from sqlalchemy.exc import OperationalError

    from engage.listen.hooks import add_submit_hook

    def locked(_response):
        raise OperationalError("UPDATE response", {}, Exception("database is locked"))

    token = complete_easy_read(client)
    add_submit_hook(app, locked)
    try:
        failed = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    finally:
        app.extensions["engage_submit_hooks"].remove(locked)
    assert failed.status_code == 503
    assert failed.headers["Retry-After"]
    assert "Your answers are kept" in failed.get_data(as_text=True)
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.DRAFT and response.receipt_code is None
        assert len(response.answers) == 7
    retry = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert retry.status_code == 303
    assert stored(app, status=ResponseStatus.SUBMITTED)


def test_confirmation_opt_in_keeps_email_apart_from_answers(app, client, demo):
    from engage.listen.models import ContactDetail

    token = complete_easy_read(client)
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    bad = client.post(done.headers["Location"], data={"email": "not an email"})
    assert bad.status_code == 400
    assert "Enter an email address in the correct format" in bad.get_data(as_text=True)
    good = client.post(done.headers["Location"], data={"email": "parent@example.com"})
    assert good.status_code == 303
    with app.app_context():
        contact = db.session.scalar(select(ContactDetail))
        assert contact.email == "parent@example.com" and contact.wants_updates
        assert all("parent@example.com" not in (a.text or "") for a in contact.response.answers)


def test_unpublished_survey_is_not_public(app, client, demo):
    from engage.ask.models import Survey, SurveyStatus

    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == EASY))
        survey.status = SurveyStatus.DRAFT
        db.session.commit()
    assert client.get(f"/surveys/{EASY}").status_code == 404
    assert client.post(f"/surveys/{EASY}/start").status_code == 404


def test_staff_entry_records_channel_and_who_entered(app, staff_client, demo):
    from engage.accounts.models import Role

    staff = staff_client(Role.COMMISSIONER)
    missing = staff.post(f"/staff/surveys/{STANDARD}/enter", data={})
    assert missing.status_code == 400
    assert "Select how the answers were collected" in missing.get_data(as_text=True)
    started = staff.post(f"/staff/surveys/{STANDARD}/enter", data={"channel": "paper"})
    assert started.status_code == 303
    page = staff.get(started.headers["Location"]).get_data(as_text=True)
    assert "Staff entry" in page
    answer(staff, STANDARD, "respondent_group", {"respondent_group": "parent_carer"})
    token = submission_token(staff, STANDARD)
    staff.post(f"/surveys/{STANDARD}/submit", data={"submission_token": token})
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.channel == Channel.PAPER
        assert response.entered_by_id is not None
        assert response.status == ResponseStatus.SUBMITTED


def test_viewer_cannot_enter_responses(staff_client, demo):
    from engage.accounts.models import Role

    viewer = staff_client(Role.VIEWER)
    assert viewer.get(f"/staff/surveys/{STANDARD}/enter").status_code == 403


def test_preview_shows_every_question_for_staff_only(client, staff_client, demo):
    from engage.accounts.models import Role

    assert client.get(f"/staff/surveys/{EASY}/preview").status_code == 302
    page = staff_client(Role.VIEWER).get(f"/staff/surveys/{EASY}/preview").get_data(as_text=True)
    assert "Preview: answers are not saved" in page
    assert "How old are you?" in page and "shown only when" in page


@pytest.mark.parametrize("slug", [EASY, STANDARD])
def test_no_third_party_urls_in_survey_pages(client, demo, slug):
    pages = [f"/surveys/{slug}", begin(client, slug), f"/surveys/{slug}/check", "/resume"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        for found in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert found.startswith(("/", "#", "?", "mailto:", "tel:")), (url, found)


def test_a_response_with_every_question_skipped_is_refused(app, client, demo):
    location = begin(client, EASY)
    while "/check" not in location:
        key = location.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        location = answer(client, EASY, key, action="skip").headers["Location"]
    page = client.get(f"/surveys/{EASY}/check").get_data(as_text=True)
    assert "You have not answered any questions" in page
    assert "Send my answers" not in page
    # A submit posted anyway (an old tab) is refused the same way; the draft stays.
    with app.app_context():
        token = db.session.scalar(select(Response.submission_token))
    refused = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/check")
    assert stored(app, status=ResponseStatus.SUBMITTED) == []
    assert len(stored(app, status=ResponseStatus.DRAFT)) == 1
    # One answer is enough to send.
    answer(client, EASY, "get_help", {"get_help": "no"}, change=1)
    done = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert done.headers["Location"].endswith("/confirmation")
    assert len(stored(app, status=ResponseStatus.SUBMITTED)) == 1
