"""`engage demo --empty` loads services, engagements and surveys, and is safe to run twice."""

from sqlalchemy import func, select

from engage.accounts.models import Role, User
from engage.ask.models import Survey, SurveyMode
from engage.extensions import db
from engage.inform.models import Service


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(Service)),
        db.session.scalar(select(func.count()).select_from(Survey)),
        db.session.scalar(select(func.count()).select_from(User)),
    )


def test_demo_command_loads_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--empty"])
    assert first.exit_code == 0, first.output
    assert "Staff admin: admin@engage.example / password:" in first.output
    with app.app_context():
        services, surveys, users = _counts()
        assert services == 11 and surveys >= 2 and users == 1
        names = set(db.session.scalars(select(Service.name)))
        assert {"Speech and language therapy", "Short breaks", "Local Offer"} <= names
        modes = {s.slug: s.mode for s in db.session.scalars(select(Survey))}
        assert modes["talking-help-at-school"] == SurveyMode.EASY_READ
        assert modes["local-offer-and-sen-support"] == SurveyMode.STANDARD
        admin = db.session.scalar(select(User))
        assert admin.role == Role.ADMIN
    second = runner.invoke(args=["demo", "--empty"])
    assert second.exit_code == 0
    assert "password" not in second.output
    with app.app_context():
        assert _counts() == (services, surveys, users)


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Lead@Engage.example",
            "--role",
            "safeguarding_lead",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    short = runner.invoke(
        args=["create-user", "--email", "x@engage.example", "--password", "short"]
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "lead@engage.example"))
        assert user.role == Role.SAFEGUARDING_LEAD
