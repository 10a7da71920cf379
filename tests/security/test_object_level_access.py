"""SECURITY.md row 10 / test_object_level_access: team A cannot read or export team B's
surveys, responses or answers; asking for B's identifiers gives 404 and no data."""

from __future__ import annotations

from datetime import date

import pytest

from engage.accounts.models import AuditEvent, Role, User
from engage.extensions import db
from engage.improve.models import Action
from engage.inform.models import Organisation, OrganisationKind, Service
from engage.respond.models import Update
from tests.conftest import sign_in
from tests.learn.results_factories import free_text_answer, make_response, make_survey

A_SECRET = "The speech therapist at Oak school never turns up"
B_SECRET = "My son waited two years for the wheelchair clinic"


@pytest.fixture
def teams(app):
    """Two organisations, each leading one engagement about a service it commissions."""
    with app.app_context():
        council = Organisation(name="Riverside Council", kind=OrganisationKind.COUNCIL)
        icb = Organisation(name="Riverside ICB", kind=OrganisationKind.NHS)
        db.session.add_all([council, icb])
        db.session.flush()
        therapy = Service(slug="therapy", name="Speech therapy", commissioner=council)
        wheelchairs = Service(slug="wheelchairs", name="Wheelchair service", commissioner=icb)
        db.session.add_all([therapy, wheelchairs])
        db.session.flush()
        a_survey = make_survey("a-survey", services=[therapy], title="Team A survey")
        b_survey = make_survey("b-survey", services=[wheelchairs], title="Team B survey")
        a_survey.engagement.organisation = council
        b_survey.engagement.organisation = icb
        a_answer = free_text_answer(make_response(a_survey, better=A_SECRET, feel="happy"))
        b_response = make_response(b_survey, better=B_SECRET, feel="sad")
        b_answer = free_text_answer(b_response)
        b_action = Action(
            title="Team B action",
            engagement=b_survey.engagement,
            owner_organisation_id=icb.id,
            due_on=date(2030, 1, 1),
        )
        b_update = Update(slug="b-update", engagement=b_survey.engagement, title="Team B update")
        db.session.add_all([b_action, b_update])
        db.session.commit()
        return {
            "council": council.id,
            "icb": icb.id,
            "a_survey": a_survey.id,
            "a_engagement": a_survey.engagement_id,
            "a_answer": a_answer.id,
            "b_survey": b_survey.id,
            "b_slug": b_survey.slug,
            "b_engagement": b_survey.engagement_id,
            "b_engagement_slug": b_survey.engagement.slug,
            "b_service": wheelchairs.id,
            "b_response": b_response.id,
            "b_answer": b_answer.id,
            "b_action": b_action.id,
            "b_update": b_update.id,
        }


@pytest.fixture
def member(app, make_user):
    """A client signed in as a member of the given organisation (None: whole partnership)."""

    def _member(organisation_id: int | None, role: Role = Role.COMMISSIONER):
        email = make_user(role)
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == email))
            user.organisation_id = organisation_id
            db.session.commit()
        client = app.test_client()
        assert sign_in(client, email).status_code == 303
        return client

    return _member


def b_urls(ids: dict) -> list[str]:
    survey, slug = ids["b_survey"], ids["b_slug"]
    return [
        f"/staff/engagements/{ids['b_engagement']}",
        f"/staff/engagements/{ids['b_engagement']}/edit",
        f"/staff/surveys/{slug}",
        f"/staff/surveys/{slug}/settings",
        f"/staff/surveys/{slug}/export.yaml",
        f"/staff/surveys/{slug}/preview",
        f"/staff/surveys/{slug}/enter",
        f"/staff/results/surveys/{survey}",
        f"/staff/results/engagements/{ids['b_engagement']}",
        f"/staff/results/services/{ids['b_service']}",
        f"/staff/results/surveys/{survey}/quotes",
        f"/staff/results/surveys/{survey}/export/responses.csv",
        f"/staff/results/surveys/{survey}/export/codings.xlsx",
        f"/staff/review/{ids['b_answer']}",
        f"/staff/quotes/{ids['b_answer']}/approve",
        f"/staff/responses/{ids['b_response']}/concern",
        f"/staff/actions/{ids['b_action']}",
        f"/staff/actions/{ids['b_action']}/edit",
        f"/staff/updates/{ids['b_update']}",
        f"/staff/updates/{ids['b_update']}/edit",
    ]


def test_team_a_gets_404_and_no_data_for_every_team_b_identifier(app, teams, member):
    team_a = member(teams["council"])
    for url in b_urls(teams):
        page = team_a.get(url)
        body = page.get_data(as_text=True)
        assert page.status_code == 404, url
        assert B_SECRET not in body and "Team B survey" not in body, url
    # Writes are refused the same way and change nothing.
    assert team_a.post(f"/staff/surveys/{teams['b_slug']}/close").status_code == 404
    assert team_a.post(f"/staff/quotes/{teams['b_answer']}/withdraw").status_code == 404
    assert (
        team_a.post(
            f"/staff/responses/{teams['b_response']}/concern", data={"note": "worried"}
        ).status_code
        == 404
    )
    with app.app_context():
        denied = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "access_denied")
        ).all()
        assert len(denied) >= len(b_urls(teams))


def test_team_b_rows_are_left_out_of_team_a_lists(app, teams, member):
    team_a = member(teams["council"])
    lists = [
        "/staff/engagements/",
        "/staff/surveys/",
        "/staff/results",
        "/staff/actions/",
        "/staff/updates",
        "/staff/reports",
        "/staff/codebook/suggestions",
    ]
    for url in lists:
        page = team_a.get(url)
        body = page.get_data(as_text=True)
        assert page.status_code == 200, url
        assert "Team B" not in body and B_SECRET not in body, url
    assert "Team A survey" in team_a.get("/staff/surveys/").get_data(as_text=True)
    assert "Team A survey" in team_a.get("/staff/results").get_data(as_text=True)


def test_review_queue_never_hands_team_a_a_team_b_answer(teams, member):
    team_a = member(teams["council"])
    first = team_a.get("/staff/review")
    assert first.status_code == 303
    assert first.headers["Location"].endswith(f"/staff/review/{teams['a_answer']}")
    after_a = team_a.get(f"/staff/review?after={teams['a_answer']}")
    # Only A's answer is in reach: the queue wraps to it or says it is done, never to B's.
    assert f"/staff/review/{teams['b_answer']}" not in after_a.headers.get("Location", "")
    assert B_SECRET not in after_a.get_data(as_text=True)


def test_governance_report_for_team_b_engagement_is_refused(teams, member):
    team_a = member(teams["council"])
    page = team_a.get(f"/staff/reports/governance?engagement={teams['b_engagement_slug']}")
    assert page.status_code == 400
    assert B_SECRET not in page.get_data(as_text=True)
    assert "No engagement" in page.get_data(as_text=True)


def test_team_a_still_reaches_its_own_work(teams, member):
    team_a = member(teams["council"])
    results = team_a.get(f"/staff/results/surveys/{teams['a_survey']}/quotes")
    assert results.status_code == 200 and A_SECRET in results.get_data(as_text=True)
    export = team_a.get(f"/staff/results/surveys/{teams['a_survey']}/export/responses.csv")
    assert export.status_code == 200 and A_SECRET in export.get_data(as_text=True)


def test_engagement_about_a_service_team_a_commissions_is_shared_with_it(app, teams, member):
    with app.app_context():
        from engage.inform.models import Engagement

        engagement = db.session.get(Engagement, teams["b_engagement"])
        engagement.services.append(db.session.scalar(db.select(Service).filter_by(slug="therapy")))
        db.session.commit()
    team_a = member(teams["council"])
    page = team_a.get(f"/staff/results/surveys/{teams['b_survey']}/quotes")
    assert page.status_code == 200 and B_SECRET in page.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SAFEGUARDING_LEAD])
def test_whole_partnership_roles_reach_every_team(teams, member, role):
    client = member(teams["council"], role)
    assert client.get(f"/staff/engagements/{teams['b_engagement']}").status_code == 200


def test_staff_with_no_organisation_reach_every_team(teams, member):
    client = member(None)
    page = client.get(f"/staff/results/surveys/{teams['b_survey']}/quotes")
    assert page.status_code == 200 and B_SECRET in page.get_data(as_text=True)


def test_new_engagement_is_led_by_the_creators_organisation(app, teams, member):
    team_a = member(teams["council"])
    form = team_a.get("/staff/engagements/new").get_data(as_text=True)
    assert "Lead organisation" in form and "Riverside ICB" not in form
    saved = team_a.post(
        "/staff/engagements/new",
        data={
            "title": "Therapy review",
            "stage": "review",
            "status": "draft",
            "organisation": str(teams["council"]),
        },
    )
    assert saved.status_code == 303
    refused = team_a.post(
        "/staff/engagements/new",
        data={
            "title": "Someone else's",
            "stage": "review",
            "status": "draft",
            "organisation": str(teams["icb"]),
        },
    )
    assert refused.status_code == 400
    assert "Select a lead organisation from the list" in refused.get_data(as_text=True)
    with app.app_context():
        from engage.inform.models import Engagement

        led = db.session.scalar(db.select(Engagement).filter_by(title="Therapy review"))
        assert led.organisation_id == teams["council"]
        led_id = led.id
        assert db.session.scalar(db.select(Engagement).filter_by(title="Someone else's")) is None
    shown = team_a.get(f"/staff/engagements/{led_id}").get_data(as_text=True)
    assert "Lead organisation" in shown and "Riverside Council" in shown


def test_importing_a_survey_into_team_b_engagement_is_refused(app, teams, member):
    team_a = member(teams["council"])
    definition = (
        "slug: sneaky\ntitle: Sneaky\naudience: everyone\nmode: standard\n"
        f"engagement: {teams['b_engagement_slug']}\nquestions:\n"
        "  - key: q\n    kind: free_text\n    text: Anything?\n"
    )
    page = team_a.post("/staff/surveys/import", data={"definition": definition})
    assert page.status_code == 400
    assert f"no engagement &#39;{teams['b_engagement_slug']}&#39;" in page.get_data(as_text=True)


def test_commands_put_staff_in_a_team_and_end_their_sessions(app, teams, make_user):
    from engage.inform.commands import create_user_command, set_organisation_command

    runner = app.test_cli_runner()
    made = runner.invoke(
        create_user_command,
        [
            "--email",
            "ana@council.example",
            "--role",
            "commissioner",
            "--password",
            "a long enough passphrase",
            "--organisation",
            "Riverside Council",
        ],
    )
    assert made.exit_code == 0, made.output
    assert "Riverside Council" in made.output
    unknown = runner.invoke(set_organisation_command, ["ana@council.example", "Nowhere"])
    assert unknown.exit_code == 1 and "Choose from: Riverside Council, Riverside ICB" in (
        unknown.output
    )
    client = app.test_client()
    assert sign_in(client, "ana@council.example", "a long enough passphrase").status_code == 303
    assert client.get(f"/staff/engagements/{teams['b_engagement']}").status_code == 404
    moved = runner.invoke(set_organisation_command, ["ana@council.example", "Riverside ICB"])
    assert moved.exit_code == 0, moved.output
    # The old session ended; signed in again, the new team's work is in reach.
    assert client.get("/staff/").status_code == 302
    assert sign_in(client, "ana@council.example", "a long enough passphrase").status_code == 303
    assert client.get(f"/staff/engagements/{teams['b_engagement']}").status_code == 200
    assert client.get(f"/staff/engagements/{teams['a_engagement']}").status_code == 404
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="ana@council.example"))
        assert user.organisation_id == teams["icb"]


def test_admin_moves_a_staff_member_between_teams_on_the_web(app, teams, make_user, member):
    email = make_user(Role.COMMISSIONER)
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == email))
    ana = app.test_client()
    assert sign_in(ana, email).status_code == 303
    admin = member(None, Role.ADMIN)
    users = admin.get("/staff/users").get_data(as_text=True)
    assert f"/staff/users/{user_id}/organisation" in users
    page = admin.get(f"/staff/users/{user_id}/organisation").get_data(as_text=True)
    assert "Riverside Council" in page and "The whole partnership" in page
    refused = admin.post(f"/staff/users/{user_id}/organisation", data={"organisation": "999"})
    assert refused.status_code == 400
    assert "Select an organisation from the list" in refused.get_data(as_text=True)
    moved = admin.post(
        f"/staff/users/{user_id}/organisation", data={"organisation": str(teams["council"])}
    )
    assert moved.status_code == 303
    # Their session ended: signed in again, team B's work is out of reach.
    assert ana.get("/staff/").status_code == 302
    assert sign_in(ana, email).status_code == 303
    assert ana.get(f"/staff/engagements/{teams['b_engagement']}").status_code == 404
    assert member(teams["council"]).get(f"/staff/users/{user_id}/organisation").status_code == 403
    with app.app_context():
        assert db.session.get(User, user_id).organisation_id == teams["council"]
        assert db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "account_organisation_set")
        )
