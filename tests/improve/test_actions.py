"""Actions: the rules for saving them, overdue, progress, lists and traceability."""

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from engage.accounts.models import Role
from engage.extensions import db
from engage.improve import actions
from engage.improve.models import Action, ActionStatus
from tests.improve import factories


def _fields(owner_id, **changes) -> actions.ActionFields:
    values = dict(
        title="We will publish waiting times",
        description="",
        owner_organisation_id=owner_id,
        owner_name="Sam Lee",
        due_on=actions.today() + timedelta(days=30),
        status=ActionStatus.PLANNED,
    )
    values.update(changes)
    return actions.ActionFields(**values)


def test_not_possible_needs_a_reason(app_context):
    owner = factories.organisation()
    with pytest.raises(actions.ActionError) as error:
        actions.save_action(None, _fields(owner.id, status=ActionStatus.NOT_POSSIBLE))
    assert error.value.field == "not_possible_reason"
    saved = actions.save_action(
        None,
        _fields(owner.id, status=ActionStatus.NOT_POSSIBLE, not_possible_reason="No budget"),
    )
    assert saved.not_possible_reason == "No budget"


def test_database_refuses_not_possible_without_reason(app_context):
    owner = factories.organisation()
    db.session.add(
        Action(
            title="x",
            owner_organisation=owner,
            status=ActionStatus.NOT_POSSIBLE,
            not_possible_reason="",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_due_date_is_required_and_not_in_the_past_for_a_new_action(app_context):
    owner = factories.organisation()
    with pytest.raises(actions.ActionError) as error:
        actions.save_action(None, _fields(owner.id, due_on=None))
    assert error.value.field == "due_on"
    with pytest.raises(actions.ActionError) as error:
        actions.save_action(None, _fields(owner.id, due_on=actions.today() - timedelta(days=1)))
    assert error.value.field == "due_on"
    # An existing action may keep a date that has since passed.
    existing = factories.action(owner=owner, due_on=date(2020, 1, 1))
    actions.save_action(existing, _fields(owner.id, due_on=date(2020, 1, 1)))
    assert existing.due_on == date(2020, 1, 1)


def test_overdue_only_when_past_due_and_still_open(app_context):
    today = date(2026, 6, 1)
    late = factories.action(due_on=date(2026, 5, 31))
    due_today = factories.action(due_on=today)
    done = factories.action(due_on=date(2026, 1, 1), status=ActionStatus.DONE)
    impossible = factories.action(
        due_on=date(2026, 1, 1), status=ActionStatus.NOT_POSSIBLE, reason="No budget"
    )
    assert actions.is_overdue(late, today)
    assert not actions.is_overdue(due_today, today)
    assert not actions.is_overdue(done, today)
    assert not actions.is_overdue(impossible, today)
    overdue_ids = {
        a.id for a in db.session.scalars(db.select(Action).where(actions.overdue_clause(today)))
    }
    assert overdue_ids == {late.id}


def test_progress_update_is_dated_and_changes_status(app_context):
    action = factories.action()
    actions.add_progress(action, "Recruited two therapists", ActionStatus.IN_PROGRESS)
    assert action.status == ActionStatus.IN_PROGRESS
    with pytest.raises(actions.ActionError):
        actions.add_progress(action, "Stopped", ActionStatus.NOT_POSSIBLE)
    actions.add_progress(action, "Stopped", ActionStatus.NOT_POSSIBLE, reason="Contract ended")
    db.session.refresh(action)
    assert [u.status for u in action.updates] == [
        ActionStatus.IN_PROGRESS,
        ActionStatus.NOT_POSSIBLE,
    ]
    assert all(u.at is not None for u in action.updates)
    assert action.not_possible_reason == "Contract ended"


def test_lists_filter_by_engagement_service_owner_and_status(app_context):
    council = factories.organisation()
    nhs = factories.organisation()
    therapy = factories.service(nhs)
    talk = factories.engagement([therapy])
    first = factories.action(owner=nhs, service_=therapy, engagement_=talk)
    second = factories.action(owner=council, status=ActionStatus.DONE)
    assert actions.list_actions(actions.ActionFilter(engagement_id=talk.id)) == [first]
    assert actions.list_actions(actions.ActionFilter(service_id=therapy.id)) == [first]
    assert actions.list_actions(actions.ActionFilter(owner_organisation_id=council.id)) == [second]
    assert actions.list_actions(actions.ActionFilter(status=ActionStatus.DONE)) == [second]


def test_action_traces_back_to_answers_but_never_flagged_ones(app_context):
    waits = factories.theme("Waiting times")
    other = factories.theme("Buildings")
    survey = factories.survey(factories.engagement())
    prompted = factories.response(survey, text="Waited <b>a year</b>")
    flagged = factories.response(survey, text="Something worrying at home")
    whole = factories.response(survey, text="Another worrying answer")
    unrelated = factories.response(survey, text="The building is cold")
    draft = factories.response(survey, text="Not sent yet", submitted=False)
    for response in (prompted, flagged, whole, draft):
        factories.code(response, waits)
    factories.code(unrelated, other)
    factories.flag(flagged)
    factories.flag(whole, whole_response=True)
    action = factories.action(themes=[waits])
    found = actions.prompting_answers(action)
    assert [answer.text for answer in found] == ["Waited <b>a year</b>"]
    assert found[0].theme_name == "Waiting times"
    # And forward: from the response to the action.
    assert actions.actions_for_response(prompted.id) == [action]
    assert actions.actions_for_response(unrelated.id) == []


def test_viewer_reads_but_cannot_create(app, staff_client):
    viewer = staff_client(Role.VIEWER)
    assert viewer.get("/staff/actions/").status_code == 200
    assert viewer.get("/staff/actions/new").status_code == 403


def test_create_action_from_a_theme_through_the_form(app, staff_client):
    with app.app_context():
        theme = factories.theme("Waiting times")
        owner = factories.organisation("NHS Northmoor")
        db.session.commit()
        theme_id, owner_id = theme.id, owner.id
    client = staff_client(Role.COMMISSIONER)
    page = client.get(f"/staff/actions/new?theme={theme_id}").get_data(as_text=True)
    assert f'value="{theme_id}" checked' in page
    due = actions.today() + timedelta(days=60)
    form = {
        "title": "We will publish waiting times",
        "themes": str(theme_id),
        "owner_organisation": str(owner_id),
        "owner_name": "Sam",
        "due_on": [str(due.day), str(due.month), str(due.year)],
        "status": "planned",
    }
    response = client.post("/staff/actions/new", data=form)
    assert response.status_code == 303
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We will publish waiting times" in shown and "Waiting times" in shown


def test_form_shows_errors_for_missing_reason_and_bad_date(app, staff_client):
    with app.app_context():
        owner_id = factories.organisation().id
        db.session.commit()
    client = staff_client(Role.ADMIN)
    response = client.post(
        "/staff/actions/new",
        data={
            "title": "We will try",
            "owner_organisation": str(owner_id),
            "due_on": ["31", "2", "2030"],
            "status": "not_possible",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Due date must be a real date" in page
    response = client.post(
        "/staff/actions/new",
        data={
            "title": "We will try",
            "owner_organisation": str(owner_id),
            "due_on": ["1", "2", "2030"],
            "status": "not_possible",
        },
    )
    assert response.status_code == 400
    assert "Explain why the action is not possible" in response.get_data(as_text=True)


def test_overdue_action_shows_a_red_tag(app, staff_client):
    with app.app_context():
        factories.action(title="We will be late", due_on=date(2020, 1, 1))
        db.session.commit()
    page = staff_client(Role.VIEWER).get("/staff/actions/?status=overdue").get_data(as_text=True)
    assert "We will be late" in page
    assert "govuk-tag--red" in page


def test_respondent_text_is_escaped_on_the_action_page(app, staff_client):
    with app.app_context():
        waits = factories.theme("Waiting times")
        survey = factories.survey(factories.engagement())
        factories.code(factories.response(survey, text="<script>alert(1)</script>"), waits)
        action_id = factories.action(themes=[waits]).id
        db.session.commit()
    page = staff_client(Role.VIEWER).get(f"/staff/actions/{action_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_missing_due_date_is_asked_for(app, staff_client):
    with app.app_context():
        owner_id = factories.organisation().id
        db.session.commit()
    response = staff_client(Role.ADMIN).post(
        "/staff/actions/new",
        data={
            "title": "We will",
            "owner_organisation": str(owner_id),
            "due_on": ["", "", ""],
            "status": "planned",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the date the action is due" in page and "Not a valid date" not in page
    assert 'class="govuk-date-input" required' not in page


def test_action_form_posted_without_the_date_boxes_gets_errors_not_a_crash(staff_client):
    client = staff_client(Role.ADMIN)
    response = client.post("/staff/actions/new", data={"title": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
