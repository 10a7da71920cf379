"""Copying a survey (into the same or another engagement) and an engagement with its surveys,
as drafts that keep every field and rule; and the question bank, added in one step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.ask import bank
from engage.ask.copying import OPTION_COPIED, QUESTION_COPIED, SURVEY_COPIED
from engage.ask.definitions import SurveyDefinitionError
from engage.ask.models import Survey, SurveyStatus
from engage.extensions import db
from engage.inform.models import Engagement, EngagementStatus
from engage.listen.models import Response
from tests.helpers.forms import form_token
from tests.improve import factories

EASY = "talking-help-at-school"


def _survey(slug: str) -> Survey:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def _shape(survey: Survey) -> dict:
    """Everything a copy must keep, question by question and option by option."""
    return {
        "survey": {name: getattr(survey, name) for name in SURVEY_COPIED},
        "questions": [
            {name: getattr(question, name) for name in QUESTION_COPIED}
            | {
                "options": [
                    {name: getattr(option, name) for name in OPTION_COPIED}
                    for option in question.options
                ]
            }
            for question in survey.questions
        ],
    }


def test_copy_a_survey_into_another_engagement_as_a_draft(app, staff_client, demo):
    staff = staff_client(Role.ADMIN)
    with app.app_context():
        other = factories.engagement(title="Next year", status=EngagementStatus.DRAFT)
        db.session.commit()
        other_id = other.id
    form = staff.get(f"/staff/surveys/{EASY}/copy").get_data(as_text=True)
    assert 'value="Speech and language therapy at school (copy)"' in form
    data = {
        "title": "Talking help 2028",
        "engagement": str(other_id),
        "creation_token": form_token(form),
    }
    done = staff.post(f"/staff/surveys/{EASY}/copy", data=data)
    assert done.status_code == 303 and done.headers["Location"].endswith("/talking-help-2028")
    # The same form sent twice (a double click) makes one copy.
    again = staff.post(f"/staff/surveys/{EASY}/copy", data=data)
    assert again.headers["Location"] == done.headers["Location"]
    with app.app_context():
        source, copy = _survey(EASY), _survey("talking-help-2028")
        assert copy.status == SurveyStatus.DRAFT and copy.engagement_id == other_id
        assert copy.title == "Talking help 2028"
        assert _shape(copy) == _shape(source)
        assert any(q.show_if_key for q in copy.questions)  # skip logic came too
        assert any(o.symbol for q in copy.questions for o in q.options)
        assert {q.id for q in copy.questions}.isdisjoint({q.id for q in source.questions})
        assert db.session.scalar(select(func.count()).select_from(Survey)) == 3
    page = staff.get(done.headers["Location"]).get_data(as_text=True)
    assert "Survey copied as a draft" in page


def test_a_copy_needs_a_title_and_an_engagement_in_reach(app, staff_client, demo):
    staff = staff_client(Role.ADMIN)
    refused = staff.post(f"/staff/surveys/{EASY}/copy", data={"title": "", "engagement": ""})
    assert refused.status_code == 400 and "Enter a title for the copy" in refused.text
    refused = staff.post(f"/staff/surveys/{EASY}/copy", data={"title": "X", "engagement": "999"})
    assert refused.status_code == 400 and "Select an engagement from the list" in refused.text
    viewer = staff_client(Role.VIEWER)
    assert viewer.post(f"/staff/surveys/{EASY}/copy", data={"title": "X"}).status_code == 403


def test_copy_an_engagement_with_its_surveys(app, staff_client, demo):
    staff = staff_client(Role.ADMIN)
    with app.app_context():
        source = _survey(EASY).engagement
        source_id, services = source.id, [s.id for s in source.services]
        surveys = {s.title: _shape(s) for s in source.surveys}
    form = staff.get(f"/staff/engagements/{source_id}/copy").get_data(as_text=True)
    assert "Speech and language therapy at school" in form  # its surveys are listed
    done = staff.post(
        f"/staff/engagements/{source_id}/copy",
        data={"title": "Talking help, second round", "creation_token": form_token(form)},
    )
    assert done.status_code == 303
    copy_id = int(done.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        source, copy = db.session.get(Engagement, source_id), db.session.get(Engagement, copy_id)
        assert copy.status == EngagementStatus.DRAFT
        assert copy.title == "Talking help, second round"
        assert [s.id for s in copy.services] == services
        for name in ("summary", "easy_read_summary", "why", "next_steps", "stage", "closes_on"):
            assert getattr(copy, name) == getattr(source, name)
        assert {s.title: _shape(s) for s in copy.surveys} == surveys
        assert all(s.status == SurveyStatus.DRAFT for s in copy.surveys)
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_bank_holds_the_about_you_listened_to_and_satisfaction_questions(app_context):
    keys = {entry.key: entry for entry in bank.questions()}
    assert {"respondent_group", "age_band", "answered_how", "listened_to", "satisfaction"} <= set(
        keys
    )
    assert keys["listened_to"].group == "Felt listened to"
    assert keys["satisfaction"].group == "Satisfaction"


def test_a_bank_question_is_added_in_one_step_and_only_once(app, staff_client, demo):
    staff = staff_client(Role.ADMIN)
    page = staff.get("/staff/surveys/local-offer-and-sen-support/bank").get_data(as_text=True)
    assert "About you" in page and "Satisfaction" in page and "Felt listened to" in page
    assert "Already in this survey" in page  # it asks listened_to and respondent_group already
    done = staff.post(
        "/staff/surveys/local-offer-and-sen-support/bank", data={"key": "satisfaction"}
    )
    assert done.status_code == 303
    with app.app_context():
        survey = _survey("local-offer-and-sen-support")
        added = survey.questions[-1]
        entry = bank.find("satisfaction").build()
        assert (added.key, added.kind, added.text, added.easy_read_text, added.symbol) == (
            entry.key,
            entry.kind,
            entry.text,
            entry.easy_read_text,
            entry.symbol,
        )
        assert [(o.value, o.text, o.symbol) for o in added.options] == [
            (o.value, o.text, o.symbol) for o in entry.options
        ]
        assert added.position == len(survey.questions) - 1
    twice = staff.post(
        "/staff/surveys/local-offer-and-sen-support/bank", data={"key": "satisfaction"}
    )
    assert twice.status_code == 400
    assert "This survey already asks that question from the bank" in twice.text
    unknown = staff.post("/staff/surveys/local-offer-and-sen-support/bank", data={"key": "nope"})
    assert unknown.status_code == 400 and "Choose a question from the bank" in unknown.text


def test_an_area_bank_file_adds_and_replaces_entries(app, tmp_path):
    area = tmp_path / "bank.yaml"
    area.write_text(
        "- group: Felt listened to\n"
        '  question: {key: listened_to, kind: yes_no, text: "Did we listen to you?"}\n'
        "- group: Our area\n"
        '  question: {key: travel, kind: free_text, text: "How did you get here?"}\n',
        encoding="utf-8",
    )
    app.config["QUESTION_BANK_FILE"] = str(area)
    try:
        with app.app_context():
            assert bank.find("listened_to").definition["text"] == "Did we listen to you?"
            assert bank.find("travel").group == "Our area"
            assert bank.find("satisfaction") is not None
        area.write_text("- group: Ours\n  question: {key: Bad Key, kind: free_text, text: X}\n")
        bank._load.cache_clear()
        with app.app_context(), pytest.raises(SurveyDefinitionError) as error:
            bank.questions()
        assert str(error.value) == f"{area}: [0].question.key: use lower-case letters, digits and _"
    finally:
        app.config["QUESTION_BANK_FILE"] = ""
        bank._load.cache_clear()
