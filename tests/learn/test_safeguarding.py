"""Safeguarding: the phrase screen (negation is conservative), flags written in the submit's
transaction, the leads told with a link only, the status trail, no deleting, no quoting."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engage.accounts.models import AuditEvent, Role
from engage.extensions import db
from engage.learn import safeguarding
from engage.learn.analysis import screen_submitted_response
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from engage.learn.text.screen import Level
from tests.learn.factories import make_response, make_staff, make_survey

ANYTHING = "Is there anything else you want to tell us?"


@pytest.fixture
def screen():
    return safeguarding.parse_phrases(safeguarding.DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "My dad hits me when he is angry",
        "He HITTING me again",
        "sometimes I want to die",
        "I don't feel safe at home",
        "I never feel safe on the bus",
        "I am scared to go home",
        # Negation does not clear a concern: a lead would rather read it than miss it.
        "He doesn't hurt me any more",
        "Nobody hits me",
    ],
)
def test_worrying_text_is_flagged(screen, text):
    assert screen.reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "I feel safe at school",
        "The staff help me feel safe",
        "The speech therapy was brilliant",
        "We waited a long time for the EHC plan",
        "",
    ],
)
def test_ordinary_text_is_not_flagged(screen, text):
    assert not screen.reasons(text)
    assert screen.reasons(text).level is None


def test_the_reason_names_the_phrase_not_the_answer(screen):
    found = screen.reasons("I don't feel safe at home")
    assert found.reasons[:2] == ["not feel safe at home", "not safe at home"]
    assert found.words == ["don't", "feel", "safe", "at", "home"]


def test_a_phrase_file_in_the_first_format_adds_to_the_built_in_list(app, app_context, tmp_path):
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("[concern]\npurple elephant\n\n[safe]\nfeel happy\n", encoding="utf-8")
    app.config["SAFEGUARDING_PHRASES_FILE"] = str(phrases)
    try:
        screen = safeguarding.current_screen()
        assert screen.reasons("I saw a purple elephant").reasons == ["purple elephant"]
        assert screen.reasons("I don't feel happy").reasons == ["not feel happy"]
        # Today's [concern] section is still e-mailed at once, as before.
        assert screen.reasons("I saw a purple elephant").level is Level.URGENT
        assert screen.reasons("He hits me").categories == ["Physical abuse"]
    finally:
        del app.config["SAFEGUARDING_PHRASES_FILE"]


def test_submit_hook_adds_the_flag_in_the_same_transaction(app, app_context):
    assert screen_submitted_response in app.extensions["engage_submit_hooks"]
    survey = make_survey(ANYTHING)
    response = make_response(survey, "My brother hits me and I am scared to go home")
    screen_submitted_response(response)
    flag = db.session.scalar(select(SafeguardingFlag))
    assert flag.status is FlagStatus.NEW
    assert flag.verbatim == "My brother hits me and I am scared to go home"
    assert flag.answer_id == response.answers[0].id
    assert [event.status for event in flag.events] == [FlagStatus.NEW]
    # Nothing was committed: rolling the submit back takes the flag with it.
    db.session.rollback()
    assert db.session.scalar(select(func.count(SafeguardingFlag.id))) == 0


def test_screening_twice_flags_once(app_context):
    survey = make_survey(ANYTHING)
    response = make_response(survey, "I want to die")
    safeguarding.screen_response(response)
    safeguarding.screen_response(response)
    db.session.commit()
    assert db.session.scalar(select(func.count(SafeguardingFlag.id))) == 1


def test_leads_are_told_with_a_link_and_no_content(app_context):
    lead = make_staff(Role.SAFEGUARDING_LEAD)
    make_staff(Role.VIEWER)
    survey = make_survey(ANYTHING)
    response = make_response(survey, "my stepdad hurts me")
    [flag] = safeguarding.screen_response(response)
    message = safeguarding.notify_safeguarding_leads(flag)
    assert message["to"] == [lead.email]
    assert f"/staff/safeguarding/{flag.id}" in message["body"]
    assert "stepdad" not in message["body"] and "hurt" not in message["body"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"safeguarding_flag_raised", "safeguarding_leads_notified"} <= actions
    details = " ".join(filter(None, db.session.scalars(select(AuditEvent.detail))))
    assert "stepdad" not in details


def test_without_a_lead_admins_are_told(app_context):
    admin = make_staff(Role.ADMIN)
    survey = make_survey(ANYTHING)
    [flag] = safeguarding.screen_response(make_response(survey, "I cut myself"))
    assert safeguarding.notify_safeguarding_leads(flag)["to"] == [admin.email]


def test_staff_raise_a_concern_by_hand_and_it_stays_out_of_quotes(app_context):
    staff = make_staff(Role.VIEWER)
    survey = make_survey(ANYTHING, "What was good?")
    response = make_response(survey, "Mum is always very tired", "The clubs")
    other = make_response(survey, "Lovely staff", "Everything")
    flag = safeguarding.raise_concern(response, staff, "Worried about home life")
    db.session.commit()
    assert flag.raised_by_id == staff.id and flag.answer_id is None
    assert "Mum is always very tired" in flag.verbatim
    assert all(safeguarding.is_flagged(answer) for answer in response.answers)
    assert not any(safeguarding.is_flagged(answer) for answer in other.answers)


def test_a_concern_needs_a_reason(app_context):
    survey = make_survey(ANYTHING)
    with pytest.raises(safeguarding.FlagError):
        safeguarding.raise_concern(make_response(survey, "hello"), make_staff(), "  ")


def test_status_changes_keep_the_whole_trail(app_context):
    lead = make_staff(Role.SAFEGUARDING_LEAD)
    survey = make_survey(ANYTHING)
    [flag] = safeguarding.screen_response(make_response(survey, "he hits me"))
    safeguarding.set_flag_status(flag, FlagStatus.REVIEWED, lead)
    safeguarding.set_flag_status(flag, FlagStatus.REFERRED, lead, "Referred to MASH")
    db.session.commit()
    db.session.refresh(flag)
    assert flag.status is FlagStatus.REFERRED
    assert [e.status for e in flag.events] == [
        FlagStatus.NEW,
        FlagStatus.REVIEWED,
        FlagStatus.REFERRED,
    ]
    assert flag.events[-1].user_id == lead.id and flag.events[-1].note == "Referred to MASH"
    with pytest.raises(safeguarding.FlagError):
        safeguarding.set_flag_status(flag, FlagStatus.NO_ACTION, lead, "")


def test_flags_and_their_history_cannot_be_deleted(app_context):
    survey = make_survey(ANYTHING)
    [flag] = safeguarding.screen_response(make_response(survey, "he hits me"))
    db.session.commit()
    db.session.delete(flag)
    with pytest.raises(safeguarding.FlagError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(flag.events[0])
    with pytest.raises(safeguarding.FlagError):
        db.session.commit()
    db.session.rollback()
    flag.events[0].note = "rewritten"
    with pytest.raises(safeguarding.FlagError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count(SafeguardingFlag.id))) == 1
    assert db.session.scalar(select(func.count(FlagEvent.id))) == 1
