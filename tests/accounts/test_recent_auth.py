"""Asking for the password again before exports and account changes (SECURITY.md row 7)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from engage.accounts.models import AuditEvent, Role, User
from engage.ask.models import Survey
from engage.extensions import db
from engage.inform.models import Engagement
from tests.conftest import PASSWORD, make_app, sign_in

CONFIRM = "/staff/confirm-password"


@pytest.fixture
def export_url(app, demo):
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).order_by(Survey.id))
    return f"/staff/results/surveys/{survey_id}/export/responses.csv"


def _asked_to_confirm(response, then: str) -> bool:
    """Whether the response sends the user to the confirm page, and from there to `then`."""
    location = urlsplit(response.headers.get("Location", ""))
    return location.path == CONFIRM and parse_qs(location.query)["next"] == [then]


def _confirm(client, location: str, password: str = PASSWORD):
    return client.post(location, data={"password": password})


def test_export_soon_after_sign_in_needs_nothing_more(client, make_user, export_url):
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.ADMIN))
        clock.tick(timedelta(minutes=4, seconds=59))
        response = client.get(export_url)
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        response.get_data()


def test_export_five_minutes_after_the_password_asks_for_it_again(
    app, client, make_user, export_url
):
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.ADMIN))
        clock.tick(timedelta(minutes=5, seconds=1))
        asked = client.get(export_url + "?group=parent_carer")
        assert asked.status_code == 302
        assert "Content-Disposition" not in asked.headers  # no file
        location = asked.headers["Location"]
        assert _asked_to_confirm(asked, export_url + "?group=parent_carer")
        page = client.get(location)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Confirm your password" in html and 'autocomplete="current-password"' in html
        with app.app_context():
            assert not db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "export")
            ).all()

        confirmed = _confirm(client, location)
        assert confirmed.status_code == 303
        assert confirmed.headers["Location"] == export_url + "?group=parent_carer"
        download = client.get(confirmed.headers["Location"])
        assert download.status_code == 200
        assert "attachment" in download.headers["Content-Disposition"]
        assert '"Response","Submitted (UTC)"' in download.get_data(as_text=True)

        # Confirming starts a fresh 5 minutes; after that, asked again.
        clock.tick(timedelta(minutes=4))
        again = client.get(export_url)
        assert again.status_code == 200
        again.get_data()
        clock.tick(timedelta(minutes=2))
        assert client.get(export_url).headers["Location"].startswith(CONFIRM)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("password_confirmed") == 1


def test_wrong_password_shows_an_error_and_counts_towards_lock_out(
    app, client, make_user, export_url
):
    email = make_user(Role.ADMIN)
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, email)
        clock.tick(timedelta(minutes=6))
        location = client.get(export_url).headers["Location"]
        wrong = _confirm(client, location, "not my password at all")
        assert wrong.status_code == 400
        html = wrong.get_data(as_text=True)
        assert "There is a problem" in html and "Enter your correct password" in html
        assert 'href="#password"' in html
        assert client.get(export_url).status_code == 302  # still no file
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            assert user.failed_logins == 1
            failed = db.session.scalars(
                select(AuditEvent.detail).where(AuditEvent.action == "login_failed")
            ).all()
            assert failed == ["wrong password on confirm"]

        for _ in range(9):
            last = _confirm(client, location, "not my password at all")
        # The tenth wrong password locks the account and ends this session.
        assert last.status_code == 303
        assert last.headers["Location"] == "/staff/sign-in"
        assert "Your account is locked" in client.get("/staff/sign-in").get_data(as_text=True)
        assert client.get("/staff/").status_code == 302
    assert sign_in(app.test_client(), email).status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_cannot_send_to_another_site(client, make_user, target):
    sign_in(client, make_user(Role.VIEWER))
    confirmed = client.post(f"{CONFIRM}?next={quote(target, safe='')}", data={"password": PASSWORD})
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"] == "/staff/"


def test_changing_the_password_asks_again_and_comes_back_to_the_form(client, make_user):
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.VIEWER))
        clock.tick(timedelta(minutes=10))
        asked = client.get("/staff/password")
        assert _asked_to_confirm(asked, "/staff/password")
        # The form was open for a while, then sent: back to the form, nothing changed.
        posted = client.post(
            "/staff/password",
            data={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        )
        assert posted.status_code == 303
        assert _asked_to_confirm(posted, "/staff/password")
        back = _confirm(client, posted.headers["Location"])
        assert back.headers["Location"] == "/staff/password"
        assert "Change your password" in client.get("/staff/password").get_data(as_text=True)


def test_setting_up_two_step_sign_in_asks_again(client, make_user):
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.ADMIN))
        assert client.get("/staff/two-step").status_code == 200
        clock.tick(timedelta(minutes=6))
        asked = client.get("/staff/two-step")
        assert _asked_to_confirm(asked, "/staff/two-step")


def test_governance_report_download_asks_again(app, client, make_user, demo):
    with app.app_context():
        slug = db.session.scalar(select(Engagement.slug).order_by(Engagement.id))
    url = f"/staff/reports/governance?engagement={slug}&part=actions"
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.ADMIN))
        clock.tick(timedelta(minutes=6))
        asked = client.get(url)
        assert asked.status_code == 302
        assert _asked_to_confirm(asked, url)
        back = _confirm(client, asked.headers["Location"])
        assert back.headers["Location"] == url
        download = client.get(url)
        assert download.status_code == 200
        assert "attachment" in download.headers["Content-Disposition"]


def test_required_two_step_set_up_can_still_confirm_the_password(app, database_uri, make_user):
    strict = make_app(database_uri, REQUIRE_TOTP=True)
    client = strict.test_client()
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.ADMIN))
        clock.tick(timedelta(minutes=6))
        asked = client.get("/staff/two-step")
        assert asked.headers["Location"].startswith(CONFIRM)
        assert client.get(asked.headers["Location"]).status_code == 200  # not sent in a loop
        back = _confirm(client, asked.headers["Location"])
        assert "Set up two-step sign in" in client.get(back.headers["Location"]).get_data(
            as_text=True
        )


# Personal-data downloads a respondent makes of their own answers (sent, or a draft the survey
# closed on) are not staff bulk exports; survey definitions hold no personal data.
NOT_BULK_EXPORTS = {"listen.own_answers_download", "listen.draft_download", "ask.export"}


def test_every_staff_export_asks_for_the_password_again(app):
    exports = [
        endpoint
        for endpoint in app.view_functions
        if ("export" in endpoint or endpoint.endswith(("csv", "xlsx", "download")))
        and endpoint not in NOT_BULK_EXPORTS
    ]
    assert "learn.export" in exports and "reports.governance_download" in exports
    missing = [e for e in exports if not getattr(app.view_functions[e], "requires_recent_auth", 0)]
    assert not missing, f"add @require_recent_auth (engage.accounts.reauth) to: {missing}"


def test_a_post_only_action_sends_back_to_the_page_with_its_form(database_uri, app, make_user):
    from flask import Flask

    from engage.accounts.reauth import require_recent_auth

    extra = make_app(database_uri)

    def add(flask_app: Flask) -> None:
        @flask_app.route("/staff/test-form/<int:number>")
        def form_page(number: int):
            return f"form {number}"

        @flask_app.route("/staff/test-action/<int:number>", methods=["POST"])
        @require_recent_auth(form_endpoint="form_page")
        def action(number: int):
            return f"done {number}"

        @flask_app.route("/staff/test-lone-action", methods=["POST"])
        @require_recent_auth
        def lone_action():
            return "done"

    add(extra)
    client = extra.test_client()
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in(client, make_user(Role.VIEWER))
        assert client.post("/staff/test-action/7").get_data(as_text=True) == "done 7"
        clock.tick(timedelta(minutes=6))
        asked = client.post("/staff/test-action/7")
        assert asked.status_code == 303
        assert _asked_to_confirm(asked, "/staff/test-form/7")
        # A POST-only URL cannot be opened again: back to staff home instead.
        assert _asked_to_confirm(client.post("/staff/test-lone-action"), "/staff/")
