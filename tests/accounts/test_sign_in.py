"""Staff sign-in, sign-out, deny-by-default and CSRF."""

from sqlalchemy import select

from engage.accounts.access import is_public_endpoint
from engage.accounts.models import AuditEvent, Role, User
from engage.extensions import db
from tests.conftest import PASSWORD, sign_in
from tests.helpers.routes import example_url

PUBLIC_ENDPOINTS_EXPECTED = {"inform.home", "inform.accessibility", "inform.privacy"}


def test_every_staff_url_sends_anonymous_visitor_to_sign_in(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if is_public_endpoint(app, rule.endpoint):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(example_url(rule), method=method)
        assert response.status_code == 302, rule.endpoint
        assert "/staff/sign-in" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked >= 2


def test_public_pages_are_the_reviewed_list(app):
    public = {r.endpoint for r in app.url_map.iter_rules() if is_public_endpoint(app, r.endpoint)}
    assert PUBLIC_ENDPOINTS_EXPECTED <= public
    assert not any(endpoint.startswith("accounts.home") for endpoint in public)


def test_sign_in_works_and_shows_staff_home(client, make_user):
    email = make_user(Role.COMMISSIONER)
    response = sign_in(client, email)
    assert response.status_code == 303
    page = client.get("/staff/").get_data(as_text=True)
    assert "Staff home" in page and "Commissioner" in page


def test_wrong_password_is_refused_with_clear_message(client, make_user, app):
    email = make_user(Role.VIEWER)
    response = sign_in(client, email, "not the password at all")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert 'href="#password"' in page
    assert email in page  # the email typed is kept
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action)).all()
        assert "login_failed" in events


def test_unknown_account_gets_the_same_message(client):
    page = sign_in(client, "nobody@engage.example", "whatever password").get_data(as_text=True)
    assert "Enter a correct email address and password" in page


def test_empty_form_names_each_field(client):
    page = client.post("/staff/sign-in", data={}).get_data(as_text=True)
    assert "Enter your email address" in page and "Enter your password" in page


def test_sign_out_ends_the_session_on_the_server(app, client, make_user):
    email = make_user(Role.ADMIN)
    sign_in(client, email)
    stolen_cookie = client.get_cookie("session").value
    client.post("/staff/sign-out")
    assert client.get("/staff/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    assert replay.get("/staff/").status_code == 302


def test_next_only_follows_local_paths(client, make_user):
    email = make_user(Role.ADMIN)
    response = client.post(
        "/staff/sign-in?next=https://evil.example/x", data={"email": email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/staff/")


def test_password_is_stored_with_a_slow_hash(app, make_user):
    email = make_user(Role.VIEWER)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash


def test_csrf_is_enforced_on_sign_in(csrf_client, make_user):
    email = make_user(Role.ADMIN)
    response = csrf_client.post("/staff/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert csrf_client.get("/staff/").status_code == 302


def test_csrf_token_from_the_page_lets_sign_in_through(csrf_client_request, make_user):
    email = make_user(Role.ADMIN)
    signing_in = csrf_client_request.get("accounts.login")
    token = signing_in.field_value("csrf_token")
    assert token
    csrf_client_request.post(
        "accounts.login", {"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert csrf_client_request.get("/staff/").heading == "Staff home"
